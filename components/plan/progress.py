"""The progress log (`data/progress.yaml`): dated, quoted public evidence of what was done under the plan's tasks.

One entry is one event a public source reports. It says which tasks it evidences (or that it is about the
plan as a whole), how far the thing got (a `Stage`), when it happened and when it was published, each only
as precisely as the source says, and the verbatim quote it was read in. The file goes through the plan's
safe YAML reader; `cross_check` needs the plan, because task numbers and site ids are the plan's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator, model_validator

from components.paths import PROGRESS_LOG
from components.plan.loader import Problem, Validated, read_file, validate_yaml
from components.plan.model import Id, Label, Name, Plan, Strict, Text, _finite

SCHEMA = "progress/1"
MAX_ENTRIES = 20_000
MAX_QUOTE = 4_000
EARLIEST_YEAR = 2000


class Stage(str, Enum):
    """How far the thing an entry reports had got, in the words the sources use.

    The first six form a ladder that facilities, labs and centres climb (`LADDER`); the other five are
    kinds of entry that are not steps on it.
    """

    approved = "approved"  # 获批 / 批复 / 认定 / 入选
    unveiled = "unveiled"  # 揭牌 / 挂牌 / 成立
    construction_started = "construction_started"  # 开工 / 启动建设
    topped_out = "topped_out"  # 封顶
    completed = "completed"  # 建成 / 投运 / 投用 / 运行
    accepted = "accepted"  # 通过验收
    policy_issued = "policy_issued"  # a policy, plan, work list or agreement issued or signed (印发 / 出台 / 签署)
    projects_funded = "projects_funded"  # projects approved, funded or laid out (立项 / 支持 / 布局 N 个项目)
    call_opened = "call_opened"  # a call for applications or proposals opened; nothing is funded yet (申报启动 / 申报通知 / 征集指南)
    count_reported = "count_reported"  # a count or total reported (累计 / 已建成 N 个)
    activity_held = "activity_held"  # a meeting, fair, exchange or joint action held (召开 / 举办 / 开展)


LADDER: tuple[Stage, ...] = (
    Stage.approved,
    Stage.unveiled,
    Stage.construction_started,
    Stage.topped_out,
    Stage.completed,
    Stage.accepted,
)


class Side(str, Enum):
    """Which side of the Sichuan–Chongqing pair reported the event."""

    sichuan = "sichuan"
    chongqing = "chongqing"
    joint = "joint"


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # fullmatch: no trailing newline, no non-ASCII digits


def _evidence_date(value: object) -> str:
    """`2022`, `2022-11` or `2022-11-23`, kept at the precision given: a month is never padded to a day.

    YAML reads an unquoted `2022-11-23` as a date and `2022` as a number; both come back as text here.
    """
    if isinstance(value, dt.datetime):
        raise ValueError("give a date without a time")
    if isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"{value[:40]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not EARLIEST_YEAR <= year <= 2100:
        raise ValueError(f"year {year} is out of range")
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(f"{value} is not a date in the calendar ({error})") from None
    return value


EvidenceDate = Annotated[str, BeforeValidator(_evidence_date)]


def date_precision(value: str) -> Literal["year", "month", "day"]:
    return ("year", "month", "day")[value.count("-")]


def date_key(value: str) -> tuple[int, int, int]:
    """Sorts dates of mixed precision: a bare year sorts before its months, a month before its days."""
    year, month, day = [int(part) for part in value.split("-")] + [0] * (2 - value.count("-"))
    return year, month, day


def date_year(value: str) -> int:
    return int(value[:4])


def earliest_day(value: str) -> dt.date:
    year, month, day = date_key(value)
    return dt.date(year, month or 1, day or 1)


Quote = Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUOTE)]
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']{1,2000}")


def _web_address(value: str) -> str:
    """Only http(s) addresses: the views turn it into a link, so `javascript:` or `file:` must never get through."""
    if not _WEB_ADDRESS.fullmatch(value):
        raise ValueError("an address starts with http:// or https:// and has no spaces, quotes or angle brackets")
    return value


Url = Annotated[str, AfterValidator(_web_address)]


class EntrySource(Strict):
    """Where an entry was read: the original publisher and title, the address of the copy actually read, and its caveats."""

    publisher: Name
    title: Name
    url: Url
    repost: bool = False  # read on a repost or mirror page, not the publisher's own site
    traditional: bool = False  # a traditional-character conversion; such pages gloss characters with pinyin, e.g. 創(chuàng)
    secondhand: bool = False  # a forum repost, a summary page or a machine summary, not the report itself


class Count(Strict):
    """A number an entry reports, with how it was counted: counts from different sources are not one series."""

    value: float
    unit: Label
    counted_as: Label

    _check_value = field_validator("value")(_finite)


class Entry(Strict):
    id: Id
    tasks: Annotated[list[Annotated[int, Field(ge=1, le=9999)]], Field(max_length=100)] = []
    overall: bool = False  # a statement about the plan's whole field, not (only) about listed tasks
    sites: Annotated[list[Id], Field(max_length=100)] = []
    stage: Stage
    event_date: EvidenceDate | None = None  # when it happened, where the source says
    published: EvidenceDate | None = None  # when the source was published
    side: Side
    summary: Text
    quote: Quote
    source: EntrySource
    counts: Annotated[list[Count], Field(max_length=20)] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _has_subject_and_date(self) -> Entry:
        if not self.tasks and not self.overall:
            raise ValueError("an entry evidences at least one task, or is marked overall: true")
        if self.event_date is None and self.published is None:
            raise ValueError("give the event date, the publication date, or both")
        return self

    @property
    def date(self) -> str:
        """The date an entry is filed under: when it happened if the source says, else when it was published."""
        return self.event_date or self.published or ""


class ProgressLog(Strict):
    """In the file the first key is `schema`; in Python it is `schema_` (pydantic reserves `schema`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    schema_: Literal["progress/1"] = Field(alias="schema")
    plan_doc_number: Name
    as_of: dt.date  # the day the public record was last searched: nothing after it can be in the log
    entries: Annotated[list[Entry], Field(max_length=MAX_ENTRIES)]


PathPart = str | int


def cross_check(log: ProgressLog, plan: Plan) -> list[tuple[tuple[PathPart, ...], str]]:
    """Checks that need the plan: task numbers, site ids, the document number, ids and dates."""
    problems: list[tuple[tuple[PathPart, ...], str]] = []
    if log.plan_doc_number != plan.meta.doc_number:
        problems.append((("plan_doc_number",), f"made for plan {log.plan_doc_number!r}, but the loaded plan is {plan.meta.doc_number!r}"))
    tasks = {task.number for task in plan.tasks}
    sites = set(plan.site_by_id)
    seen: Counter = Counter()
    for index, entry in enumerate(log.entries):
        path = ("entries", index)
        seen[entry.id] += 1
        if seen[entry.id] == 2:
            problems.append(((*path, "id"), f"duplicate id {entry.id!r}"))
        problems += [((*path, "tasks", i), f"unknown task number {n}") for i, n in enumerate(entry.tasks) if n not in tasks]
        problems += [((*path, "sites", i), f"unknown site {s!r}") for i, s in enumerate(entry.sites) if s not in sites]
        for field in ("event_date", "published"):
            value = getattr(entry, field)
            if value is not None and earliest_day(value) > log.as_of:
                problems.append(((*path, field), f"{value} is after the log's as_of date {log.as_of.isoformat()}"))
        if entry.event_date and entry.published and _before(entry.published, entry.event_date):
            problems.append(((*path, "published"), f"published {entry.published} before the event it reports ({entry.event_date})"))
    return problems


def _before(a: str, b: str) -> bool:
    """True when `a` is surely earlier than `b`, compared at the coarser of the two precisions."""
    depth = min(a.count("-"), b.count("-")) + 1
    return date_key(a)[:depth] < date_key(b)[:depth]


def load_progress_text(raw: bytes, file: str, plan: Plan) -> Validated[ProgressLog]:
    """Parse and validate progress-log bytes against a plan; never raises for bad input."""
    validated = validate_yaml(raw, file, ProgressLog)
    if validated.value is None:
        return validated
    problems = tuple(validated.problem_at(path, message) for path, message in cross_check(validated.value, plan))
    return Validated(None, problems, validated.lines, file) if problems else validated


def load_progress_file(plan: Plan, path: str | Path = PROGRESS_LOG) -> Validated[ProgressLog]:
    raw = read_file(path)
    if isinstance(raw, Problem):
        return Validated(None, (raw,))
    return load_progress_text(raw, Path(path).name, plan)
