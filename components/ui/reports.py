"""Reports as every page shows them: the accepted reports of the plan in use (cached, for any page), their cards,
and a report's history. Words from the i18n table; every text an agency wrote is escaped before Markdown sees it.

`accepted_reports(plan)` is what the progress page, the task cards and the exports call.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from components.exports.tables import defused
from components.i18n import t
from components.plan.model import Plan
from components.plan.report_sheet import stage_label, status_label
from components.plan.reports import CHINA_TIME, AcceptedReport, Period, ProgressStatus, ReportHistory, ReportState, ReportVersionView
from components.store import reports as store
from components.store.db import database_url
from components.ui.database import engine, problem_text
from components.ui.session import language
from components.ui.widgets import list_page, md_escape

ACCEPTED_TTL_SECONDS = 30  # bounds the memory only: the cache is keyed on the store's stamp, so every replica is current
STATUS_COLOURS = {
    ProgressStatus.done: "green",
    ProgressStatus.on_track: "blue",
    ProgressStatus.behind: "orange",
    ProgressStatus.not_started: "gray",
}
PER_PAGE = 20
FILTER_KEY = "accepted::task"
PAGE_KEY = "accepted::page"


# cache_resource, not cache_data: shared, not unpickled on every call (5,000 accepted reports cost 0.17 s a call,
# twice a run on the assessment page). The reports are frozen and callers get a new list (`accepted_reports`).
@st.cache_resource(ttl=ACCEPTED_TTL_SECONDS, show_spinner=False, max_entries=16)
def _accepted(url: str, plan_doc_number: str, stamp: int) -> list[AcceptedReport]:
    return store.accepted_reports(engine(), plan_doc_number)


def accepted_reports(plan: Plan) -> tuple[list[AcceptedReport], str | None]:
    """The accepted version of each report on the plan in use, by task and period; and a message (in the session's
    language) instead when the database cannot be read, so a page can say so and stay readable.

    One small query per call (`reports_stamp`) keeps every replica current: a report accepted on one replica is
    shown by all of them at their next page run."""
    try:
        found = _accepted(database_url(), plan.meta.doc_number, store.reports_stamp(engine()))
    except SQLAlchemyError as error:
        return [], problem_text(error, language())
    tasks = {task.number for task in plan.tasks}
    return [report for report in found if report.task in tasks], None


# --- words ---


def period_label(period: Period, lang: str) -> str:
    if period.quarter is None:
        return t("reports.period.year", lang, year=period.year)
    return t("reports.period.quarter", lang, year=period.year, quarter=period.quarter)


def when(moment: dt.datetime) -> str:
    """Beijing time, to the minute: the clock the agencies work by."""
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


def agency_label(plan: Plan, agency: str, lang: str) -> str:
    found = plan.agency_by_id.get(agency)
    return found.name.get(lang) if found else agency


def task_title(plan: Plan, number: int, lang: str) -> str:
    for task in plan.tasks:
        if task.number == number:
            return task.title.get(lang)
    return "?"


def state_label(state: ReportState, lang: str) -> str:
    return t(f"reports.state.{state.value}", lang)


def paragraphs(text: str) -> str:
    """Text an agency wrote, as Markdown that shows exactly that text, line breaks included."""
    return "  \n".join(md_escape(line, keep_links=True) for line in text.splitlines())


def link_target(link: str) -> str:
    """An address as a Markdown link's destination: the characters that could end it early or escape its end are
    percent-encoded (the address means the same to a browser)."""
    return link.replace("\\", "%5C").replace("(", "%28").replace(")", "%29")


def evidence_markdown(link: str | None, document: str | None) -> str:
    parts = []
    if link:  # an http(s) address without spaces, quotes or <> (checked on the way in)
        parts.append(f"[{md_escape(link, keep_links=True)}]({link_target(link)})")
    if document:
        parts.append(md_escape(document))
    return " · ".join(parts)


def status_badge(status: ProgressStatus, stage, lang: str) -> str:
    badge = f":{STATUS_COLOURS[status]}-badge[{status_label(status, lang)}]"
    return badge + (" " + t("reports.card.stage", lang, stage=stage_label(stage, lang)) if stage else "")


def _content(version: AcceptedReport | ReportVersionView, lang: str) -> None:
    st.markdown(status_badge(version.status, version.stage, lang))
    st.markdown(paragraphs(version.done))
    if version.next_steps:
        st.markdown(t("reports.card.next", lang, text=paragraphs(version.next_steps)))
    if evidence := evidence_markdown(version.evidence_link, version.evidence_document):
        st.markdown(t("reports.card.evidence", lang, evidence=evidence))


# --- cards and lists ---


def accepted_card(plan: Plan, report: AcceptedReport, lang: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{md_escape(t('reports.card.title', lang, task=report.task, title=task_title(plan, report.task, lang)))}**")
        st.caption(
            md_escape(t("reports.card.who", lang, agency=agency_label(plan, report.agency, lang), period=period_label(report.period, lang)))
        )
        _content(report, lang)
        st.caption(
            t(
                "reports.card.accepted",
                lang,
                reporter=md_escape(report.reported_by),
                reported=when(report.reported_at),
                reviewer=md_escape(report.accepted_by),
                accepted=when(report.accepted_at),
            )
        )
        if report.review_comment:
            st.caption(t("reports.card.comment", lang, comment=paragraphs(report.review_comment)))


def version_card(plan: Plan, task: int, version: ReportVersionView, lang: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{md_escape(t('reports.card.title', lang, task=task, title=task_title(plan, task, lang)))}**")
        _content(version, lang)
        st.caption(t("reports.card.filed", lang, author=md_escape(version.author), at=when(version.created_at), version=version.version))


def show_accepted_list(plan: Plan, lang: str) -> None:
    """Every visitor's view: the accepted reports, newest task first within the filter, twenty to a page."""
    reports, problem = accepted_reports(plan)
    st.subheader(t("reports.accepted.unknown", lang) if problem else t("reports.accepted", lang, count=len(reports)))
    st.caption(t("reports.accepted.note", lang))
    if problem:
        st.error(problem, icon=":material/database:")
        return
    if not reports:
        st.info(t("reports.accepted.none", lang))
        return
    tasks = sorted({r.task for r in reports})
    picked = st.selectbox(
        t("reports.filter_task", lang),
        [0, *tasks],
        key=FILTER_KEY,
        format_func=lambda n: (
            t("reports.card.title", lang, task=n, title=task_title(plan, n, lang)) if n else t("reports.filter_all", lang)
        ),
    )
    shown = [r for r in reports if not picked or r.task == picked]
    page = list_page(len(shown), lang, key=PAGE_KEY, size=PER_PAGE, words=("reports.page", "reports.page.range"))
    for report in shown[page.start : page.stop]:
        accepted_card(plan, report, lang)


def history_tables(history: ReportHistory, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A report's versions and its changes of state, as two tables (plain text: the grid escapes nothing, renders no Markdown)."""
    versions = pd.DataFrame(
        [
            {
                t("reports.col.version", lang): v.version,
                t("reports.col.author", lang): v.author,
                t("reports.col.at", lang): when(v.created_at),
                t("reports.col.via", lang): t("reports.via.sheet" if v.via_sheet else "reports.via.form", lang),
                t("reports.status", lang): status_label(v.status, lang),
                t("reports.stage", lang): stage_label(v.stage, lang) if v.stage else "",
                t("reports.done", lang): v.done,
                t("reports.next_steps", lang): v.next_steps,
            }
            for v in history.versions
        ]
    )
    events = pd.DataFrame(
        [
            {
                t("reports.col.at", lang): when(e.at),
                t("reports.col.state", lang): state_label(e.state, lang),
                t("reports.col.version", lang): e.version,
                t("reports.col.actor", lang): e.actor,
                t("reports.col.comment", lang): e.comment or "",
            }
            for e in history.events
        ]
    )
    return versions, events


def show_history(history: ReportHistory, lang: str) -> None:
    """The two tables, defused: the table toolbar's CSV download and copy pass cells on as they are."""
    versions, events = history_tables(history, lang)
    st.markdown(f"**{t('reports.history.events', lang)}**")
    st.dataframe(defused(events), hide_index=True, width="stretch")
    st.markdown(f"**{t('reports.history.versions', lang)}**")
    st.dataframe(defused(versions), hide_index=True, width="stretch")


def pick_report(plan: Plan, views, lang: str, *, key: str):
    """A list of reports to pick one from; a pick that left the list (filtered out, withdrawn) falls back to the first."""
    by_id = {view.report_id: view for view in views}
    if st.session_state.get(key) not in by_id:
        st.session_state.pop(key, None)
    picked = st.selectbox(t("reports.pick", lang), list(by_id), key=key, format_func=lambda i: report_option(plan, by_id[i], lang))
    return by_id[picked]


def report_option(plan: Plan, view, lang: str) -> str:
    """How a report is named in a list: number, task, agency, period, version, state."""
    return t(
        "reports.option",
        lang,
        id=view.report_id,
        task=view.task,
        agency=agency_label(plan, view.agency, lang),
        period=period_label(view.period, lang),
        version=view.latest.version,
        state=state_label(view.state, lang),
    )
