"""Agencies' progress reports as the rest of the dashboard reads them: typed values, no database.

The store (`components/store/`) keeps every version and state of a report; what the progress views,
the task cards and the Word report need is the accepted version of each, as an `AcceptedReport`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

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
