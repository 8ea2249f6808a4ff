"""Progress log (进展台账): what public sources say was done under each task, by year and stage, with every source one click away."""

import streamlit as st

from components.i18n import t
from components.ui.progress import (
    agencies_view,
    entries_view,
    filter_panel,
    matrix_view,
    refuse_broken_log,
    restore_view_once,
    timeline_view,
    view_switch,
    write_view,
)
from components.ui.reports import accepted_reports
from components.ui.session import current_plan, current_progress, language
from components.ui.widgets import md_escape, note_ignored_params

plan = current_plan()
lang = language()
st.title(t("progress.heading", lang))
state = current_progress(plan)
if refuse_broken_log(state, lang):
    st.stop()
log = state.log
reports, reports_problem = accepted_reports(plan)
note_ignored_params(restore_view_once(plan), lang)

evidenced = len({number for entry in log.entries for number in entry.tasks})
st.caption(
    t("progress.intro", lang, entries=len(log.entries), tasks=evidenced, total=len(plan.tasks), as_of=log.as_of.isoformat())
    + " "
    + t("progress.doc", lang, doc=md_escape(plan.meta.doc_number))
)
st.info(t("progress.caveat", lang), icon=":material/info:")
if reports_problem:
    st.warning(reports_problem)

view = view_switch(lang)
if view in ("matrix", "entries"):
    chosen = filter_panel(plan, log, lang)
    if view == "matrix":
        matrix_view(state, plan, chosen, lang)
    else:
        entries_view(plan, log, chosen, reports, lang)
elif view == "timeline":
    timeline_view(plan, log, reports, lang)
else:
    agencies_view(plan, log, lang)

write_view(lang)
st.caption(t("indicators.share_link", lang))
