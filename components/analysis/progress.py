"""The plan as carried out: the progress log's entries per task, per year and per agency.

Pure functions of a `Plan`, a `ProgressLog` and the accepted agency reports. Public evidence and
agency reports are kept apart everywhere: an `Evidence` row says which kind it is. A task without
entries has "no public evidence found"; nothing here ever concludes that a task was not done.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from components.analysis.responsibility import RoleChoice, agencies_in_role
from components.i18n import t
from components.plan.model import Plan, Task
from components.plan.progress import LADDER, Entry, ProgressLog, Side, Stage, date_key, date_year
from components.plan.reports import AcceptedReport

# How far a stage goes, for "the furthest stage reached": the facility ladder on top, and below it the kinds
# of entry that are not steps on it, weakest first (an activity held says least about a task's progress).
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.activity_held,
    Stage.policy_issued,
    Stage.call_opened,
    Stage.projects_funded,
    Stage.count_reported,
    *LADDER,
)
_RANK = {stage: rank for rank, stage in enumerate(STAGE_ORDER)}

# Traditional-character copies gloss characters with pinyin: 創(chuàng)新. Stripped for display only.
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")


def strip_pinyin_glosses(quote: str) -> str:
    """`創(chuàng)新` → `創新`: the reading aid of converted pages, never part of the stored quote."""
    return _PINYIN_GLOSS.sub("", quote)


def furthest(stages: Iterable[Stage]) -> Stage | None:
    return max(stages, key=_RANK.__getitem__, default=None)


def entries_by_task(log: ProgressLog | None) -> dict[int, list[Entry]]:
    """Each task number's entries in date order (an entry evidencing three tasks appears under each)."""
    grouped: dict[int, list[Entry]] = {}
    for entry in sorted(log.entries if log else (), key=lambda e: date_key(e.date)):
        for number in entry.tasks:
            grouped.setdefault(number, []).append(entry)
    return grouped


def overall_entries(log: ProgressLog | None) -> list[Entry]:
    return sorted((e for e in (log.entries if log else ()) if e.overall), key=lambda e: date_key(e.date))


def entries_for_site(log: ProgressLog | None, site_id: str) -> list[Entry]:
    """A site's milestones: the entries that name it, in date order."""
    return sorted((e for e in (log.entries if log else ()) if site_id in e.sites), key=lambda e: date_key(e.date))


def reports_by_task(reports: Sequence[AcceptedReport]) -> dict[int, list[AcceptedReport]]:
    grouped: dict[int, list[AcceptedReport]] = {}
    for report in sorted(reports, key=lambda r: (r.period.sort_key, r.accepted_at)):
        grouped.setdefault(report.task, []).append(report)
    return grouped


@dataclass(frozen=True)
class MatrixCell:
    """One task in one year: how many public entries, and the furthest stage they reach."""

    count: int = 0
    furthest: Stage | None = None


@dataclass(frozen=True)
class Matrix:
    """The task × year coverage of the public evidence, tasks in section order."""

    tasks: tuple[Task, ...]
    years: tuple[int, ...]
    cells: dict[tuple[int, int], MatrixCell] = field(default_factory=dict)

    def cell(self, task: int, year: int) -> MatrixCell:
        return self.cells.get((task, year), MatrixCell())


def matrix_years(plan: Plan, log: ProgressLog | None) -> tuple[int, ...]:
    """From the plan's first year to the newest entry's year (at least to the plan's last year)."""
    last = max((date_year(e.date) for e in (log.entries if log else ())), default=plan.meta.period_end)
    first = min([plan.meta.period_start, *(date_year(e.date) for e in (log.entries if log else ()) if e.tasks)])
    return tuple(range(first, max(last, plan.meta.period_end) + 1))


def coverage_matrix(
    plan: Plan, log: ProgressLog | None, *, entries: Sequence[Entry] | None = None, tasks: Sequence[Task] | None = None
) -> Matrix:
    """`entries` (default: all) counted for `tasks` (default: all, in section order); the years stay the log's whatever the filter."""
    shown = tuple(tasks if tasks is not None else _tasks_by_section(plan))
    numbers = {task.number for task in shown}
    grouped: dict[tuple[int, int], list[Stage]] = {}
    for entry in entries if entries is not None else (log.entries if log else ()):
        for number in entry.tasks:
            if number in numbers:
                grouped.setdefault((number, date_year(entry.date)), []).append(entry.stage)
    cells = {key: MatrixCell(len(stages), furthest(stages)) for key, stages in grouped.items()}
    return Matrix(shown, matrix_years(plan, log), cells)


MAX_MATRIX_TASKS = 300  # more task rows than this and the matrix shows one row per section: 2,700 rows drew in ~7 s


@dataclass(frozen=True)
class SectionMatrix:
    """The section × year coverage, for more tasks than a row each can show: a cell counts the entries on any of the
    section's shown tasks that year (an entry on two of them once) and the furthest stage they reach."""

    sections: tuple[tuple[str, int], ...]  # (section id, how many of its tasks are shown), in section order
    years: tuple[int, ...]
    cells: dict[tuple[str, int], MatrixCell] = field(default_factory=dict)

    def cell(self, section: str, year: int) -> MatrixCell:
        return self.cells.get((section, year), MatrixCell())


def section_matrix(
    plan: Plan, log: ProgressLog | None, *, entries: Sequence[Entry] | None = None, tasks: Sequence[Task] | None = None
) -> SectionMatrix:
    """`coverage_matrix` summed up by section: the same entries and tasks, one row per section that has any of the tasks."""
    shown = tuple(tasks if tasks is not None else _tasks_by_section(plan))
    section_of = {task.number: task.section for task in shown}
    sizes: dict[str, int] = {}
    for task in shown:
        sizes[task.section] = sizes.get(task.section, 0) + 1
    grouped: dict[tuple[str, int], list[Stage]] = {}
    for entry in entries if entries is not None else (log.entries if log else ()):
        year = date_year(entry.date)
        for section in {section_of[n] for n in entry.tasks if n in section_of}:
            grouped.setdefault((section, year), []).append(entry.stage)
    cells = {key: MatrixCell(len(stages), furthest(stages)) for key, stages in grouped.items()}
    order = [s.id for s in plan.sections_in_order if s.id in sizes]
    return SectionMatrix(tuple((s, sizes[s]) for s in order), matrix_years(plan, log), cells)


def _tasks_by_section(plan: Plan) -> list[Task]:
    return [task for tasks in plan.tasks_by_section.values() for task in tasks]


@dataclass(frozen=True)
class TaskEvidence:
    """What is known of one task: its public entries, its accepted reports, and the furthest stage either reaches."""

    task: Task
    entries: tuple[Entry, ...]
    reports: tuple[AcceptedReport, ...]

    @property
    def furthest_public(self) -> Stage | None:
        return furthest(e.stage for e in self.entries)

    @property
    def has_public_evidence(self) -> bool:
        return bool(self.entries)


def task_evidence(plan: Plan, log: ProgressLog | None, reports: Sequence[AcceptedReport] = ()) -> list[TaskEvidence]:
    """Every task in section order, with its evidence (an empty tuple where none was found)."""
    entries = entries_by_task(log)
    accepted = reports_by_task(reports)
    return [
        TaskEvidence(task, tuple(entries.get(task.number, ())), tuple(accepted.get(task.number, ()))) for task in _tasks_by_section(plan)
    ]


@dataclass(frozen=True)
class EvidenceFilter:
    """Filters that combine with AND; an empty field does not filter. `role` applies to `agency`."""

    sections: frozenset[str] = frozenset()
    agency: str | None = None
    role: RoleChoice = "any"
    sites: frozenset[str] = frozenset()
    stages: frozenset[Stage] = frozenset()
    years: frozenset[int] = frozenset()
    sides: frozenset[Side] = frozenset()
    keyword: str = ""


def _haystack(entry: Entry) -> str:
    source = entry.source
    return " ".join(
        (entry.summary.zh, entry.summary.en, entry.quote, strip_pinyin_glosses(entry.quote), source.publisher, source.title)
    ).casefold()


def filter_entries(plan: Plan, log: ProgressLog | None, chosen: EvidenceFilter) -> list[Entry]:
    """The entries that pass every filter, in date order. Overall entries pass only filters that do not need a task."""
    task_by_number = {task.number: task for task in plan.tasks}
    keyword = chosen.keyword.strip().casefold()
    kept = []
    for entry in sorted(log.entries if log else (), key=lambda e: date_key(e.date)):
        tasks = [task_by_number[n] for n in entry.tasks if n in task_by_number]
        if chosen.sections and not any(task.section in chosen.sections for task in tasks):
            continue
        if chosen.agency and not any(chosen.agency in agencies_in_role(task, chosen.role) for task in tasks):
            continue
        if chosen.sites and not chosen.sites.intersection(entry.sites):
            continue
        if chosen.stages and entry.stage not in chosen.stages:
            continue
        if chosen.years and date_year(entry.date) not in chosen.years:
            continue
        if chosen.sides and entry.side not in chosen.sides:
            continue
        if keyword and keyword not in _haystack(entry):
            continue
        kept.append(entry)
    return kept


def tasks_matching(plan: Plan, chosen: EvidenceFilter) -> list[Task]:
    """The matrix's rows: tasks in the chosen sections whose agencies include the chosen one in the chosen role."""
    return [
        task
        for task in _tasks_by_section(plan)
        if (not chosen.sections or task.section in chosen.sections)
        and (not chosen.agency or chosen.agency in agencies_in_role(task, chosen.role))
    ]


def filter_reports(plan: Plan, reports: Sequence[AcceptedReport], chosen: EvidenceFilter) -> list[AcceptedReport]:
    """Accepted reports passing the filters that apply to a report: section, agency and role, year and stage, keyword."""
    task_by_number = {task.number: task for task in plan.tasks}
    keyword = chosen.keyword.strip().casefold()
    kept = []
    for report in reports:
        task = task_by_number.get(report.task)
        if task is None:
            continue
        if chosen.sections and task.section not in chosen.sections:
            continue
        if chosen.agency and chosen.agency not in agencies_in_role(task, chosen.role):
            continue
        if chosen.years and report.period.year not in chosen.years:
            continue
        if chosen.stages and report.stage not in chosen.stages:
            continue
        if keyword and keyword not in f"{report.done} {report.next_steps}".casefold():
            continue
        kept.append(report)
    return kept


@dataclass(frozen=True)
class AgencyCoverage:
    """The tasks an agency leads, split by whether any public evidence was found for them."""

    agency: str
    with_evidence: tuple[int, ...]
    without_evidence: tuple[int, ...]


def _evidenced(log: ProgressLog | None) -> set[int]:
    return {number for entry in (log.entries if log else ()) for number in entry.tasks}


def agency_coverage(plan: Plan, log: ProgressLog | None, agency_id: str, *, evidenced: set[int] | None = None) -> AgencyCoverage:
    """`evidenced`: the task numbers with any entry, when the caller has them already (one agency after another)."""
    evidenced = _evidenced(log) if evidenced is None else evidenced
    led = [task.number for task in plan.tasks_in_order if agency_id in task.lead]
    return AgencyCoverage(
        agency_id,
        tuple(n for n in led if n in evidenced),
        tuple(n for n in led if n not in evidenced),
    )


def agency_coverage_table(plan: Plan, log: ProgressLog | None, lang: str) -> pd.DataFrame:
    """Per agency that leads tasks: how many it leads, which have public evidence and which have none found.

    The evidenced tasks are found once for all agencies: once per agency, sorting 10,000 entries each time, took
    15 s for the 100× plan's 340 agencies."""
    evidenced = _evidenced(log)
    rows = []
    for agency in plan.agencies:
        coverage = agency_coverage(plan, log, agency.id, evidenced=evidenced)
        led = len(coverage.with_evidence) + len(coverage.without_evidence)
        if led:
            rows.append([agency.name.get(lang), led, _numbers(coverage.with_evidence), _numbers(coverage.without_evidence)])
    rows.sort(key=lambda row: -row[1])
    columns = [t("progress.col.agency", lang), t("progress.col.leads", lang), t("progress.col.with", lang), t("progress.col.without", lang)]
    return pd.DataFrame(rows, columns=columns)


def _numbers(numbers: Sequence[int]) -> str:
    return "、".join(map(str, numbers)) or "—"


def reports_table(plan: Plan, reports: Sequence[AcceptedReport], lang: str) -> pd.DataFrame:
    """Accepted agency reports, apart from public evidence: who reported, for which period, and when it was accepted."""
    columns = [
        t("progress.col.period", lang),
        t("progress.col.tasks", lang),
        t("progress.col.agency", lang),
        t("progress.col.stage", lang),
        t("progress.col.status", lang),
        t("progress.col.done", lang),
        t("progress.col.next", lang),
        t("progress.col.reported_by", lang),
        t("progress.col.accepted", lang),
    ]
    rows = [
        [
            report.period.label,
            str(report.task),
            plan.agency_by_id[report.agency].name.get(lang) if report.agency in plan.agency_by_id else report.agency,
            t(f"stage.{report.stage.value}", lang) if report.stage else "—",
            t(f"reports.status.{report.status.value}", lang),
            report.done,
            report.next_steps,
            report.reported_by,
            t("progress.report.accepted", lang, date=report.accepted_at.date().isoformat(), reviewer=report.accepted_by),
        ]
        for report in reports
    ]
    return pd.DataFrame(rows, columns=columns)


def date_text(value: str | None, lang: str) -> str:
    """A date as the source gives it, with its precision in words when it is not a day."""
    if not value:
        return "—"
    precision = ("year", "month", "day")[value.count("-")]
    return value if precision == "day" else t(f"progress.precision.{precision}", lang, date=value)


def entry_table(plan: Plan, entries: Sequence[Entry], lang: str) -> pd.DataFrame:
    """The entries as a table for display and download: one row per entry, the quote verbatim."""
    columns = [
        t("progress.col.date", lang),
        t("progress.col.published", lang),
        t("progress.col.tasks", lang),
        t("progress.col.stage", lang),
        t("progress.col.side", lang),
        t("progress.col.summary", lang),
        t("progress.col.quote", lang),
        t("progress.col.publisher", lang),
        t("progress.col.title", lang),
        t("progress.col.caveats", lang),
        t("progress.col.url", lang),
        t("progress.col.id", lang),
    ]
    rows = [
        [
            date_text(entry.event_date, lang),
            date_text(entry.published, lang),
            task_list_text(entry, lang),
            t(f"stage.{entry.stage.value}", lang),
            t(f"side.{entry.side.value}", lang),
            entry.summary.get(lang),
            entry.quote,
            entry.source.publisher,
            entry.source.title,
            source_caveats(entry, lang),
            entry.source.url,
            entry.id,
        ]
        for entry in entries
    ]
    return pd.DataFrame(rows, columns=columns)


def task_list_text(entry: Entry, lang: str) -> str:
    numbers = "、".join(str(n) for n in entry.tasks)
    if entry.overall:
        return t("progress.overall", lang) + (f" · {numbers}" if numbers else "")
    return numbers


def source_caveats(entry: Entry, lang: str) -> str:
    """The source's caveats in words: a repost, a traditional-character copy, a second-hand page."""
    source = entry.source
    words = [t(f"progress.caveat.{name}", lang) for name in ("repost", "traditional", "secondhand") if getattr(source, name)]
    return "、".join(words) if lang == "zh" else ", ".join(words)


def tasks_with_evidence(plan: Plan, log: ProgressLog | None) -> int:
    evidenced = set(entries_by_task(log))
    return sum(1 for task in plan.tasks if task.number in evidenced)
