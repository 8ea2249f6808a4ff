"""The coverage view: for a period, which of each agency's tasks have a report and which do not.

Visitors who are not signed in count accepted reports only; a reporter also sees its own agency's pending and
returned reports, a reviewer everyone's (the store decides, `reports.coverage_states`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import t
from components.plan.model import Plan
from components.plan.reports import CoverageSummary, coverage_rows, coverage_summary, current_period, local_date, reporting_periods
from components.store import reports as store
from components.store.accounts import Actor, Role, utc_now
from components.ui.accounts import session_token
from components.ui.database import attempt
from components.ui.reports import agency_label, period_label, state_label
from components.ui.widgets import md_escape

PERIOD_KEY = "coverage::period"
AGENCY_KEY = "coverage::agency"


def coverage_view(plan: Plan, actor: Actor | None, lang: str) -> None:
    public = actor is None or actor.role not in (Role.reporter, Role.reviewer)  # sees accepted reports only
    if public:
        st.caption(t("coverage.public_only", lang))
    periods = reporting_periods(plan, local_date(utc_now()))
    if st.session_state.get(PERIOD_KEY) not in periods:
        st.session_state[PERIOD_KEY] = current_period(local_date(utc_now()))
    period = st.selectbox(t("reports.period", lang), periods, key=PERIOD_KEY, format_func=lambda p: period_label(p, lang))
    token = session_token()
    states, problem = attempt(lambda engine: store.coverage_states(engine, token, plan.meta.doc_number, period), lang)
    if problem:
        return
    summary = coverage_summary(plan, states)
    st.subheader(t("coverage.summary", lang, period=period_label(period, lang)))
    st.dataframe(summary_table(plan, summary, lang, public=public), hide_index=True, width="stretch")
    agencies = [s.agency for s in summary]
    if not agencies:
        return
    if st.session_state.get(AGENCY_KEY) not in agencies:
        st.session_state[AGENCY_KEY] = actor.agency if actor is not None and actor.agency in agencies else agencies[0]
    agency = st.selectbox(t("coverage.agency", lang), agencies, key=AGENCY_KEY, format_func=lambda a: agency_label(plan, a, lang))
    rows = coverage_rows(plan, agency, states)
    none = t("coverage.state.none_public" if public else "coverage.state.none", lang)
    titles = {task.number: task.title.get(lang) for task in plan.tasks}  # one look-up per row, not a scan of 2,700 tasks
    st.markdown(
        t(
            "coverage.detail_public" if public else "coverage.detail",
            lang,
            agency=md_escape(agency_label(plan, agency, lang)),
            done=sum(1 for r in rows if r.state),
            total=len(rows),
        )
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("coverage.col.task", lang): row.task,
                    t("coverage.col.title", lang): titles[row.task],
                    t("coverage.col.role", lang): t(f"sheet.role.{row.role}", lang),
                    t("coverage.col.state", lang): state_label(row.state, lang) if row.state else none,
                }
                for row in rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def summary_table(plan: Plan, summary: list[CoverageSummary], lang: str, *, public: bool) -> pd.DataFrame:
    """Per agency: tasks, and how many have a report by state. A visitor sees accepted reports only, so the other
    counts are left out rather than shown as zeros."""
    rows = []
    for s in summary:
        row = {t("coverage.col.agency", lang): agency_label(plan, s.agency, lang), t("coverage.col.tasks", lang): s.tasks}
        row[t("coverage.col.accepted", lang)] = s.accepted
        if public:
            row[t("coverage.state.none_public", lang)] = s.tasks - s.accepted
        else:
            row[t("coverage.col.submitted", lang)] = s.submitted
            row[t("coverage.col.returned", lang)] = s.returned
            row[t("coverage.col.missing", lang)] = s.missing
        rows.append(row)
    return pd.DataFrame(rows)
