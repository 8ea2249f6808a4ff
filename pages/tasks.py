"""Tasks page: the 27 tasks by section, with combinable filters, a treemap and downloads."""

from functools import partial

import streamlit as st

from components.exports import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from components.figure_cache import cached_figure
from components.i18n import t
from components.model import AgencyKind
from components.responsibility import (
    ROLE_CHOICES, TaskFilter, agency_name, filter_tasks, kind_label, page_ranges, section_label, task_table,
)
from components.responsibility_figures import section_treemap
from components.state import current_plan, language
from components.ui import md_escape

plan = current_plan()
lang = language()
SECTION_KEY, TREEMAP_KEY = "tasks_section", "tasks_treemap"
LAYOUT_PAGE = "pages/layout.py"
focus = st.query_params.get("task", "")  # the layout page links here with ?task=N: that task opens expanded
focus_number = int(focus) if focus.isdigit() else None
sections = sorted(plan.sections, key=lambda s: s.number)


def pick_section_from_treemap() -> None:
    """A click on the treemap sets the section filter; a click on the zoomed section's own header clears it.

    Streamlit reports a treemap click as the node's id and its parent's label (no customdata);
    node ids are "<section>" or "<section>/<task>".
    """
    points = st.session_state[TREEMAP_KEY]["selection"]["points"]
    if not points:
        return
    node = str(points[0].get("id", ""))
    section = node.split("/")[0]
    if section not in plan.section_by_id:
        return
    same = node == section and st.session_state.get(SECTION_KEY) == section
    st.session_state[SECTION_KEY] = "" if same else section


st.title(t("tasks.heading", lang))
st.caption(t("tasks.intro", lang, doc=plan.meta.doc_number, count=len(plan.tasks), sections=len(sections)))

with st.container(border=True):
    row1 = st.columns([2, 2, 1.4])
    section = row1[0].selectbox(
        t("tasks.filter.section", lang), ["", *(s.id for s in sections)], key=SECTION_KEY,
        format_func=lambda s: section_label(plan, s, lang) if s else t("tasks.filter.all_sections", lang),
    )
    agency = row1[1].selectbox(
        t("tasks.filter.agency", lang), ["", *(a.id for a in plan.agencies)], key="tasks_agency",
        format_func=lambda a: agency_name(plan, a, lang, mark_group=True) if a else t("tasks.filter.any_agency", lang),
    )
    role = row1[2].radio(
        t("tasks.filter.role", lang), ROLE_CHOICES, key="tasks_role", horizontal=True,
        format_func=lambda r: t(f"resp.role.{r}", lang),
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

selected = TaskFilter(
    sections=frozenset([section]) if section else frozenset(),
    agency=agency or None,
    role=role,
    kinds=frozenset(kinds),
    themes=frozenset(themes),
    keyword=keyword,
)
tasks = filter_tasks(plan, selected)
# the treemap shows every section; only the section filter zooms it, the other filters grey out tasks
others = filter_tasks(plan, TaskFilter(agency=selected.agency, role=role, kinds=selected.kinds, themes=selected.themes, keyword=keyword))

st.plotly_chart(
    cached_figure(section_treemap, plan, lang, selected_section=section or None, highlight=tuple(x.number for x in others)),
    key=TREEMAP_KEY, on_select=pick_section_from_treemap, selection_mode="points", width="stretch",
    config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": "tasks-treemap", "scale": 2}},
)
st.caption(t("tasks.treemap.hint", lang))

st.subheader(t("tasks.count", lang, count=len(tasks), total=len(plan.tasks)))
if not tasks:
    st.info(t("tasks.none", lang))

table = task_table(plan, tasks, lang)
by_list, by_table = st.tabs([t("tasks.tab.list", lang), t("tasks.tab.table", lang)])
with by_list:
    ranges = page_ranges(len(tasks))
    shown = tasks
    if len(ranges) > 1:
        focus_page = next((i for i, r in enumerate(ranges) if any(tasks[j].number == focus_number for j in r)), 0)
        part = st.selectbox(
            t("tasks.page", lang), range(len(ranges)), index=focus_page, key="tasks_page",
            format_func=lambda i: t("tasks.page.range", lang, first=ranges[i].start + 1, last=ranges[i].stop, total=len(tasks)),
        )
        shown = tasks[ranges[part].start:ranges[part].stop]
    for sec in sections:
        in_section = [x for x in shown if x.section == sec.id]
        if not in_section:
            continue
        st.markdown(f"#### {md_escape(section_label(plan, sec.id, lang))}")
        for task in in_section:
            with st.expander(f"{task.number}. {md_escape(task.title.get(lang))}", expanded=len(tasks) <= 3 or task.number == focus_number):
                st.text(task.text.get(lang))
                for label, ids in (("resp.col.lead", task.lead), ("resp.col.support", task.support)):
                    names = "、".join(agency_name(plan, a, lang, mark_group=True) for a in ids)
                    st.markdown(f"**{t(label, lang)}**: {md_escape(names) or '—'}")
                sites = [plan.site_by_id[s].name.get(lang) for s in task.sites if s in plan.site_by_id]
                if sites:
                    st.markdown(f"**{t('resp.col.sites', lang)}**: {md_escape('、'.join(sites))}")
                    st.page_link(LAYOUT_PAGE, label=t("tasks.sites_link", lang), icon=":material/map:")
                theme_names = [plan.theme_by_id[x].name.get(lang) for x in task.themes if x in plan.theme_by_id]
                st.markdown(f"**{t('resp.col.themes', lang)}**: {md_escape(' · '.join(theme_names)) or '—'}")
                if lang == "en":
                    st.caption(t("tasks.original", lang) + " " + md_escape(task.responsibility_text))
with by_table:
    st.dataframe(table, hide_index=True, width="stretch")

left, right = st.columns(2)
# the files are made on click (`partial`): an Excel file of thousands of tasks takes a second to write
left.download_button(
    t("tasks.download.csv", lang), partial(csv_bytes, table), file_name="tasks.csv", mime=CSV_MIME, key="tasks_csv", disabled=not tasks,
)
right.download_button(
    t("tasks.download.xlsx", lang), partial(xlsx_bytes, table, sheet_name=t("nav.tasks", lang)), file_name="tasks.xlsx",
    mime=XLSX_MIME, key="tasks_xlsx", disabled=not tasks,
)
if lang == "en":
    st.caption(plan.meta.translation_note.get(lang))
