"""The review of an imported plan text: the draft beside its source lines, what to check, and what to do with it.

A plan text uploaded in the sidebar goes through the importer (`components/plan/importer`); the
result is kept in this session only, under `IMPORT_KEY`, until another upload replaces it. Nothing is
written to disk: the draft is used in the session or downloaded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import MutableMapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.i18n import t
from components.plan.importer import ImportResult, Uncertainty, source_excerpt
from components.plan.model import Task
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan, uploaded_plan
from components.ui.widgets import list_page, md_escape

IMPORT_KEY = "imported_draft"  # the last plan text this session imported (components/ui/import_review.py)
SECTION_KEY = "import_review_section"
ONLY_ISSUES_KEY = "import_review_only_issues"
PAGE_KEY = "import_review_page"
REVIEW_PAGE = "pages/import_review.py"
YAML_MIME = "application/x-yaml"
MAX_LISTED = 30  # document-level uncertainties written out above the full table


@dataclass(frozen=True)
class ImportedDraft:
    name: str  # display name, already sanitised
    result: ImportResult


def keep_import(state: MutableMapping, name: str, result: ImportResult) -> None:
    state[IMPORT_KEY] = ImportedDraft(name, result)
    for key in (SECTION_KEY, PAGE_KEY):  # the old draft's section and page mean nothing for the new one
        state.pop(key, None)


def current_import() -> ImportedDraft | None:
    value = st.session_state.get(IMPORT_KEY)
    return value if isinstance(value, ImportedDraft) else None


def use_draft(state: MutableMapping, imported: ImportedDraft) -> None:
    """The draft becomes this session's plan, as an uploaded plan.yaml would."""
    state[UPLOADED_PLAN_KEY] = UploadedPlan(name=imported.name, plan=imported.result.plan)


def draft_file_name(name: str) -> str:
    """方案.txt → 方案.draft.yaml: the download says what it is and where it came from."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name) or "plan"
    return f"{stem}.draft.yaml"


def issues_by_task(issues: tuple[Uncertainty, ...]) -> dict[int | None, list[Uncertainty]]:
    grouped: dict[int | None, list[Uncertainty]] = defaultdict(list)
    for issue in issues:
        grouped[issue.task].append(issue)
    return grouped


def place_column(result: ImportResult, lang: str) -> str:
    """Lines of a text file, paragraphs of a Word or HTML file."""
    return t("import_review.col.line" if result.source.kind == "text" else "import_review.col.paragraph", lang)


def issue_table(result: ImportResult, lang: str) -> pd.DataFrame:
    place = place_column(result, lang)
    columns = [place, t("import_review.col.task", lang), t("import_review.col.issue", lang)]
    rows = [
        ["" if issue.line is None else str(issue.line), "" if issue.task is None else str(issue.task), issue.message(lang)]
        for issue in result.uncertainties
    ]
    return pd.DataFrame(rows, columns=columns)


def issue_line(result: ImportResult, issue: Uncertainty, lang: str) -> str:
    """One document-level uncertainty as a Markdown list item: where (if it is about a line), then what."""
    message = md_escape(issue.message(lang))
    return f"- {message}" if issue.line is None else f"- {place_column(result, lang)} {issue.line}: {message}"


def outline_table(result: ImportResult, lang: str) -> pd.DataFrame:
    columns = [t("import_review.col.number", lang), t("import_review.col.title", lang), place_column(result, lang)]
    return pd.DataFrame([[e.number, e.title, e.line] for e in result.outline], columns=columns)


def source_place(result: ImportResult, first: int, last: int, lang: str) -> str:
    """原文第 21 行 / 第 21—24 行, or 段 (paragraphs) for a Word or HTML file."""
    if result.source.kind == "text":
        return t("import_review.lines", lang, first=first, last=last) if last > first else t("import_review.lines.one", lang, first=first)
    return (
        t("import_review.paragraphs", lang, first=first, last=last)
        if last > first
        else t("import_review.paragraphs.one", lang, first=first)
    )


def _names(result: ImportResult, ids: list[str]) -> str:
    return "、".join(result.plan.agency_by_id[a].name.zh for a in ids)


def _task_card(result: ImportResult, task: Task, issues: list[Uncertainty], lang: str) -> None:
    first, last = result.task_lines[task.id]
    with st.container(border=True):
        found, source = st.columns(2, gap="medium")
        with found:
            st.markdown(f"**{md_escape(task.label or str(task.number))} {md_escape(task.title.zh)}**")
            if task.lead_stated:
                st.markdown(f"{t('resp.col.lead', lang)}: {md_escape(_names(result, task.lead)) or '—'}")
                st.markdown(f"{t('resp.col.support', lang)}: {md_escape(_names(result, task.support)) or '—'}")
            else:
                st.markdown(f"{t('import_review.responsible', lang)}: {md_escape(_names(result, task.lead)) or '—'}")
            for issue in issues:
                st.warning(md_escape(issue.message(lang)), icon=":material/flag:")
        with source:
            st.caption(source_place(result, first, last, lang))
            st.code(source_excerpt(result, first, last), language=None, wrap_lines=True)


def render_review(lang: str) -> None:
    st.title(t("import_review.heading", lang))
    imported = current_import()
    if imported is None:
        st.info(t("import_review.empty", lang), icon=":material/upload_file:")
        st.markdown(t("import_review.what", lang))
        return
    result, plan = imported.result, imported.result.plan
    draft = plan.meta.draft
    st.caption(t("import_review.source", lang, name=md_escape(imported.name), title=md_escape(plan.meta.title.zh)))
    for column, (key, value) in zip(
        st.columns(5),
        [
            ("home.count.sections", len(plan.sections)),
            ("home.count.tasks", len(plan.tasks)),
            ("home.count.agencies", len(plan.agencies)),
            ("home.count.targets", len(plan.targets)),
            ("import_review.count.issues", len(result.uncertainties)),
        ],
    ):
        column.metric(t(key, lang), value)
    if draft is not None:
        rule = t(f"import.rule.{draft.lead_rule.value}", lang)
        quote = t("import_review.rule_quote", lang, quote=md_escape(draft.lead_rule_quote)) if draft.lead_rule_quote else ""
        st.markdown(f"**{rule}** {quote}")  # the rule's words are ours; the quote is the plan's, escaped

    use, download = st.columns(2)
    in_use = uploaded_plan()
    using = in_use is not None and in_use.plan is plan
    use.button(
        t("import_review.use", lang),
        key="import_review_use",
        type="primary",
        disabled=using,
        on_click=use_draft,
        args=(st.session_state, imported),
        icon=":material/check:",
    )
    download.download_button(
        t("import_review.download", lang),
        result.yaml_bytes,
        file_name=draft_file_name(imported.name),
        mime=YAML_MIME,
        key="import_review_download",
        on_click="ignore",
        icon=":material/download:",
    )
    if using:
        st.success(t("import_review.in_use", lang), icon=":material/check_circle:")
        links = st.columns(3)
        for column, (script, key) in zip(
            links, [("pages/tasks.py", "nav.tasks"), ("pages/agencies.py", "nav.agencies"), ("pages/home.py", "nav.home")]
        ):
            column.page_link(script, label=t(key, lang))

    issues = issues_by_task(result.uncertainties)
    st.subheader(t("import_review.issues", lang, count=len(result.uncertainties)))
    if result.uncertainties:
        about_the_plan = issues.get(None, [])  # the whole document's: the rule, missing facts, derived years — a few, read first
        lines = [issue_line(result, issue, lang) for issue in about_the_plan]
        st.warning("\n".join([t("import_review.issues_note", lang), "", *lines[:MAX_LISTED]]), icon=":material/flag:")
        st.dataframe(issue_table(result, lang), hide_index=True, width="stretch")

    st.subheader(t("import_review.outline", lang))
    st.dataframe(outline_table(result, lang), hide_index=True, width="stretch")

    st.subheader(t("import_review.tasks", lang))
    st.caption(t("import_review.tasks_note", lang))
    by_section = plan.tasks_by_section
    controls = st.columns([3, 2])
    section = controls[0].selectbox(
        t("tasks.filter.section", lang),
        [s.id for s in plan.sections_in_order],
        key=SECTION_KEY,
        format_func=lambda s: f"{plan.section_by_id[s].numeral} {plan.section_by_id[s].title.zh} ({len(by_section[s])})",
    )
    only_issues = controls[1].toggle(t("import_review.only_issues", lang), key=ONLY_ISSUES_KEY)
    tasks = [task for task in by_section.get(section, []) if not only_issues or issues.get(task.number)]
    page = list_page(len(tasks), lang, key=PAGE_KEY)
    if not tasks:
        st.info(t("import_review.no_tasks", lang))
    for task in tasks[page.start : page.stop]:
        _task_card(result, task, issues.get(task.number, []), lang)
    if lang == "en":
        st.caption(md_escape(plan.meta.translation_note.get(lang)))
