"""Tasks page: the tasks by section, with combinable filters, a treemap and downloads."""

import streamlit as st

from components.analysis.responsibility import (
    ROLE_CHOICES,
    TaskFilter,
    agency_name,
    filter_tasks,
    kind_label,
    page_of,
    page_ranges,
    section_label,
    task_table,
)
from components.analysis.url_state import task_number_param
from components.figures.responsibility import section_of_node, section_treemap
from components.i18n import t
from components.plan.model import AgencyKind
from components.ui.cache import cached_figure
from components.ui.session import current_plan, language
from components.ui.tasks import show_task_card
from components.ui.widgets import md_escape, show_figure, table_downloads

plan = current_plan()
lang = language()
SECTION_KEY, TREEMAP_KEY = "tasks_section", "tasks_treemap"
focus = task_number_param(st.query_params.get("task"), plan)  # the layout page links here with ?task=N: that task opens expanded


def pick_section_from_treemap() -> None:
    """A click on the treemap sets the section filter; a click on the zoomed section's own header clears it."""
    points = st.session_state[TREEMAP_KEY]["selection"]["points"]
    node = str(points[0].get("id", "")) if points else ""
    section = section_of_node(plan, node)
    if section is not None:
        same = node == section and st.session_state.get(SECTION_KEY) == section
        st.session_state[SECTION_KEY] = "" if same else section


st.title(t("tasks.heading", lang))
st.caption(t("tasks.intro", lang, doc=md_escape(plan.meta.doc_number), count=len(plan.tasks), sections=len(plan.sections)))

with st.container(border=True):
    row1 = st.columns([2, 2, 1.4])
    section = row1[0].selectbox(
        t("tasks.filter.section", lang), ["", *(s.id for s in plan.sections_in_order)], key=SECTION_KEY,
        format_func=lambda s: section_label(plan, s, lang) if s else t("tasks.filter.all_sections", lang),
    )
    agency = row1[1].selectbox(
        t("tasks.filter.agency", lang), ["", *(a.id for a in plan.agencies)], key="tasks_agency",
        format_func=lambda a: agency_name(plan, a, lang, mark_group=True) if a else t("tasks.filter.any_agency", lang),
    )
    role = row1[2].radio(
        t("tasks.filter.role", lang), ROLE_CHOICES, key="tasks_role", horizontal=True, format_func=lambda r: t(f"resp.role.{r}", lang),
    )
    row2 = st.columns([2, 2, 1.4])
    kinds = row2[0].multiselect(
        t("tasks.filter.kind", lang), [k for k in AgencyKind if any(a.kind is k for a in plan.agencies)],
        key="tasks_kinds", placeholder=t("tasks.filter.placeholder", lang), format_func=lambda k: kind_label(k, lang),
    )
    themes = row2[1].multiselect(
        t("tasks.filter.theme", lang), [x.id for x in plan.themes], key="tasks_themes", placeholder=t("tasks.filter.placeholder", lang),
        format_func=lambda x: plan.theme_by_id[x].name.get(lang),
    )
    keyword = row2[2].text_input(t("tasks.filter.keyword", lang), key="tasks_keyword", max_chars=100, help=t("tasks.filter.keyword_help", lang))

others = TaskFilter(agency=agency or None, role=role, kinds=frozenset(kinds), themes=frozenset(themes), keyword=keyword)
tasks = filter_tasks(plan, others.with_section(section))
# the treemap shows every section; only the section filter zooms it, the other filters grey out tasks
highlight = tuple(x.number for x in filter_tasks(plan, others))
show_figure(
    cached_figure(section_treemap, plan, lang, selected_section=section or None, highlight=highlight), key=TREEMAP_KEY,
    filename="tasks-treemap", on_select=pick_section_from_treemap, selection_mode="points",
)
st.caption(t("tasks.treemap.hint", lang))

st.subheader(t("tasks.count", lang, count=len(tasks), total=len(plan.tasks)))
if not tasks:
    st.info(t("tasks.none", lang))

table = task_table(plan, tasks, lang)
by_list, by_table = st.tabs([t("tasks.tab.list", lang), t("tasks.tab.table", lang)])
with by_list:
    ranges = page_ranges(len(tasks))
    part = 0
    if len(ranges) > 1:
        part = st.selectbox(
            t("tasks.page", lang), range(len(ranges)), index=page_of(tasks, focus), key="tasks_page",
            format_func=lambda i: t("tasks.page.range", lang, first=ranges[i].start + 1, last=ranges[i].stop, total=len(tasks)),
        )
    shown = tasks[ranges[part].start : ranges[part].stop]
    for sec in plan.sections_in_order:
        in_section = [x for x in shown if x.section == sec.id]
        if in_section:
            st.markdown(f"#### {md_escape(section_label(plan, sec.id, lang))}")
        for task in in_section:
            show_task_card(plan, task, lang, expanded=len(tasks) <= 3 or task.number == focus)
with by_table:
    st.dataframe(table, hide_index=True, width="stretch")

table_downloads(
    table, stem="tasks", sheet=t("nav.tasks", lang), labels=("tasks.download.csv", "tasks.download.xlsx"), key="tasks", lang=lang,
    disabled=not tasks,
)
if lang == "en":
    st.caption(md_escape(plan.meta.translation_note.get(lang)))
