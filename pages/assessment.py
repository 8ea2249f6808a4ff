"""End-of-plan assessment (终期评估): how each target and task stood when the public record was last read, and what is missing."""

import streamlit as st

from components.analysis.assessment import assess_plan, data_gaps, stages_table, targets_table
from components.analysis.progress import overall_entries
from components.figures.progress import furthest_stage_bars
from components.i18n import t
from components.ui.progress import refuse_broken_log
from components.ui.report_download import report_panel
from components.ui.reports import accepted_reports
from components.ui.session import current_plan, current_progress, language
from components.ui.widgets import md_escape, show_figure

plan = current_plan()
lang = language()
meta = plan.meta
st.title(t("assessment.heading", lang))
state = current_progress(plan)
st.caption(t("assessment.intro", lang, start=meta.period_start, end=meta.period_end, doc=md_escape(meta.doc_number)))

with st.expander(t("docx.ui.title", lang), icon=":material/description:"):
    report_panel(plan, lang, key="assessment_report")

reports, reports_problem = accepted_reports(plan)
result = assess_plan(plan, state.log, reports)
st.subheader(t("assessment.targets", lang))
final = len(result.targets_final)
st.markdown(
    t(
        "assessment.targets.summary",
        lang,
        total=len(result.targets),
        final=final,
        missing=len(result.targets) - final,
        year=meta.target_year,
    )
)
st.dataframe(targets_table(plan, result, lang), hide_index=True, width="stretch")
with st.expander(t("targets.status_rules_title", lang)):
    st.markdown(t("targets.status_rules", lang, baseline_year=meta.baseline_year))

st.subheader(t("assessment.tasks", lang))
if refuse_broken_log(state, lang):
    st.stop()
st.markdown(
    t(
        "assessment.tasks.summary",
        lang,
        total=len(plan.tasks),
        evidenced=len(result.tasks_with_evidence),
        none=len(result.tasks_without_evidence),
        overall=len(overall_entries(state.log)),
        as_of=state.log.as_of.isoformat(),
    )
)
st.info(t("progress.caveat", lang), icon=":material/info:")
st.markdown(t("assessment.reports", lang, tasks=len(result.tasks_with_reports), count=len(reports)))
if reports_problem:
    st.warning(reports_problem)
left, right = st.columns([3, 2])
with left:
    show_figure(furthest_stage_bars(result, lang), key="assessment_stages", filename=f"assessment-stages-{lang}")
with right:
    st.dataframe(stages_table(result, lang), hide_index=True, width="stretch")

st.subheader(t("assessment.gaps", lang))
gaps = data_gaps(plan, result, lang)
st.markdown("\n".join(f"- {md_escape(gap)}" for gap in gaps) if gaps else t("assessment.gaps.none", lang))
