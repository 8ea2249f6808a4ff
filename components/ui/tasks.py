"""The tasks page's parts: the filter panel, the treemap click, and one task's card (words from `analysis.task_details`)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.analysis.progress import entries_by_task
from components.analysis.responsibility import ROLE_CHOICES, TaskFilter, agency_name, kind_label, section_label, task_details
from components.figures.responsibility import section_of_node
from components.i18n import t
from components.plan.model import AgencyKind, Plan, Task
from components.plan.progress import Entry, ProgressLog
from components.plan.reports import AcceptedReport
from components.ui.progress import public_evidence_markdown, show_accepted_reports
from components.ui.widgets import md_escape, open_expander

SECTION_KEY = "tasks_section"  # the section filter; the treemap click sets it too
TREEMAP_KEY = "tasks_treemap"
TABS_KEY = "tasks_tabs"  # which of the list and the table is open: only that one is drawn
LIST_PAGE_KEY = "tasks_page"  # the list's page picker


def card_key(number: int) -> str:
    """Whether task `number`'s card is open (its content is drawn only then)."""
    return f"tasks_card_{number}"


def filter_panel(plan: Plan, lang: str) -> tuple[str, TaskFilter]:
    """The filter widgets; returns the chosen section ("" for all) and the other filters, which combine with AND."""
    with st.container(border=True):
        row1 = st.columns([2, 2, 1.4])
        section = row1[0].selectbox(
            t("tasks.filter.section", lang),
            ["", *(s.id for s in plan.sections_in_order)],
            key=SECTION_KEY,
            format_func=lambda s: section_label(plan, s, lang) if s else t("tasks.filter.all_sections", lang),
        )
        agency = row1[1].selectbox(
            t("tasks.filter.agency", lang),
            ["", *(a.id for a in plan.agencies)],
            key="tasks_agency",
            format_func=lambda a: agency_name(plan, a, lang, mark_group=True) if a else t("tasks.filter.any_agency", lang),
        )
        role = row1[2].radio(
            t("tasks.filter.role", lang),
            ROLE_CHOICES,
            key="tasks_role",
            horizontal=True,
            format_func=lambda r: t(f"resp.role.{r}", lang),
        )
        row2 = st.columns([2, 2, 1.4])
        kinds = row2[0].multiselect(
            t("tasks.filter.kind", lang),
            [k for k in AgencyKind if any(a.kind is k for a in plan.agencies)],
            key="tasks_kinds",
            placeholder=t("tasks.filter.placeholder", lang),
            format_func=lambda k: kind_label(k, lang),
        )
        themes = row2[1].multiselect(
            t("tasks.filter.theme", lang),
            [theme.id for theme in plan.themes],
            key="tasks_themes",
            placeholder=t("tasks.filter.placeholder", lang),
            format_func=lambda theme: plan.theme_by_id[theme].name.get(lang),
        )
        keyword = row2[2].text_input(
            t("tasks.filter.keyword", lang), key="tasks_keyword", max_chars=100, help=t("tasks.filter.keyword_help", lang)
        )
    return section, TaskFilter(agency=agency or None, role=role, kinds=frozenset(kinds), themes=frozenset(themes), keyword=keyword)


def pick_section_from_treemap(plan: Plan) -> None:
    """on_select of the treemap: a click sets the section filter; a click on the zoomed section's own header clears it."""
    points = st.session_state[TREEMAP_KEY]["selection"]["points"]
    node = str(points[0].get("id", "")) if points else ""
    section = section_of_node(plan, node)
    if section is not None:
        same = node == section and st.session_state.get(SECTION_KEY) == section
        st.session_state[SECTION_KEY] = "" if same else section


def card_markdown(plan: Plan, task: Task, lang: str, entries: Sequence[Entry] | None) -> str:
    """A task card's words as one Markdown element: its text, who, themes and sites one line each, the original
    wording of the agencies (English), and its public evidence (`entries` None: the plan has no log, nothing said)."""
    card = task_details(plan, task, lang)
    if card.lead_stated:
        lines = [
            f"**{t('resp.col.lead', lang)}**: {md_escape(card.lead) or '—'}",
            f"**{t('resp.col.support', lang)}**: {md_escape(card.support) or '—'}",
        ]
    else:
        lines = [f"**{t('import_review.responsible', lang)}**: {md_escape(card.lead) or '—'}"]
    lines.append(f"**{t('resp.col.themes', lang)}**: {md_escape(card.themes) or '—'}")
    if card.sites:
        lines.append(f"**{t('resp.col.sites', lang)}**: {md_escape(card.sites)}")
    blocks = [md_escape(card.text).replace("\n", "  \n"), "  \n".join(lines)]
    if lang == "en" and card.original:
        blocks.append(f":small[:gray[{t('tasks.original', lang)} {md_escape(card.original)}]]")
    if entries is not None:
        blocks.append(public_evidence_markdown(entries, lang))
    return "\n\n".join(blocks)


def card_texts(plan: Plan, *, lang: str, numbers: tuple[int, ...], log_key: str, _log: ProgressLog | None) -> dict[int, str]:
    """The shown cards' Markdown, made once for every visitor (`ui.cache`): escaping the names, sites and entries of
    a page of cards was a third of the tasks page's server time on every run. `log_key` stands for `_log`, whose
    entries are grouped by task here, on a miss, not on every run (10,000 entries on the 100x plan)."""
    evidence = entries_by_task(_log) if _log is not None else None
    tasks = {task.number: task for task in plan.tasks}
    return {
        number: card_markdown(plan, tasks[number], lang, evidence.get(number, []) if evidence is not None else None) for number in numbers
    }


def show_task_card(
    plan: Plan, task: Task, text: str, lang: str, *, expanded: bool, evidence: bool, reports: Sequence[AcceptedReport] = ()
) -> None:
    """`text` from `card_texts`; `evidence`: the plan has a progress log, so the card links to the task's timeline.

    A card is an expander whose words and links are drawn only while it is open: closed, its content was still
    sent and laid out, and on a 100x plan a page of 50 cards cost the server 0.7 s a visit (0.2 s drawn this way).
    """
    card = open_expander(f"{task.number}. {md_escape(task.title.get(lang))}", key=card_key(task.number), expanded=expanded)
    if card is None:
        return
    with card:
        st.markdown(text)
        show_accepted_reports(plan, reports, lang)
        if task.sites:
            st.page_link("pages/layout.py", label=t("tasks.sites_link", lang), icon=":material/map:")
        if evidence:
            st.page_link(
                "pages/progress.py",
                label=t("tasks.progress_link", lang),
                icon=":material/fact_check:",
                query_params={"view": "timeline", "task": str(task.number)},
            )
