"""Reading an uploaded 台账 sheet: a good sheet becomes drafts; a sheet with any bad row gives every problem by row and
column and no drafts; formulas, zip bombs, other files and oversized sheets are refused before any row is used."""

from __future__ import annotations

import io
import zipfile

import pytest

from components.exports.report_sheet import sheet_bytes
from components.plan import report_sheet
from components.plan.progress import Stage
from components.plan.report_sheet import SheetProblem, read_sheet
from components.plan.reports import Period, ProgressStatus, ReportDraft
from tests.helpers import fill_sheet

PERIOD = Period(2026)
GOOD = {
    3: {"stage": "政策/清单印发", "status": "按计划推进", "done": "印发评价办法", "next_steps": "开展首批评价"},
    4: {
        "status": "已完成",
        "done": "创新型城市建设评估完成",
        "evidence_link": "https://kjt.sc.gov.cn/a.html",
        "evidence_document": "川科〔2026〕9号",
    },
    2: {"stage": "Construction started", "status": "Behind", "done": "Line 2 of the science city: started"},  # English labels work too
}


@pytest.fixture(scope="module")
def blank(plan) -> bytes:
    """科技厅's sheet for 2026 as downloaded (Chinese headers)."""
    return sheet_bytes(plan, "kjt", PERIOD, [], "zh")


def test_a_good_sheet_becomes_drafts_in_row_order(plan, blank):
    result = read_sheet(fill_sheet(blank, GOOD), plan, "kjt", PERIOD)
    assert result.problems == ()
    assert result.drafts == (
        ReportDraft(2, PERIOD, Stage.construction_started, ProgressStatus.behind, "Line 2 of the science city: started"),
        ReportDraft(3, PERIOD, Stage.policy_issued, ProgressStatus.on_track, "印发评价办法", "开展首批评价"),
        ReportDraft(4, PERIOD, None, ProgressStatus.done, "创新型城市建设评估完成", "", "https://kjt.sc.gov.cn/a.html", "川科〔2026〕9号"),
    )
    assert result.rows == 26  # every task 科技厅 leads or supports has a row; the empty ones are skipped


def test_an_english_sheet_reads_the_same(plan):
    raw = fill_sheet(sheet_bytes(plan, "kjt", PERIOD, [], "en"), {3: {"status": "On track", "done": "issued"}})
    assert [(d.task, d.status) for d in read_sheet(raw, plan, "kjt", PERIOD).drafts] == [(3, ProgressStatus.on_track)]


def test_a_sheet_with_mixed_rows_lists_every_problem_and_yields_nothing(plan, blank):
    bad = {
        **GOOD,
        5: {"status": "差不多", "done": "x"},  # status not in the list
        6: {"stage": "政策/清单印发"},  # no status, no text
        7: {"status": "已完成", "done": "长" * 2001},
        8: {"status": "已完成", "done": "ok", "evidence_link": "javascript:alert(1)"},
        9: {"status": "已完成", "done": '=HYPERLINK("http://evil")'},  # openpyxl writes this as a formula
        10: {"status": "已完成", "done": "ok", "period": "2025"},
    }

    def retarget(sheet):
        sheet.cell(2, 1, 26)  # the one task 科技厅 has no part in
        sheet.cell(2, 8, "某项工作")
        sheet.cell(2, 7, "已完成")

    result = read_sheet(fill_sheet(blank, bad, edit=retarget), plan, "kjt", PERIOD)
    assert result.drafts == ()
    found = {(p.row, p.column, p.code, p.detail) for p in result.problems}
    rows = {task: row for row, task in enumerate(sorted(_tasks(blank)), start=2)}
    assert found == {
        (2, "A", "not_agency_task", "26"),
        (rows[5], "G", "not_in_list", "差不多"),
        (rows[6], "G", "required", ""),
        (rows[6], "H", "required", ""),
        (rows[7], "H", "too_long", "2000"),
        (rows[8], "J", "bad_link", ""),
        (rows[9], "H", "formula", ""),
        (rows[10], "B", "wrong_period", "2025"),
    }


def _tasks(raw: bytes) -> list[int]:
    import openpyxl

    return [row[0].value for row in openpyxl.load_workbook(io.BytesIO(raw)).worksheets[0].iter_rows(min_row=2)]


def test_the_same_task_twice_is_refused(plan, blank):
    def duplicate(sheet):
        sheet.cell(3, 1, sheet.cell(2, 1).value)

    first = _tasks(blank)[0]
    raw = fill_sheet(blank, {first: {"status": "已完成", "done": "a"}}, edit=duplicate)
    raw = fill_sheet(raw, {}, edit=lambda s: (s.cell(3, 7, "已完成"), s.cell(3, 8, "b")))
    problems = read_sheet(raw, plan, "kjt", PERIOD).problems
    assert [(p.row, p.column, p.code, p.detail) for p in problems] == [(3, "A", "duplicate_task", "2")]


def test_a_formula_anywhere_in_a_row_is_refused(plan, blank):
    raw = fill_sheet(blank, {3: {"status": "已完成", "done": "ok"}}, edit=lambda s: s.cell(4, 20, "=1+1"))
    assert [(p.row, p.column, p.code) for p in read_sheet(raw, plan, "kjt", PERIOD).problems] == [(4, "T", "formula")]


def test_changed_headers_are_named(plan, blank):
    def rename(sheet):
        sheet.cell(1, 7, "状态")

    problems = read_sheet(fill_sheet(blank, {}, edit=rename), plan, "kjt", PERIOD).problems
    assert problems == (SheetProblem(1, None, "missing_column", "进展状态 / Progress status"),)


def test_too_many_rows_stop_the_reading(plan, blank, monkeypatch):
    monkeypatch.setattr(report_sheet, "MAX_ROWS", 5)
    result = read_sheet(blank, plan, "kjt", PERIOD)
    assert [(p.row, p.code) for p in result.problems] == [(7, "too_many_rows")]


def zipped(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not a workbook at all", "not_xlsx"),
        ("任务,期间\n3,2026\n".encode(), "not_xlsx"),  # a CSV renamed .xlsx
        (zipped({"xl/workbook.xml": b"<oops"}), "not_xlsx"),
        (zipped({"xl/worksheets/sheet1.xml": b"0" * (30 * 1024 * 1024)}), "zip_bomb"),  # 30 MB of zeros in a few KB
        (zipped({f"part{i}.xml": b"x" for i in range(300)}), "zip_bomb"),
        (b"PK" + b"\0" * (report_sheet.MAX_FILE_BYTES + 1), "too_big"),
    ],
    ids=["text", "csv", "broken-xml", "bomb", "many-parts", "too-big"],
)
def test_files_that_are_not_our_sheet_are_refused_whole(plan, raw, code):
    result = read_sheet(raw, plan, "kjt", PERIOD)
    assert (result.drafts, [p.code for p in result.problems]) == ((), [code])


def test_a_cell_far_too_long_is_refused_even_in_a_column_not_read(plan, blank):
    raw = fill_sheet(blank, {}, edit=lambda s: s.cell(2, 15, "长" * (report_sheet.MAX_CELL_CHARS + 1)))
    assert [(p.row, p.column, p.code) for p in read_sheet(raw, plan, "kjt", PERIOD).problems] == [(2, "O", "cell_too_long")]


def _with_cells(raw: bytes, cells: dict[str, str]) -> bytes:
    """The sheet with some cells' XML replaced as Excel itself would write them (openpyxl cannot write all of these)."""
    import re

    source = zipfile.ZipFile(io.BytesIO(raw))
    part = "xl/worksheets/sheet1.xml"
    xml = source.read(part).decode("utf-8")
    for ref, replacement in cells.items():
        xml, found = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', replacement, xml, count=1, flags=re.DOTALL)
        assert found == 1, ref
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == part else source.read(item.filename))
    return out.getvalue()


def test_formulas_of_every_kind_are_refused_never_evaluated(plan, blank):
    """Plain, shared and array formulas (with the result Excel cached beside them), a DDE payload, and a formula in a
    column the reader otherwise ignores: each is a problem of its cell, and no value of any of them is used."""
    filled = fill_sheet(blank, {3: {"status": "已完成", "done": "placeholder"}, 4: {"status": "已完成", "done": "placeholder"}})
    rows = {task: row for row, task in enumerate(_tasks(filled), start=2)}
    r3, r4, r5 = rows[3], rows[4], rows[5]
    hostile = _with_cells(
        filled,
        {
            f"H{r3}": f'<c r="H{r3}" t="str"><f t="shared" ref="H{r3}:H{r4}" si="0">"合计"&amp;"完成"</f><v>合计完成</v></c>',
            f"H{r4}": f'<c r="H{r4}" t="str"><f t="shared" si="0"/><v>合计完成</v></c>',
            f"I{r3}": f'<c r="I{r3}" t="str"><f t="array" ref="I{r3}">CONCATENATE("a","b")</f><v>ab</v></c>',
            f"J{r4}": f'<c r="J{r4}" t="str"><f>cmd|\' /C calc\'!A0</f><v>0</v></c>',
            f"K{r5}": f'<c r="K{r5}"><f>1+1</f><v>2</v></c>',
        },
    )
    result = read_sheet(hostile, plan, "kjt", PERIOD)
    assert result.drafts == ()
    assert {(p.row, p.column, p.code) for p in result.problems} == {
        (r3, "H", "formula"),
        (r4, "H", "formula"),
        (r3, "I", "formula"),
        (r4, "J", "formula"),
        (r5, "K", "formula"),
    }


def test_text_that_only_looks_like_a_formula_is_kept_as_text(plan, blank):
    """A text cell (typed with Excel's leading apostrophe) is what the agency wrote: stored as it is, escaped on the way out."""
    filled = fill_sheet(blank, {3: {"status": "已完成", "done": "placeholder"}})
    row = _tasks(filled).index(3) + 2
    text = '=HYPERLINK("http://evil.example","点我")'
    quoted = _with_cells(filled, {f"H{row}": f'<c r="H{row}" t="inlineStr"><is><t>{text.replace("&", "&amp;")}</t></is></c>'})
    [draft] = read_sheet(quoted, plan, "kjt", PERIOD).drafts
    assert draft.done == text
