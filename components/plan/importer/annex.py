"""Units given only in an annex table (附件：重点任务分工表): rows of 序号 | 任务 | 牵头单位 | 配合单位 (or 责任单位).

Rows arrive as lines with tab-separated cells (an HTML or Word table, a copied spreadsheet) or
cells split by `|` or by runs of two or more spaces. A row is tied to a task by its number, else by
the task title it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.plan.importer.reading import BLANK, SourceLine
from components.plan.importer.units import ROLE_TAIL, Statement

NUMBER_HEAD = re.compile(r"^(?:序号|编号|序)$")
TASK_HEAD = re.compile(r"任务|事项|内容|举措|措施|工作")
LEAD_HEAD = re.compile(r"牵头")
SUPPORT_HEAD = re.compile(r"配合|参与|协同|协办|协助")
PLAIN_HEAD = re.compile(r"责任")


@dataclass(frozen=True)
class AnnexRow:
    line: int
    number: int | None
    task: str
    statement: Statement


def cells_of(text: str) -> list[str]:
    if "\t" in text:
        cells = text.split("\t")
    elif "|" in text:
        cells = text.strip("|").split("|")
    else:
        cells = re.split(r"\s{2,}", text)
    return [cell.strip(BLANK) for cell in cells]


CELL_BREAK = re.compile(r"(?<=[\u4e00-\u9fff）)])\s+(?=[\u4e00-\u9fff（(])")


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _units_cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    """A units cell; its own lines (<p>市财政局</p><p>各区政府</p>, a Word cell's paragraphs) are separate units."""
    return ROLE_TAIL.sub("", CELL_BREAK.sub("、", _cell(cells, columns, name))).strip(BLANK)


def annex_rows(lines: list[SourceLine]) -> tuple[int | None, list[AnnexRow]]:
    """(line of the header row, the rows under it) of the first table whose header names a task and its units."""
    columns: dict[str, int] = {}
    header_line = None
    rows: list[AnnexRow] = []
    for line in lines:
        cells = cells_of(line.text)
        if len(cells) < 2:
            continue
        if header_line is None:
            found: dict[str, int] = {}
            for index, cell in enumerate(cells):
                if NUMBER_HEAD.match(cell):
                    found.setdefault("number", index)
                elif LEAD_HEAD.search(cell):
                    found.setdefault("lead", index)
                elif SUPPORT_HEAD.search(cell):
                    found.setdefault("support", index)
                elif PLAIN_HEAD.search(cell) and ("单位" in cell or "部门" in cell):
                    found.setdefault("plain", index)
                elif TASK_HEAD.search(cell):
                    found.setdefault("task", index)
            if ("task" in found or "number" in found) and ({"lead", "plain"} & set(found)):
                columns, header_line = found, line.number
            continue
        number_text = _cell(cells, columns, "number")
        number = int(number_text) if number_text.isdigit() else None
        task = _cell(cells, columns, "task")
        statement = Statement(line.text, 0, 0)
        if "lead" in columns:
            statement.lead_text = _units_cell(cells, columns, "lead")
            statement.support_text = _units_cell(cells, columns, "support")
            if not statement.lead_text and not statement.support_text:
                continue
        else:
            statement.plain_text = _units_cell(cells, columns, "plain")
            if not statement.plain_text:
                continue
        if number is None and not task:
            continue
        rows.append(AnnexRow(line.number, number, task, statement))
    return header_line, rows
