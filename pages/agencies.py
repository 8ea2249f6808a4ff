"""Agency workload page: who leads and supports how many tasks, where, and with whom."""

import streamlit as st

from components.analysis.responsibility import (
    agency_name,
    agency_task_table,
    co_occurrence,
    is_group,
    top_choices,
    workload,
    workload_table,
)
from components.figures.responsibility import network_figure, section_heatmap, workload_bars
from components.i18n import t
from components.plan.model import AgencyKind
from components.ui.cache import cached_figure, cached_value
from components.ui.session import current_plan, language
from components.ui.widgets import md_escape, show_figure, table_downloads

plan = current_plan()
lang = language()
groups = [a for a in plan.agencies if is_group(a)]

st.title(t("agencies.heading", lang))
st.caption(t("agencies.intro", lang, doc=md_escape(plan.meta.doc_number)))

controls = st.columns([3, 2])
include_group = controls[0].checkbox(
    md_escape(t("agencies.include_group", lang, group=" / ".join(a.name.get(lang) for a in groups) or "—")),
    value=True,
    key="agencies_include_group",
    disabled=not groups,
)
mode = controls[1].segmented_control(
    t("agencies.mode", lang),
    ["all", "lead"],
    default="all",
    key="agencies_mode",
    required=True,
    format_func=lambda m: t(f"agencies.mode.{m}", lang),
)
city_groups = [a for a in groups if a.kind is AgencyKind.city_group]
if city_groups:
    st.caption(t("agencies.group_note", lang, group=md_escape(city_groups[0].name.get(lang))))
if len(groups) > len(city_groups):
    names = "、".join(a.name.get(lang) for a in groups if a.kind is not AgencyKind.city_group)
    st.caption(t("agencies.group_note.generic", lang, groups=md_escape(names)))

if any(not task.lead_stated for task in plan.tasks):
    st.caption(t("agencies.no_lead_note", lang))
everyone = cached_value(workload, plan, include_group=include_group)
rows = cached_value(workload, plan, include_group=include_group, lead_only=True) if mode == "lead" else everyone
st.subheader(t("agencies.count", lang, count=len(everyone)))
choices = top_choices(len(everyone))
top = (
    st.segmented_control(
        t("agencies.top", lang),
        choices,
        default=choices[0],
        key="agencies_top",
        required=True,
        format_func=lambda n: t("agencies.top.some", lang, n=n) if n else t("agencies.top.all", lang, n=len(everyone)),
    )
    if len(choices) > 1
    else 0
)
show_figure(
    cached_figure(workload_bars, plan, lang, include_group=include_group, lead_only=mode == "lead", top=top),
    key="agencies_bars",
    filename="agency-workload",
)

table = workload_table(plan, rows, lang)
with st.expander(t("agencies.table", lang)):
    st.dataframe(table, hide_index=True, width="stretch")
table_downloads(
    table,
    stem="agency-workload",
    sheet=t("nav.agencies", lang),
    labels=("agencies.download.csv", "agencies.download.xlsx"),
    key="agencies",
    lang=lang,
)

st.subheader(t("agencies.matrix", lang))
show_figure(
    cached_figure(section_heatmap, plan, lang, include_group=include_group, top=top),
    key="agencies_heatmap",
    filename="agency-section-matrix",
)

st.subheader(t("agencies.network", lang))
heaviest = max(cached_value(co_occurrence, plan, include_group=include_group).values(), default=1)
min_weight = st.slider(t("agencies.network.min_weight", lang), 1, max(2, heaviest), 1, key="agencies_min_weight")
show_figure(
    cached_figure(network_figure, plan, lang, include_group=include_group, min_weight=min_weight, top=top),
    key="agencies_network",
    filename="agency-network",
)

st.subheader(t("agencies.detail", lang))
picked = st.selectbox(
    t("agencies.pick", lang),
    [w.agency for w in cached_value(workload, plan)],
    key="agencies_pick",
    format_func=lambda a: agency_name(plan, a, lang, mark_group=True),
)
if picked:
    mine = agency_task_table(plan, picked, lang)
    st.write(t("agencies.tasks_of", lang, agency=md_escape(agency_name(plan, picked, lang)), count=len(mine)))
    st.dataframe(mine, hide_index=True, width="stretch")
if lang == "en":
    st.caption(md_escape(plan.meta.translation_note.get(lang)))
