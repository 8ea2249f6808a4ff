"""The Word assessment report's button: the file is built on click, for the plan in use, in the interface language.

`report_panel` is the one place the app offers the report; the briefing page shows it, and any other page
(the assessment view) can call it with its own `key`.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from components.exports.images import start_image_server
from components.exports.report_docx import MIME, build_report
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import ProgressLog
from components.plan.reports import AcceptedReport
from components.ui.reports import accepted_reports
from components.ui.session import current_progress
from components.ui.widgets import md_escape, show_problems

REPORT_KEY = "report_docx"  # (signature, file name, bytes) of the last report built in this session


def report_panel(plan: Plan, lang: str, *, key: str = "report") -> None:
    """The build button with a progress bar, then the download while plan, log, language and day stay the same."""
    state = current_progress(plan)
    reports, reports_problem = accepted_reports(plan)
    if reports_problem:
        st.warning(t("docx.ui.no_reports", lang, problem=reports_problem))
    if state.problems:
        message = t("docx.ui.no_log", lang, file=md_escape(state.problems[0].file), count=len(state.problems))
        show_problems(message, state.problems, lang, kind="warning")
    st.caption(t("docx.ui.intro", lang))
    today = dt.date.today()
    digest = state.fingerprint
    digest += "|" + ",".join(f"{r.report_id}.{r.version}" for r in reports)  # a new acceptance makes a new file
    signature = (lang, plan.fingerprint, digest, today)
    if st.button(t("docx.ui.build", lang), key=f"{key}_build", icon=":material/description:"):
        data = _build(plan, state.log, reports, digest, lang, today)
        if data is not None:
            st.session_state[REPORT_KEY] = (signature, f"assessment-report-{lang}-{today.isoformat()}.docx", data)
    stored = st.session_state.get(REPORT_KEY)
    if stored is not None and stored[0] == signature:
        _, file_name, data = stored
        st.download_button(
            t("docx.ui.download", lang),
            data,
            file_name=file_name,
            mime=MIME,
            key=f"{key}_download",
            icon=":material/download:",
            on_click="ignore",
        )


# The same document for every session that asks for it on one day: a second click, or a colleague's, takes no time.
@st.cache_data(show_spinner=False, max_entries=4)
def _report_bytes(
    plan_fingerprint: str, log_digest: str, lang: str, today: dt.date, _plan: Plan, _log: ProgressLog | None, _reports, _step
) -> bytes:
    """`log_digest` also names the accepted reports' versions, so the cache key changes with them."""
    start_image_server()
    return build_report(_plan, _log, _reports, lang, generated=today, progress=_step)


def _build(plan: Plan, log: ProgressLog | None, reports: list[AcceptedReport], digest: str, lang: str, today: dt.date) -> bytes | None:
    with st.status(t("docx.ui.building", lang), expanded=True) as status:
        bar = st.progress(0.0)
        started = time.perf_counter()

        def step(done: int, total: int, title: str) -> None:
            bar.progress(min(1.0, done / total), text=title)

        try:
            data = _report_bytes(plan.fingerprint, digest, lang, today, plan, log, reports, step)
        except Exception as error:  # a missing browser or a broken figure: say so, keep the page alive
            status.update(label=t("docx.ui.failed", lang, reason=type(error).__name__), state="error")
            st.error(t("docx.ui.failed", lang, reason=md_escape(str(error)[:300])))  # may quote plan text
            return None
        bar.progress(1.0)
        status.update(
            label=t("docx.ui.done", lang, size=f"{len(data) / 1e6:.1f} MB", seconds=f"{time.perf_counter() - started:.1f}"),
            state="complete",
            expanded=False,
        )
    return data
