"""The 台账 sheet agencies fill in offline: its columns, and reading an uploaded one safely.

Any bytes may arrive, so the file is bounded before openpyxl sees it (file size, number of parts, uncompressed
size and compression ratio of the zip: an xlsx is a zip), formulas are never evaluated (a cell holding one is a
problem of that cell), rows and columns are bounded, and every problem is reported by row and column. A sheet
with any problem yields no drafts at all: it is refused whole. The sheet is written by `exports/report_sheet.py`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.utils import get_column_letter

from components.i18n import LANGUAGES, t
from components.plan.model import Plan
from components.plan.progress import Stage
from components.plan.reports import Period, ProgressStatus, ReportDraft, agency_role, make_draft

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
MAX_PARTS = 200
MAX_RATIO = 100  # an xlsx part compresses about 5–20 times; a zip bomb thousands of times
MAX_ROWS = 2000
MAX_COLUMNS = 30
MAX_CELL_CHARS = 10_000  # any cell, also in columns that are not read: bounds the work per row

# The sheet's columns in order; the first five are filled in by the dashboard and locked, the rest are the agency's.
COLUMNS = (
    "task",
    "period",
    "title",
    "role",
    "last_accepted",
    "stage",
    "status",
    "done",
    "next_steps",
    "evidence_link",
    "evidence_document",
)
INPUT_COLUMNS = COLUMNS[5:]
REQUIRED_COLUMNS = ("task", "period", *INPUT_COLUMNS)


def header(column: str, lang: str) -> str:
    return t(f"sheet.col.{column}", lang)


def stage_label(stage: Stage, lang: str) -> str:
    return t(f"stage.{stage.value}", lang)


def status_label(status: ProgressStatus, lang: str) -> str:
    return t(f"reports.status.{status.value}", lang)


def _choices(enum: type, label) -> dict[str, object]:
    """Every way a value may be written in the sheet: its label in either language, or its id."""
    found: dict[str, object] = {}
    for member in enum:
        found[member.value] = member
        for lang in LANGUAGES:
            found[label(member, lang).casefold()] = member
    return found


@dataclass(frozen=True)
class SheetProblem:
    """Where (the Excel row number and column letter, when known) and what: `code` is `sheet.problem.<code>` in the i18n table."""

    row: int | None
    column: str | None
    code: str
    detail: str = ""  # a header name, a limit, the value seen


@dataclass(frozen=True)
class SheetResult:
    drafts: tuple[ReportDraft, ...]
    problems: tuple[SheetProblem, ...]
    rows: int  # data rows read

    @property
    def ok(self) -> bool:
        return not self.problems


def _refused(*problems: SheetProblem) -> SheetResult:
    return SheetResult((), problems, 0)


def _zip_problem(raw: bytes) -> SheetProblem | None:
    """An xlsx is a zip: refuse one that is not, or that would unpack to far more than it weighs."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return SheetProblem(None, None, "not_xlsx")
    if len(parts) > MAX_PARTS:
        return SheetProblem(None, None, "zip_bomb", f"{len(parts)} parts")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNZIPPED_BYTES or any(part.file_size > MAX_RATIO * max(part.compress_size, 1) + 4096 for part in parts):
        return SheetProblem(None, None, "zip_bomb", f"{total:,} bytes unpacked")
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _task_number(value: object) -> int | None:
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def read_sheet(raw: bytes, plan: Plan, agency: str, period: Period) -> SheetResult:
    """The drafts of a filled-in sheet for this agency and period, or every problem in it (and then no drafts)."""
    if len(raw) > MAX_FILE_BYTES:
        return _refused(SheetProblem(None, None, "too_big", f"{MAX_FILE_BYTES // 1024 // 1024} MB"))
    if problem := _zip_problem(raw):
        return _refused(problem)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file; all mean the same to the reporter)
        return _refused(SheetProblem(None, None, "not_xlsx"))
    try:
        return _read_rows(workbook.worksheets[0], plan, agency, period)
    except Exception:  # noqa: BLE001 (a part that parses but is malformed surfaces while reading rows)
        return _refused(SheetProblem(None, None, "not_xlsx"))
    finally:
        workbook.close()


def _read_rows(sheet, plan: Plan, agency: str, period: Period) -> SheetResult:
    rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS)
    first = next(rows, None)
    headers = {header(column, lang): column for column in COLUMNS for lang in LANGUAGES}
    where: dict[str, int] = {}
    for index, cell in enumerate(first or ()):
        column = headers.get(_text(cell.value))
        if column is not None and column not in where:
            where[column] = index
    missing = [c for c in REQUIRED_COLUMNS if c not in where]
    if missing:
        return _refused(*(SheetProblem(1, None, "missing_column", header(c, "zh") + " / " + header(c, "en")) for c in missing))

    reader = _RowReader(plan, agency, period, where)
    problems: list[SheetProblem] = []
    drafts: list[ReportDraft] = []
    count = 0
    for number, row in enumerate(rows, start=2):
        count += 1
        if count > MAX_ROWS:
            problems.append(SheetProblem(number, None, "too_many_rows", str(MAX_ROWS)))
            break
        draft, row_problems = reader.read(number, list(row))
        problems += row_problems
        if draft is not None:
            drafts.append(draft)
    if problems:
        return SheetResult((), tuple(problems), count)
    return SheetResult(tuple(drafts), (), count)


class _RowReader:
    """Reads one data row at a time, remembering which tasks earlier rows named."""

    def __init__(self, plan: Plan, agency: str, period: Period, where: dict[str, int]) -> None:
        self.tasks = {task.number: task for task in plan.tasks}
        self.agency = agency
        self.period = period
        self.where = where
        self.stages = _choices(Stage, stage_label)
        self.statuses = _choices(ProgressStatus, status_label)
        self.seen: dict[int, int] = {}  # task number → the row that named it first

    def letter(self, column: str) -> str:
        return get_column_letter(self.where[column] + 1)

    def read(self, number: int, cells: list) -> tuple[ReportDraft | None, list[SheetProblem]]:
        unsafe = [SheetProblem(number, get_column_letter(i + 1), "formula") for i, cell in enumerate(cells) if cell.data_type == "f"]
        unsafe += [
            SheetProblem(number, get_column_letter(i + 1), "cell_too_long", str(MAX_CELL_CHARS))
            for i, cell in enumerate(cells)
            if isinstance(cell.value, str) and len(cell.value) > MAX_CELL_CHARS
        ]
        if unsafe:
            return None, unsafe
        text = {column: _text(cells[i].value) if i < len(cells) else "" for column, i in self.where.items()}
        if all(text[c] == "" for c in INPUT_COLUMNS):
            return None, []  # a task the agency does not report on this time
        task_number = _task_number(text["task"])
        if task_number is None or task_number not in self.tasks:
            return None, [SheetProblem(number, self.letter("task"), "unknown_task", text["task"][:20])]
        if agency_role(self.tasks[task_number], self.agency) is None:
            return None, [SheetProblem(number, self.letter("task"), "not_agency_task", str(task_number))]
        if task_number in self.seen:
            return None, [SheetProblem(number, self.letter("task"), "duplicate_task", str(self.seen[task_number]))]
        self.seen[task_number] = number
        problems = []
        if text["period"] != self.period.label:
            problems.append(SheetProblem(number, self.letter("period"), "wrong_period", text["period"][:20]))
        stage = self.stages.get(text["stage"].casefold()) if text["stage"] else None
        status = self.statuses.get(text["status"].casefold()) if text["status"] else None
        for column, found in (("stage", stage), ("status", status)):
            if text[column] and found is None:
                problems.append(SheetProblem(number, self.letter(column), "not_in_list", text[column][:40]))
        draft, draft_problems = make_draft(
            task=task_number,
            period=self.period,
            stage=stage,
            status=status,
            done=text["done"],
            next_steps=text["next_steps"],
            evidence_link=text["evidence_link"],
            evidence_document=text["evidence_document"],
        )
        for problem in draft_problems:
            if problem.field in INPUT_COLUMNS and not (problem.field == "status" and text["status"]):  # already said: not in the list
                problems.append(SheetProblem(number, self.letter(problem.field), problem.code, str(problem.limit or "")))
        return (None if problems else draft), problems
