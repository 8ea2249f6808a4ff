"""Tasks page: the tasks by section, with combinable filters, a treemap and downloads."""

import streamlit as st

from components.analysis.progress import reports_by_task
from components.analysis.responsibility import (
    filter_tasks,
    page_of,
    section_label,
    task_table,
)
from components.analysis.url_state import task_number_param
from components.figures.responsibility import section_treemap, treemap_highlight, treemap_is_aggregated
from components.i18n import t
from components.ui.cache import cached_figure, cached_value
from components.ui.reports import accepted_reports
from components.ui.session import current_plan, current_progress, language
from components.ui.tasks import LIST_PAGE_KEY, TABS_KEY, TREEMAP_KEY, card_texts, filter_panel, pick_section_from_treemap, show_task_card
from components.ui.widgets import keep_list_page, list_page, md_escape, note_ignored_params, show_figure, table_downloads

plan = current_plan()
lang = language()
progress = current_progress(plan)
reports = reports_by_task(accepted_reports(plan)[0])
focus = task_number_param(st.query_params.get("task"), plan)  # the layout page links here with ?task=N: that task opens expanded


st.title(t("tasks.heading", lang))
if plan.meta.draft is None:
    st.caption(t("tasks.intro", lang, doc=md_escape(plan.meta.doc_number), count=len(plan.tasks), sections=len(plan.sections)))
else:  # an imported draft says which rule told lead from support, if its text stated one
    rule = t(f"import.rule.{plan.meta.draft.lead_rule.value}", lang)
    st.caption(
        t("tasks.intro.draft", lang, doc=md_escape(plan.meta.doc_number), count=len(plan.tasks), sections=len(plan.sections), rule=rule)
    )
if st.query_params.get("task") is not None and focus is None:
    note_ignored_params(["task"], lang)

if progress.problems:
    st.warning(t("progress.unavailable", lang, file=progress.problems[0].file, count=len(progress.problems)))
section, others = filter_panel(plan, lang)
tasks = filter_tasks(plan, others.with_section(section))
# the treemap shows every section; only the section filter zooms it, the other filters grey out tasks
highlight = treemap_highlight(plan, section or None, others)
show_figure(
    cached_figure(section_treemap, plan, lang, selected_section=section or None, highlight=highlight),
    key=TREEMAP_KEY,
    filename="tasks-treemap",
    on_select=lambda: pick_section_from_treemap(plan),
    selection_mode="points",
)
aggregated = treemap_is_aggregated(plan, section or None)
st.caption(t("tasks.treemap.aggregated", lang, tasks=len(plan.tasks)) if aggregated else t("tasks.treemap.hint", lang))

st.subheader(t("tasks.count", lang, count=len(tasks), total=len(plan.tasks)))
if not tasks:
    st.info(t("tasks.none", lang))

table = task_table(plan, tasks, lang)
by_list, by_table = st.tabs([t("tasks.tab.list", lang), t("tasks.tab.table", lang)], key=TABS_KEY, on_change="rerun")
# only the open tab is drawn: on a 100x plan the table was 2.7 MB sent and laid out on every visit, unseen
if by_list.open:
    with by_list:
        page = list_page(len(tasks), lang, key=LIST_PAGE_KEY, index=page_of(tasks, focus))
        shown = tasks[page.start : page.stop]
        texts = cached_value(
            card_texts, plan, lang=lang, numbers=tuple(task.number for task in shown), log_key=progress.fingerprint, _log=progress.log
        )
        for sec in plan.sections_in_order:
            in_section = [task for task in shown if task.section == sec.id]
            if in_section:
                st.markdown(f"#### {md_escape(section_label(plan, sec.id, lang))}")
            for task in in_section:
                expanded = len(tasks) <= 3 or task.number == focus
                show_task_card(
                    plan,
                    task,
                    texts[task.number],
                    lang,
                    expanded=expanded,
                    evidence=progress.log is not None,
                    reports=reports.get(task.number, ()),
                )
else:
    keep_list_page(LIST_PAGE_KEY)
if by_table.open:
    by_table.dataframe(table, hide_index=True, width="stretch")

table_downloads(
    table,
    stem="tasks",
    sheet=t("nav.tasks", lang),
    labels=("tasks.download.csv", "tasks.download.xlsx"),
    key="tasks",
    lang=lang,
    disabled=not tasks,
)
if lang == "en":
    st.caption(md_escape(plan.meta.translation_note.get(lang)))
