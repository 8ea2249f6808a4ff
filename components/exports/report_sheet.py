"""The 台账 sheet for one agency and period: a row per task it leads or supports, the last accepted report beside it,
and empty columns to fill in offline. `plan/report_sheet.py` reads it back.

The first columns (task number, period, task, role, last accepted report) are grey and locked (the sheet is
protected without a password, so nobody overwrites them by accident); stage and status offer drop-down lists;
a second sheet explains the columns and the status definitions. Every text cell is stored as text, and text
that starts like a formula (= + - @) is escaped.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from components.exports.tables import keep_as_text, text_cell
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import Stage
from components.plan.report_sheet import COLUMNS, INPUT_COLUMNS, header, stage_label, status_label
from components.plan.reports import (
    MAX_DOCUMENT,
    MAX_DONE,
    MAX_LINK,
    MAX_NEXT_STEPS,
    AcceptedReport,
    Period,
    ProgressStatus,
    agency_role,
    agency_tasks,
)

WIDTHS = {"task": 9, "period": 9, "title": 30, "role": 8, "last_accepted": 40, "stage": 16, "status": 14, "done": 50, "next_steps": 40}
LOCKED_FILL = PatternFill("solid", fgColor="E5E7EB")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")


def file_name(agency: str, period: Period) -> str:
    return f"progress-{agency}-{period.label}.xlsx"


def last_accepted(reports: list[AcceptedReport], agency: str, task: int) -> AcceptedReport | None:
    """The agency's most recent accepted report on the task, of any period."""
    mine = [r for r in reports if r.agency == agency and r.task == task]
    return max(mine, key=lambda r: (r.period.sort_key, r.accepted_at), default=None)


def _summary(report: AcceptedReport | None, lang: str) -> str:
    if report is None:
        return t("sheet.none_accepted", lang)
    stage = f" · {stage_label(report.stage, lang)}" if report.stage else ""
    return f"{report.period.label} · {status_label(report.status, lang)}{stage}: {report.done}"


def _list_rule(options: list[str], prompt: str, error: str) -> DataValidation:
    rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True, showDropDown=False)
    rule.prompt, rule.error, rule.showInputMessage, rule.showErrorMessage = prompt, error, True, True
    return rule


def sheet_bytes(plan: Plan, agency: str, period: Period, accepted: list[AcceptedReport], lang: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t("sheet.title", lang)
    sheet.append([header(column, lang) for column in COLUMNS])
    for task in agency_tasks(plan, agency):
        role = t(f"sheet.role.{agency_role(task, agency)}", lang)
        last = _summary(last_accepted(accepted, agency, task.number), lang)
        sheet.append([task.number, period.label, text_cell(task.title.get(lang)), role, text_cell(last)] + [None] * len(INPUT_COLUMNS))
    rows = sheet.max_row
    first_input = len(COLUMNS) - len(INPUT_COLUMNS) + 1
    for row in sheet.iter_rows(min_row=1, max_row=rows):
        for cell in row:
            if isinstance(cell.value, str):
                keep_as_text(cell)  # text, whatever it starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.row == 1:
                cell.font = Font(bold=True)
            if cell.column >= first_input and cell.row > 1:
                cell.fill = INPUT_FILL
                cell.protection = Protection(locked=False)
            elif cell.row > 1:
                cell.fill = LOCKED_FILL
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 24)
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True  # no password: it guards against slips, the upload checks everything anyway
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    if rows > 1:
        stage_col = get_column_letter(COLUMNS.index("stage") + 1)
        status_col = get_column_letter(COLUMNS.index("status") + 1)
        stages = _list_rule([stage_label(s, lang) for s in Stage], t("sheet.pick_stage", lang), t("sheet.pick_from_list", lang))
        statuses = _list_rule(
            [status_label(s, lang) for s in ProgressStatus], t("sheet.pick_status", lang), t("sheet.pick_from_list", lang)
        )
        stages.add(f"{stage_col}2:{stage_col}{rows}")
        statuses.add(f"{status_col}2:{status_col}{rows}")
        sheet.add_data_validation(stages)
        sheet.add_data_validation(statuses)
    _instructions(workbook, plan, agency, period, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(workbook: Workbook, plan: Plan, agency: str, period: Period, lang: str) -> None:
    notes = workbook.create_sheet(t("sheet.notes_title", lang))
    name = plan.agency_by_id[agency].name.get(lang) if agency in plan.agency_by_id else agency
    lines = [
        t("sheet.notes.heading", lang, agency=name, period=period.label, doc=plan.meta.doc_number),
        t("sheet.notes.rows", lang),
        t("sheet.notes.locked", lang),
        t("sheet.notes.limits", lang, done=MAX_DONE, next_steps=MAX_NEXT_STEPS, link=MAX_LINK, document=MAX_DOCUMENT),
        t("sheet.notes.review", lang),
        "",
        t("reports.status.heading", lang),
        *(f"{status_label(s, lang)}: {t(f'reports.status.{s.value}.definition', lang)}" for s in ProgressStatus),
        "",
        t("reports.stage.heading", lang),
        *(stage_label(s, lang) for s in Stage),
    ]
    for line in lines:
        notes.append([text_cell(line)])
        keep_as_text(notes.cell(notes.max_row, 1))
    notes.column_dimensions["A"].width = 110
    notes["A1"].font = Font(bold=True)
