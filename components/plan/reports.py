"""Agencies' progress reports as the rest of the dashboard reads them: typed values, no database.

The store (`components/store/`) keeps every version and state of a report; what the progress views,
the task cards and the Word report need is the accepted version of each, as an `AcceptedReport`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum

from components.plan.model import Plan, Task
from components.plan.progress import Stage


class ProgressStatus(str, Enum):
    """The reporter's own judgement of a task in a period; the definitions shown beside the form are in the i18n table."""

    done = "done"  # 已完成
    on_track = "on_track"  # 按计划推进
    behind = "behind"  # 进度滞后
    not_started = "not_started"  # 未启动


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a year, or a quarter of a year."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise ValueError(f"year {self.year} is out of range")
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter {self.quarter} is not 1–4")

    @property
    def label(self) -> str:
        """`2025` or `2025-Q3`: the form used in sheets, URLs and the database."""
        return str(self.year) if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def sort_key(self) -> tuple[int, int]:
        """Orders periods by when they end: a year's quarters, then the year (comparing periods directly fails on
        a year against a quarter, whose `quarter` is None)."""
        return self.year, self.quarter or 5

    @classmethod
    def parse(cls, text: str) -> Period:
        """The inverse of `label`; anything else raises ValueError."""
        match = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{str(text)[:20]!r} is not a period like 2025 or 2025-Q3")
        year, quarter = match.groups()
        return cls(int(year), int(quarter) if quarter else None)


_PERIOD = re.compile(r"([0-9]{4})(?:-Q([1-4]))?")  # ASCII digits only: \d would take ２０２５


def reporting_periods(plan: Plan, today: dt.date) -> list[Period]:
    """The periods a report may be for, newest first: each year from the plan's start to this year, and its quarters
    that have begun. Nothing is reported for a period that has not started."""
    current_quarter = (today.month - 1) // 3 + 1
    periods = []
    for year in range(today.year, plan.meta.period_start - 1, -1):
        periods.append(Period(year))
        last = current_quarter if year == today.year else 4
        periods += [Period(year, quarter) for quarter in range(last, 0, -1)]
    return periods


CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # the plan's clock: no daylight saving, so a fixed offset


def local_date(now: dt.datetime) -> dt.date:
    """The day it is in Sichuan at `now`: a period begins at local midnight, not at UTC midnight."""
    return now.astimezone(CHINA_TIME).date()


def current_period(today: dt.date) -> Period:
    """The period reminders are about: the year under way (agencies report on the year, 年度工作安排)."""
    return Period(today.year)


def agency_role(task: Task, agency: str) -> str | None:
    """`lead`, `support`, or None when the agency has no part in the task (and may not report on it)."""
    if agency in task.lead:
        return "lead"
    if agency in task.support:
        return "support"
    return None


def agency_tasks(plan: Plan, agency: str) -> list[Task]:
    """The tasks an agency leads or supports, in task order: the ones it reports on."""
    return [task for task in plan.tasks_in_order if agency_role(task, agency) is not None]


class ReportState(str, Enum):
    """Where a report stands; each change is a new row in the store, never an edit of an old one."""

    submitted = "submitted"  # waiting for review (a first filing or a new version)
    accepted = "accepted"
    returned = "returned"  # sent back to the agency with a comment
    withdrawn = "withdrawn"  # taken back by the agency before acceptance


# What a report may say: bounded so one visitor cannot store megabytes, and checked the same way for the form,
# the sheet and a direct call to the store.
MAX_DONE = 2000
MAX_NEXT_STEPS = 2000
MAX_LINK = 500
MAX_DOCUMENT = 200
MAX_COMMENT = 1000
DRAFT_FIELDS = ("task", "period", "stage", "status", "done", "next_steps", "evidence_link", "evidence_document")
_LINK = re.compile(r"https?://[^\s<>\"'`\\]+")  # http(s) only: never javascript:, data: or file:
# Any control character but tab and line feed, and the Unicode direction overrides and isolates: an unclosed
# right-to-left override turns the rest of a line around wherever the text is shown ("Trojan Source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class DraftProblem:
    """One thing wrong with what a reporter wrote: the field, a code the interface translates (`reports.problem.<code>`), a limit."""

    field: str
    code: str
    limit: int = 0


class InvalidDraft(ValueError):
    def __init__(self, problems: list[DraftProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))


def text_problems(name: str, value: str | None, *, limit: int, required: bool = False, one_line: bool = False) -> list[DraftProblem]:
    if value is None or value == "":
        return [DraftProblem(name, "required")] if required else []
    if not isinstance(value, str):
        return [DraftProblem(name, "not_text")]
    if len(value) > limit:
        return [DraftProblem(name, "too_long", limit)]
    if _CONTROL.search(value) or (one_line and ("\n" in value or "\t" in value)):
        return [DraftProblem(name, "control")]
    return []


@dataclass(frozen=True)
class ReportDraft:
    """What a reporter files for one task and period. Constructing one checks it: a bad draft cannot reach the store,
    whichever way it came (the form, a sheet row, or a call that skips both)."""

    task: int
    period: Period
    stage: Stage | None
    status: ProgressStatus
    done: str
    next_steps: str = ""
    evidence_link: str | None = None
    evidence_document: str | None = None

    def __post_init__(self) -> None:
        problems = draft_problems(self)
        if problems:
            raise InvalidDraft(problems)


def draft_problems(draft: ReportDraft) -> list[DraftProblem]:
    problems = []
    if not isinstance(draft.task, int) or isinstance(draft.task, bool) or not 1 <= draft.task <= 9999:
        problems.append(DraftProblem("task", "unknown_task"))
    if not isinstance(draft.period, Period):
        problems.append(DraftProblem("period", "bad_period"))
    if draft.stage is not None and not isinstance(draft.stage, Stage):
        problems.append(DraftProblem("stage", "not_in_list"))
    if not isinstance(draft.status, ProgressStatus):
        problems.append(DraftProblem("status", "required" if draft.status is None else "not_in_list"))
    problems += text_problems("done", draft.done, limit=MAX_DONE, required=True)
    problems += text_problems("next_steps", draft.next_steps, limit=MAX_NEXT_STEPS)
    problems += text_problems("evidence_document", draft.evidence_document, limit=MAX_DOCUMENT, one_line=True)
    link = draft.evidence_link
    if link is not None:
        if not isinstance(link, str) or len(link) > MAX_LINK:
            problems.append(DraftProblem("evidence_link", "too_long", MAX_LINK))
        elif not _LINK.fullmatch(link):
            problems.append(DraftProblem("evidence_link", "bad_link"))
    return problems


def _clean(value: object) -> str:
    """Text as typed, without the spaces around it; None and non-text become empty (then checked as missing)."""
    return value.strip() if isinstance(value, str) else ""


def make_draft(
    *,
    task: int,
    period: Period,
    stage: Stage | None,
    status: ProgressStatus | None,
    done: object,
    next_steps: object = "",
    evidence_link: object = "",
    evidence_document: object = "",
) -> tuple[ReportDraft | None, list[DraftProblem]]:
    """A draft from what was typed (spaces trimmed, empty optional fields as None), or every problem with it."""
    try:
        draft = ReportDraft(
            task=task,
            period=period,
            stage=stage,
            status=status,  # type: ignore[arg-type]  (None is reported as a problem)
            done=_clean(done),
            next_steps=_clean(next_steps),
            evidence_link=_clean(evidence_link) or None,
            evidence_document=_clean(evidence_document) or None,
        )
    except InvalidDraft as invalid:
        return None, invalid.problems
    return draft, []


@dataclass(frozen=True)
class ReportVersionView:
    """One version of a report as filed."""

    version: int
    stage: Stage | None
    status: ProgressStatus
    done: str
    next_steps: str
    evidence_link: str | None
    evidence_document: str | None
    author: str
    created_at: dt.datetime
    via_sheet: bool = False


@dataclass(frozen=True)
class ReportEventView:
    """One change of state: who did it, when, to which version, and what they said."""

    state: ReportState
    version: int
    actor: str
    at: dt.datetime
    comment: str | None = None


@dataclass(frozen=True)
class ReportView:
    """A report with its latest version and state, as its agency and the reviewers see it."""

    report_id: int
    task: int
    agency: str
    period: Period
    state: ReportState
    latest: ReportVersionView
    state_by: str
    state_at: dt.datetime
    state_comment: str | None
    accepted_version: int | None = None  # the version the public sees, if one was accepted


@dataclass(frozen=True)
class ReportHistory:
    """Every version and every change of state of one report, oldest first."""

    report: ReportView
    versions: tuple[ReportVersionView, ...] = field(default=())
    events: tuple[ReportEventView, ...] = field(default=())


@dataclass(frozen=True)
class AcceptedReport:
    """The accepted version of one agency's report on one task for one period."""

    report_id: int
    version: int
    task: int
    agency: str  # the reporting agency's id in the plan
    period: Period
    stage: Stage | None
    status: ProgressStatus
    done: str  # what was done
    next_steps: str
    evidence_link: str | None
    evidence_document: str | None
    reported_by: str
    reported_at: dt.datetime
    accepted_by: str
    accepted_at: dt.datetime
    review_comment: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    """One task of an agency for one period: has it a report, and how far has that got (None: no report the viewer may see)."""

    task: int
    role: str  # lead | support
    state: ReportState | None


def coverage_rows(plan: Plan, agency: str, states: dict[tuple[str, int], ReportState]) -> list[CoverageRow]:
    """Every task the agency reports on, with the state of its report for the period (`states` is keyed by (agency, task))."""
    return [
        CoverageRow(task.number, agency_role(task, agency) or "", states.get((agency, task.number))) for task in agency_tasks(plan, agency)
    ]


@dataclass(frozen=True)
class CoverageSummary:
    """How many of an agency's tasks have a report for the period, by how far the report got."""

    agency: str
    tasks: int
    accepted: int
    submitted: int
    returned: int

    @property
    def missing(self) -> int:
        return self.tasks - self.accepted - self.submitted - self.returned


def coverage_summary(plan: Plan, states: dict[tuple[str, int], ReportState]) -> list[CoverageSummary]:
    """Every agency with tasks, those with the most tasks still lacking a report first (the reminder list).

    The tasks are grouped by agency in one pass: asking each agency for its tasks (`agency_tasks`) was 341 × 2,700
    role checks on the 100× plan, 4 s a run."""
    tasks_of: dict[str, list[int]] = {}
    for task in plan.tasks_in_order:
        for agency in dict.fromkeys([*task.lead, *task.support]):
            tasks_of.setdefault(agency, []).append(task.number)
    found = []
    for agency in plan.agencies:
        numbers = tasks_of.get(agency.id)
        if not numbers:
            continue
        got = [states.get((agency.id, number)) for number in numbers]
        count = {state: got.count(state) for state in ReportState}
        found.append(
            CoverageSummary(agency.id, len(numbers), count[ReportState.accepted], count[ReportState.submitted], count[ReportState.returned])
        )
    return sorted(found, key=lambda s: (-s.missing, -s.tasks, s.agency))
