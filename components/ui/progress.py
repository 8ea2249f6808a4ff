"""The progress log in the interface: the progress page's parts, and the evidence lists on task cards and sites.

The numbers come from `analysis/progress.py`; this module owns the progress page's session keys,
reads its view from the URL once per session and writes it back on every run, so a link shares it.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from components.analysis.progress import (
    MAX_MATRIX_TASKS,
    EvidenceFilter,
    agency_coverage_table,
    coverage_matrix,
    date_text,
    entries_by_task,
    entry_table,
    filter_entries,
    filter_reports,
    reports_table,
    section_matrix,
    source_caveats,
    strip_pinyin_glosses,
    tasks_matching,
)
from components.analysis.responsibility import ROLE_CHOICES, agency_name, section_label
from components.analysis.url_state import PROGRESS_VIEWS, ProgressView, decode_progress_view, encode_progress_view
from components.exports.tables import defused
from components.figures.progress import coverage_heatmap, section_heatmap, timeline_figure
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import Entry, ProgressLog, Side, Stage, date_year
from components.plan.reports import AcceptedReport
from components.ui.cache import cached_figure
from components.ui.reports import accepted_card
from components.ui.session import ProgressState
from components.ui.widgets import md_escape, show_figure, show_problems, table_downloads

VIEW_KEY = "progress_view"
TASK_KEY = "progress_task"
SECTIONS_KEY = "progress_sections"
AGENCY_KEY = "progress_agency"
ROLE_KEY = "progress_role"
SITES_KEY = "progress_sites"
STAGES_KEY = "progress_stages"
YEARS_KEY = "progress_years"
SIDES_KEY = "progress_sides"
KEYWORD_KEY = "progress_keyword"
_READ_KEY = "progress_view_read"  # the URL is read once per session: later runs keep what the user chose
_IGNORED_KEY = "progress_ignored"
LINK_ICON = ":material/open_in_new:"


def refuse_broken_log(state: ProgressState, lang: str) -> bool:
    """A broken progress file is shown with the validator's list; returns True when there is nothing to show."""
    if state.problems:
        show_problems(t("progress.invalid", lang, file=state.problems[0].file, count=len(state.problems)), state.problems, lang)
        return True
    if state.log is None:
        st.info(t("progress.no_log", lang))
        return True
    return False


def restore_view_once(plan: Plan) -> list[str]:
    """On a session's first visit, set the widgets from the URL; returns the parameters that were ignored.

    Also when the view switch has lost its value: Streamlit drops a widget's state on a run of another page, and
    coming back left the switch unselected, showing the agencies table and no chart. The sidebar link's URL then
    carries only the language, so the page opens on its default view."""
    if _READ_KEY not in st.session_state or st.session_state.get(VIEW_KEY) not in PROGRESS_VIEWS:
        st.session_state[_READ_KEY] = True
        view, ignored = decode_progress_view(st.query_params.to_dict(), plan)
        st.session_state[VIEW_KEY] = view.view
        if view.task is not None:
            st.session_state[TASK_KEY] = view.task
        st.session_state[SECTIONS_KEY] = list(view.sections)
        st.session_state[AGENCY_KEY] = view.agency or ""
        st.session_state[ROLE_KEY] = view.role
        st.session_state[SITES_KEY] = list(view.sites)
        st.session_state[STAGES_KEY] = list(view.stages)
        st.session_state[YEARS_KEY] = list(view.years)
        st.session_state[SIDES_KEY] = list(view.sides)
        st.session_state[KEYWORD_KEY] = view.keyword
        st.session_state[_IGNORED_KEY] = ignored
    return st.session_state.get(_IGNORED_KEY, [])


def write_view(lang: str) -> None:
    """The URL always describes what is on screen, so copying it shares the view."""
    state = st.session_state
    view = ProgressView(
        view=state.get(VIEW_KEY) or "matrix",
        task=state.get(TASK_KEY),
        sections=tuple(state.get(SECTIONS_KEY, ())),
        agency=state.get(AGENCY_KEY) or None,
        role=state.get(ROLE_KEY, "any"),
        sites=tuple(state.get(SITES_KEY, ())),
        stages=tuple(state.get(STAGES_KEY, ())),
        years=tuple(state.get(YEARS_KEY, ())),
        sides=tuple(state.get(SIDES_KEY, ())),
        keyword=state.get(KEYWORD_KEY, ""),
    )
    st.query_params.from_dict({"lang": lang, **encode_progress_view(view)})


def view_switch(lang: str) -> str:
    return st.segmented_control(
        t("progress.view", lang),
        PROGRESS_VIEWS,
        key=VIEW_KEY,
        required=True,
        format_func=lambda view: t(f"progress.view.{view}", lang),
    )


def filter_panel(plan: Plan, log: ProgressLog, lang: str) -> EvidenceFilter:
    """The filters, which combine with AND: section, agency and its role, site, stage, year, side, keyword."""
    years = sorted({date_year(entry.date) for entry in log.entries})
    named = {site for entry in log.entries for site in entry.sites}
    named_sites = [site.id for site in plan.sites if site.id in named]
    with st.container(border=True):
        row1 = st.columns([2, 2, 1.4])
        sections = row1[0].multiselect(
            t("progress.filter.section", lang),
            [s.id for s in plan.sections_in_order],
            key=SECTIONS_KEY,
            format_func=lambda s: section_label(plan, s, lang),
            placeholder=t("tasks.filter.placeholder", lang),
        )
        agency = row1[1].selectbox(
            t("tasks.filter.agency", lang),
            ["", *(a.id for a in plan.agencies)],
            key=AGENCY_KEY,
            format_func=lambda a: agency_name(plan, a, lang, mark_group=True) if a else t("tasks.filter.any_agency", lang),
        )
        role = row1[2].radio(
            t("tasks.filter.role", lang), ROLE_CHOICES, key=ROLE_KEY, horizontal=True, format_func=lambda r: t(f"resp.role.{r}", lang)
        )
        row2 = st.columns([2, 2, 1.2, 1.2])
        stages = row2[0].multiselect(
            t("progress.filter.stage", lang),
            list(Stage),
            key=STAGES_KEY,
            format_func=lambda s: t(f"stage.{s.value}", lang),
            placeholder=t("tasks.filter.placeholder", lang),
        )
        sites = row2[1].multiselect(
            t("progress.filter.site", lang),
            named_sites,
            key=SITES_KEY,
            format_func=lambda s: plan.site_by_id[s].name.get(lang),
            placeholder=t("tasks.filter.placeholder", lang),
        )
        chosen_years = row2[2].multiselect(
            t("progress.filter.year", lang), years, key=YEARS_KEY, placeholder=t("tasks.filter.placeholder", lang)
        )
        sides = row2[3].multiselect(
            t("progress.filter.side", lang),
            list(Side),
            key=SIDES_KEY,
            format_func=lambda s: t(f"side.{s.value}", lang),
            placeholder=t("tasks.filter.placeholder", lang),
        )
        keyword = st.text_input(
            t("tasks.filter.keyword", lang), key=KEYWORD_KEY, max_chars=100, help=t("progress.filter.keyword_help", lang)
        )
    return EvidenceFilter(
        sections=frozenset(sections),
        agency=agency or None,
        role=role,
        sites=frozenset(sites),
        stages=frozenset(stages),
        years=frozenset(chosen_years),
        sides=frozenset(sides),
        keyword=keyword,
    )


def matrix_view(state: ProgressState, plan: Plan, chosen: EvidenceFilter, lang: str) -> None:
    assert state.log is not None
    tasks = tasks_matching(plan, chosen)
    st.caption(t("progress.matrix.caveat", lang))
    if not tasks:
        st.info(t("tasks.none", lang))
        return
    if len(tasks) > MAX_MATRIX_TASKS:  # a row per task would not draw in time, nor be read
        st.info(t("progress.matrix.by_section", lang, tasks=len(tasks), limit=MAX_MATRIX_TASKS), icon=":material/table_rows:")
    figure = cached_figure(_matrix_figure, plan, lang, log_key=state.fingerprint, chosen=chosen, limit=MAX_MATRIX_TASKS, _log=state.log)
    show_figure(figure, key="progress_matrix", filename=f"progress-matrix-{lang}")


def _matrix_figure(plan: Plan, lang: str, *, log_key: str, chosen: EvidenceFilter, limit: int, _log: ProgressLog) -> go.Figure:
    """The matrix for these filters. `log_key`, the log file's fingerprint, stands for the log in the cache key
    (`_log` is not hashed): building the figure was most of the page's time on every rerun."""
    entries = filter_entries(plan, _log, chosen)
    tasks = tasks_matching(plan, chosen)
    if len(tasks) > limit:
        return section_heatmap(plan, section_matrix(plan, _log, entries=entries, tasks=tasks), lang)
    return coverage_heatmap(plan, coverage_matrix(plan, _log, entries=entries, tasks=tasks), lang)


def entries_view(plan: Plan, log: ProgressLog, chosen: EvidenceFilter, reports: Sequence[AcceptedReport], lang: str) -> None:
    entries = filter_entries(plan, log, chosen)
    st.subheader(t("progress.entries.count", lang, count=len(entries), total=len(log.entries)))
    table = entry_table(plan, entries, lang)
    show_entry_table(table, lang)
    table_downloads(
        table,
        stem="progress-log",
        sheet=t("nav.progress", lang),
        labels=("progress.download.csv", "progress.download.xlsx"),
        key="progress",
        lang=lang,
        disabled=not entries,
    )
    shown = filter_reports(plan, reports, chosen)
    st.subheader(t("progress.reports.count", lang, count=len(shown), total=len(reports)))
    st.caption(t("progress.reports.note", lang))
    if shown:  # what agencies wrote: defused for the table toolbar's CSV download and copy
        st.dataframe(defused(reports_table(plan, shown, lang)), hide_index=True, width="stretch")


def show_entry_table(table, lang: str) -> None:
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={t("progress.col.url", lang): st.column_config.LinkColumn(display_text=t("progress.open_source", lang))},
    )


def timeline_view(plan: Plan, log: ProgressLog, reports: Sequence[AcceptedReport], lang: str) -> None:
    numbers = [task.number for task in plan.tasks_in_order]
    if TASK_KEY not in st.session_state or st.session_state[TASK_KEY] not in numbers:
        st.session_state[TASK_KEY] = numbers[0]
    titles = {task.number: task.title.get(lang) for task in plan.tasks}
    number = st.selectbox(t("progress.timeline.task", lang), numbers, key=TASK_KEY, format_func=lambda n: f"{n}. {titles[n]}")
    entries = entries_by_task(log).get(number, [])
    own_reports = [report for report in reports if report.task == number]
    if not entries and not own_reports:
        st.info(t("progress.no_evidence_task", lang))
        return
    show_figure(timeline_figure(plan, number, entries, own_reports, lang), key="progress_timeline", filename=f"progress-task-{number}")
    show_task_evidence(plan, entries, own_reports, lang)


def agencies_view(plan: Plan, log: ProgressLog, lang: str) -> None:
    st.caption(t("progress.agencies.intro", lang))
    st.dataframe(agency_coverage_table(plan, log, lang), hide_index=True, width="stretch")


def show_entries(entries: Sequence[Entry], lang: str) -> None:
    """Entries as short lines, each with its source one click away: on a site's detail."""
    if entries:
        st.markdown(entries_markdown(entries, lang))


def entries_markdown(entries: Sequence[Entry], lang: str) -> str:
    """One Markdown list for all of them, each source in small grey under its line: two elements an entry (a line
    and a caption) made a page of task cards hundreds of elements for the server to send and the browser to draw."""
    return "\n".join(_entry_item(entry, lang) for entry in entries)


def public_evidence_markdown(entries: Sequence[Entry], lang: str) -> str:
    """A task's public evidence under its heading, or "no public evidence found" (never "not done")."""
    body = entries_markdown(entries, lang) if entries else f":small[:gray[{t('progress.no_evidence', lang)}]]"
    return f"**{t('progress.public_evidence', lang)}**\n\n{body}"


def _entry_item(entry: Entry, lang: str) -> str:
    line = t(
        "progress.entry.line",
        lang,
        date=date_text(entry.date, lang),
        stage=t(f"stage.{entry.stage.value}", lang),
        summary=md_escape(entry.summary.get(lang)),
    )
    caveats = source_caveats(entry, lang)
    source = (
        t("progress.entry.source", lang, publisher=md_escape(entry.source.publisher), title=md_escape(entry.source.title))
        + (f" ({md_escape(caveats)})" if caveats else "")
        + f" · [{t('progress.open_source', lang)}](<{entry.source.url}>)"
        + f" · {t('progress.entry.quote', lang)}{md_escape(strip_pinyin_glosses(entry.quote))}"
    )
    return f"- {line}  \n  :small[:gray[{source}]]"


def show_task_evidence(plan: Plan, entries: Sequence[Entry] | None, reports: Sequence[AcceptedReport], lang: str) -> None:
    """A task's evidence: public entries and accepted agency reports, kept apart.

    `entries` None: the plan has no progress log, so nothing is said about public evidence."""
    if entries is not None:
        st.markdown(public_evidence_markdown(entries, lang))
    show_accepted_reports(plan, reports, lang)


def show_accepted_reports(plan: Plan, reports: Sequence[AcceptedReport], lang: str) -> None:
    if reports:
        st.markdown(f"**{t('progress.accepted_reports', lang)}**")
        for report in reports:
            accepted_card(plan, report, lang)
