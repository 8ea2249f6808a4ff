"""The review page's parts for a signed-in reviewer: the queue (oldest first), one report with its full history,
and the decision. A decision names the version the reviewer read: if the agency filed a newer one meanwhile,
the store refuses it and the reviewer reads the new one first."""

from __future__ import annotations

import streamlit as st

from components.i18n import t
from components.plan.model import Plan
from components.plan.reports import MAX_COMMENT, ReportState, ReportView
from components.store import reports as store
from components.store.errors import StoreError
from components.ui.accounts import client, session_token
from components.ui.database import attempt, refusal
from components.ui.reports import pick_report, show_history, state_label, version_card, when
from components.ui.widgets import list_page, md_escape

SHOW_KEY = "review::show"
PICK_KEY = "review::pick"
COMMENT_KEY = "review::comment"
CLEAR_KEY = "review::clear"
MESSAGE_KEY = "review::message"
PAGE_KEY = "review::page"
PER_PAGE = 50  # reports offered in the picker at once; a page of a long queue is read from the database with LIMIT


def review_panel(plan: Plan, lang: str) -> None:
    if st.session_state.pop(CLEAR_KEY, False):
        st.session_state.pop(COMMENT_KEY, None)
    token = session_token()
    show = st.segmented_control(
        t("review.show", lang),
        ["queue", "all"],
        default="queue",
        key=SHOW_KEY,
        required=True,
        format_func=lambda s: t(f"review.show.{s}", lang),
    )
    waiting = show == "queue"  # the queue oldest first (the longest waiting on top), everything newest first
    doc = plan.meta.doc_number
    count, problem = attempt(lambda engine: store.followed_count(engine, token, doc, waiting=waiting), lang)
    if problem:
        return
    st.subheader(t("review.queue" if waiting else "review.all", lang, count=count))
    if message := st.session_state.pop(MESSAGE_KEY, None):
        {"success": st.success, "error": st.error}[message[0]](message[1])
    if not count:
        st.info(t("review.empty", lang))
        return
    part = list_page(count, lang, key=f"{PAGE_KEY}::{show}", size=PER_PAGE, words=("reports.page", "reports.page.range"))
    chosen, problem = attempt(
        lambda engine: store.followed_page(engine, token, doc, waiting=waiting, newest_first=not waiting, start=part.start, stop=part.stop),
        lang,
    )
    if problem:
        return
    if not chosen:  # the list shrank between the count and the page (another reviewer decided meanwhile)
        st.info(t("review.empty", lang))
        return
    view = pick_report(plan, chosen, lang, key=PICK_KEY)
    st.markdown(f"**{t('review.latest', lang, version=view.latest.version)}**")
    version_card(plan, view.task, view.latest, lang)
    if view.state is ReportState.submitted:
        _decision(plan, lang, view)
    else:
        st.caption(t("review.decided", lang, state=state_label(view.state, lang)) + f" ({md_escape(view.state_by)}, {when(view.state_at)})")
    history, _ = attempt(lambda engine: store.report_history(engine, token, plan.meta.doc_number, view.report_id), lang)
    if history is not None:
        st.markdown(f"#### {t('reports.history', lang)}")
        show_history(history, lang)


def _decision(plan: Plan, lang: str, view: ReportView) -> None:
    with st.form("review::form", clear_on_submit=False):
        comment = st.text_area(t("review.comment", lang), key=COMMENT_KEY, max_chars=MAX_COMMENT, height=90)
        accept_col, return_col = st.columns(2)
        accept = accept_col.form_submit_button(
            t("review.accept", lang, version=view.latest.version), type="primary", key="review::accept", icon=":material/check:"
        )
        send_back = return_col.form_submit_button(t("review.return", lang), key="review::return", icon=":material/undo:")
    if not (accept or send_back):
        return
    token = session_token()
    version = view.latest.version
    try:
        if accept:
            _, problem = attempt(
                lambda engine: store.accept_report(engine, token, plan, view.report_id, version, comment, client=client()), lang
            )
            text = t("review.accepted", lang, id=view.report_id, version=version)
        else:
            _, problem = attempt(
                lambda engine: store.return_report(engine, token, plan, view.report_id, version, comment, client=client()), lang
            )
            text = t("review.returned", lang, id=view.report_id)
    except StoreError as refused:
        st.error(t("store.not_saved", lang, reason=refusal(refused, lang)))
        return
    if problem is None:
        st.session_state[MESSAGE_KEY] = ("success", text)
        st.session_state[CLEAR_KEY] = True
        st.rerun()
