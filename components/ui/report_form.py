"""The reporting page's parts for a signed-in reporter: the form (a new report or a new version of one), the 台账
sheet round trip, and the agency's own reports with their history.

The form is an `st.form` that is not cleared on submit: whatever was refused (a bad field, a refusal of the
store, a database that is down) leaves the text where it was typed. It is emptied only after a write succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from components.exports.report_sheet import file_name, sheet_bytes
from components.exports.tables import XLSX_MIME
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import Stage
from components.plan.report_sheet import MAX_FILE_BYTES, read_sheet, stage_label, status_label
from components.plan.reports import (
    MAX_DOCUMENT,
    MAX_DONE,
    MAX_LINK,
    MAX_NEXT_STEPS,
    Period,
    ProgressStatus,
    ReportState,
    ReportView,
    agency_role,
    agency_tasks,
    current_period,
    local_date,
    make_draft,
    reporting_periods,
)
from components.store import reports as store
from components.store.accounts import Actor, utc_now
from components.store.errors import StoreError
from components.ui.accounts import client, session_token
from components.ui.database import attempt, refusal
from components.ui.plan_upload import display_name, uploader_css
from components.ui.reports import (
    accepted_reports,
    agency_label,
    paragraphs,
    period_label,
    pick_report,
    show_history,
    task_title,
    version_card,
)
from components.ui.widgets import md_escape

PERIOD_KEY = "report::period"
TASK_KEY = "report::task"
STAGE_KEY = "report::stage"
STATUS_KEY = "report::status"
DONE_KEY = "report::done"
NEXT_KEY = "report::next_steps"
LINK_KEY = "report::link"
DOCUMENT_KEY = "report::document"
NO_STAGE = ""  # the stage option "not applicable" (a selectbox shows None as no choice at all)
REVISING_KEY = "report::revising"  # the report being given a new version, or absent for a new report
CLEAR_KEY = "report::clear"  # set after a successful write: the form starts empty on the next run
MESSAGE_KEY = "report::message"  # (kind, Markdown) shown once at the top of the form
PICK_KEY = "report::pick"
WITHDRAW_KEY = "report::withdraw_ask"
SHEET_NONCE_KEY = "report::sheet_nonce"  # part of the uploader's key: bumping it empties the widget
SHEET_PROBLEMS_KEY = "report::sheet_problems"  # (file name, problems) of the last refused sheet
SHEET_ZONE_KEY = "report::sheet_zone"  # the container of the uploader, so that its English words can be replaced
SHEET_ZONE_CSS = ".st-key-report--sheet_zone"  # private-api: Streamlit's class for a keyed container (1.67)
FIELD_LABELS = {
    "task": "reports.task",
    "period": "reports.period",
    "stage": "reports.stage",
    "status": "reports.status",
    "done": "reports.done",
    "next_steps": "reports.next_steps",
    "evidence_link": "reports.evidence_link",
    "evidence_document": "reports.evidence_document",
}


@dataclass(frozen=True)
class Revising:
    report_id: int
    task: int
    period: Period
    next_version: int


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def period_picker(plan: Plan, lang: str, *, disabled: bool = False) -> Period:
    periods = reporting_periods(plan, local_date(utc_now()))
    if st.session_state.get(PERIOD_KEY) not in periods:
        st.session_state[PERIOD_KEY] = current_period(local_date(utc_now()))
    return st.selectbox(t("reports.period", lang), periods, key=PERIOD_KEY, format_func=lambda p: period_label(p, lang), disabled=disabled)


def _start_revise(view: ReportView) -> None:
    """Fill the form with the report's latest version; submitting makes the next version."""
    latest = view.latest
    st.session_state[REVISING_KEY] = Revising(view.report_id, view.task, view.period, latest.version + 1)
    st.session_state.update(
        {
            PERIOD_KEY: view.period,
            TASK_KEY: view.task,
            STAGE_KEY: latest.stage or NO_STAGE,
            STATUS_KEY: latest.status,
            DONE_KEY: latest.done,
            NEXT_KEY: latest.next_steps,
            LINK_KEY: latest.evidence_link or "",
            DOCUMENT_KEY: latest.evidence_document or "",
        }
    )


def _stop_revise() -> None:
    """Back to an empty form for a new report. The fields are set to their empty values rather than dropped: the
    browser keeps showing a dropped widget's last value."""
    st.session_state.pop(REVISING_KEY, None)
    st.session_state.update({STAGE_KEY: NO_STAGE, STATUS_KEY: None, DONE_KEY: "", NEXT_KEY: "", LINK_KEY: "", DOCUMENT_KEY: ""})


def _definitions(lang: str) -> None:
    st.markdown(f"**{t('reports.status.heading', lang)}**")
    st.markdown("\n".join(f"- **{status_label(s, lang)}**:{t(f'reports.status.{s.value}.definition', lang)}" for s in ProgressStatus))


def report_form(plan: Plan, actor: Actor, lang: str) -> None:
    if st.session_state.pop(CLEAR_KEY, False):
        _stop_revise()
    agency = actor.agency or ""
    st.subheader(t("reports.write", lang, agency=md_escape(agency_label(plan, agency, lang))))
    if message := st.session_state.pop(MESSAGE_KEY, None):
        {"success": st.success, "error": st.error, "info": st.info}[message[0]](message[1])
    revising: Revising | None = st.session_state.get(REVISING_KEY)
    if revising is not None:
        st.info(
            t(
                "reports.revising",
                lang,
                id=revising.report_id,
                task=revising.task,
                period=period_label(revising.period, lang),
                version=revising.next_version,
            )
        )
        st.button(t("reports.cancel_revise", lang), key="report::cancel_revise", on_click=_stop_revise)
    tasks = [task.number for task in agency_tasks(plan, agency)]
    form_col, help_col = st.columns([3, 2], gap="large")
    with help_col:
        _definitions(lang)
    with form_col:
        period = period_picker(plan, lang, disabled=revising is not None)
        with st.form("report::form", clear_on_submit=False):
            task = st.selectbox(
                t("reports.task", lang),
                tasks,
                key=TASK_KEY,
                disabled=revising is not None,
                format_func=lambda n: t(
                    "reports.task_option",
                    lang,
                    number=n,
                    title=task_title(plan, n, lang),
                    role=t(f"sheet.role.{_role(plan, n, agency)}", lang),
                ),
            )
            stage = st.selectbox(
                t("reports.stage", lang),
                [NO_STAGE, *Stage],
                key=STAGE_KEY,
                format_func=lambda s: stage_label(s, lang) if s else t("reports.stage.none", lang),
            )
            status = st.radio(
                t("reports.status", lang),
                list(ProgressStatus),
                key=STATUS_KEY,
                index=None,
                horizontal=True,
                format_func=lambda s: status_label(s, lang),
            )
            done = st.text_area(t("reports.done", lang), key=DONE_KEY, max_chars=MAX_DONE, height=140)
            next_steps = st.text_area(t("reports.next_steps", lang), key=NEXT_KEY, max_chars=MAX_NEXT_STEPS, height=100)
            link = st.text_input(t("reports.evidence_link", lang), key=LINK_KEY, max_chars=MAX_LINK)
            document = st.text_input(t("reports.evidence_document", lang), key=DOCUMENT_KEY, max_chars=MAX_DOCUMENT)
            submitted = st.form_submit_button(
                t("reports.submit_version" if revising else "reports.submit", lang), type="primary", key="report::submit"
            )
        if submitted:
            stage = stage or None
            _submit(
                plan,
                lang,
                revising,
                revising.task if revising else task,
                revising.period if revising else period,
                stage,
                status,
                done,
                next_steps,
                link,
                document,
            )


def _role(plan: Plan, number: int, agency: str) -> str:
    task = next(task for task in plan.tasks if task.number == number)
    return agency_role(task, agency) or "support"


def _submit(plan: Plan, lang: str, revising: Revising | None, task, period, stage, status, done, next_steps, link, document) -> None:
    draft, problems = make_draft(
        task=task,
        period=period,
        stage=stage,
        status=status,
        done=done,
        next_steps=next_steps,
        evidence_link=link,
        evidence_document=document,
    )
    if problems:
        lines = [
            "- "
            + t(
                "reports.problem_line",
                lang,
                field=t(FIELD_LABELS[p.field], lang),
                message=t(f"reports.problem.{p.code}", lang, limit=p.limit),
            )
            for p in problems
        ]
        st.error(t("reports.problems", lang) + "\n" + "\n".join(lines))
        return
    token = session_token()
    try:
        if revising is None:
            done_id, problem = attempt(lambda engine: store.file_report(engine, token, plan, draft, client=client()), lang)
            text = t("reports.filed", lang, id=done_id)
        else:
            done_id, problem = attempt(
                lambda engine: store.revise_report(engine, token, plan, revising.report_id, draft, client=client()), lang
            )
            text = t("reports.revised", lang, id=revising.report_id, version=done_id)
    except StoreError as refused:
        st.error(t("store.not_saved", lang, reason=refusal(refused, lang)))
        return
    if problem is None:
        _say("success", text)
        st.session_state[CLEAR_KEY] = True
        st.rerun()


# --- the sheet ---


def sheet_round_trip(plan: Plan, actor: Actor, lang: str) -> None:
    agency = actor.agency or ""
    period: Period = st.session_state.get(PERIOD_KEY) or current_period(local_date(utc_now()))
    st.subheader(t("sheet.heading", lang))
    st.caption(t("sheet.intro", lang))
    accepted, problem = accepted_reports(plan)
    st.download_button(
        t("sheet.download", lang, period=period_label(period, lang)),
        data=partial(sheet_bytes, plan, agency, period, accepted, lang),
        file_name=file_name(agency, period),
        mime=XLSX_MIME,
        key="report::sheet_download",
        on_click="ignore",
        icon=":material/download:",
        disabled=problem is not None,  # without the database its "last accepted" column would wrongly say "none yet"
    )
    nonce = st.session_state.get(SHEET_NONCE_KEY, 0)
    limits = t("sheet.limits", lang, mb=MAX_FILE_BYTES // 2**20)
    st.html(f"<style>{uploader_css(t('upload.button', lang), limits, within=SHEET_ZONE_CSS)}</style>")
    with st.container(key=SHEET_ZONE_KEY):
        upload = st.file_uploader(t("sheet.upload", lang), type=["xlsx"], key=f"report::sheet_{nonce}")
    if upload is not None:
        _take_sheet(plan, lang, agency, period, upload.name, upload.getvalue())
        st.session_state[SHEET_NONCE_KEY] = nonce + 1
        st.rerun()
    if refused := st.session_state.get(SHEET_PROBLEMS_KEY):
        name, problems = refused
        st.error(t("sheet.refused", lang, file=md_escape(name), count=len(problems)))
        st.dataframe(problem_table(problems, lang), hide_index=True, width="stretch")


def problem_table(problems, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("sheet.col.row", lang): p.row or "",
                t("sheet.col.column", lang): p.column or "",
                t("sheet.col.problem", lang): t(f"sheet.problem.{p.code}", lang, detail=p.detail),
            }
            for p in problems
        ]
    )


def _take_sheet(plan: Plan, lang: str, agency: str, period: Period, name: str, raw: bytes) -> None:
    st.session_state.pop(SHEET_PROBLEMS_KEY, None)
    name = display_name(name)  # no folders, direction overrides or other invisible characters in what is shown
    result = read_sheet(raw, plan, agency, period)
    if result.problems:
        st.session_state[SHEET_PROBLEMS_KEY] = (name, result.problems)
        return
    if not result.drafts:
        _say("info", t("sheet.empty", lang, file=md_escape(name)))
        return
    token = session_token()
    try:
        ids, problem = attempt(
            lambda engine: store.file_sheet(engine, token, plan, period, result.drafts, client=client()), lang, show=False
        )
    except StoreError as refused:
        _say("error", t("store.not_saved", lang, reason=refusal(refused, lang)))
        return
    if problem:
        _say("error", problem)
        return
    _say("success", t("sheet.filed", lang, file=md_escape(name), count=len(ids)))


# --- the agency's own reports ---


def own_reports(plan: Plan, lang: str) -> None:
    token = session_token()
    views, problem = attempt(lambda engine: store.reports_for(engine, token, plan.meta.doc_number), lang)
    if problem:
        return
    views = list(reversed(views or []))  # the latest change first
    st.subheader(t("reports.mine", lang, count=len(views)))
    if not views:
        st.caption(t("reports.mine.none", lang))
        return
    view = pick_report(plan, views, lang, key=PICK_KEY)
    if view.state is ReportState.returned and view.state_comment:
        st.warning(t("reports.card.comment", lang, comment=paragraphs(view.state_comment)))
    if view.accepted_version is not None and view.accepted_version != view.latest.version:
        st.info(t("reports.public_note", lang, version=view.accepted_version))
    version_card(plan, view.task, view.latest, lang)
    left, right = st.columns(2)
    left.button(
        t("reports.revise", lang), key="report::revise", on_click=_start_revise, args=(view,), disabled=view.state is ReportState.withdrawn
    )
    right.button(
        t("reports.withdraw", lang),
        key="report::withdraw",
        on_click=lambda: st.session_state.update({WITHDRAW_KEY: view.report_id}),
        disabled=view.state not in store.OPEN,
    )
    if st.session_state.get(WITHDRAW_KEY) == view.report_id:
        _confirm_withdraw(plan, lang, view)
    with st.expander(t("reports.history", lang)):
        history, _ = attempt(lambda engine: store.report_history(engine, token, plan.meta.doc_number, view.report_id), lang)
        if history is not None:
            show_history(history, lang)


def _confirm_withdraw(plan: Plan, lang: str, view: ReportView) -> None:
    st.warning(t("reports.withdraw_ask", lang, id=view.report_id))
    yes, no = st.columns(2)
    if yes.button(t("reports.withdraw_confirm", lang), key="report::withdraw_yes", type="primary"):
        st.session_state.pop(WITHDRAW_KEY, None)
        token = session_token()
        try:
            _, problem = attempt(lambda engine: store.withdraw_report(engine, token, plan, view.report_id, client=client()), lang)
        except StoreError as refused:
            st.error(t("store.not_saved", lang, reason=refusal(refused, lang)))
            return
        if problem is None:
            _say("success", t("reports.withdrawn", lang, id=view.report_id))
            st.rerun()
    if no.button(t("reports.cancel", lang), key="report::withdraw_no"):
        st.session_state.pop(WITHDRAW_KEY, None)
        st.rerun()
