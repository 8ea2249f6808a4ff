"""The 台账 reader on sheets built by the exporter and then damaged: as bytes, inside the workbook's XML, and cell by cell
as an agency might fill them in. Every sheet gives drafts or problems, never an exception."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components import paths
from components.exports.report_sheet import sheet_bytes
from components.plan.loader import load_plan_text
from components.plan.report_sheet import COLUMNS, SheetProblem, SheetResult, read_sheet
from components.plan.reports import Period
from tests.fuzz.mutations import hostile_text, mutated
from tests.helpers import fill_sheet

BUDGET = dt.timedelta(seconds=10)
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PLAN = load_plan_text(paths.BUNDLED_PLAN.read_bytes()).value
PERIOD = Period(2026)
BLANK = {lang: sheet_bytes(PLAN, "kjt", PERIOD, [], lang) for lang in ("zh", "en")}


def _rows_of(raw: bytes) -> set:
    """The task numbers the blank sheet has rows for (fill_sheet writes only those)."""
    sheet = openpyxl.load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
    return {row[0].value for row in sheet.iter_rows(min_row=2)}


ROWS = {lang: _rows_of(raw) for lang, raw in BLANK.items()}
FILLED = fill_sheet(
    BLANK["zh"], {3: {"stage": "政策/清单印发", "status": "按计划推进", "done": "印发评价办法", "next_steps": "开展首批评价"}}
)


def answered(result: SheetResult) -> None:
    assert isinstance(result, SheetResult)
    assert not (result.drafts and result.problems)
    assert all(isinstance(problem, SheetProblem) for problem in result.problems)


@settings(max_examples=60, deadline=BUDGET)
@given(mutated([BLANK["zh"], BLANK["en"], FILLED]) | st.binary(max_size=3000))
def test_damaged_file(raw):
    answered(read_sheet(raw, PLAN, "kjt", PERIOD))


def _rezipped(raw: bytes, part: str, damage) -> bytes:
    """The workbook with one XML part changed and the rest as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, damage(data) if item.filename == part else data)
    return out.getvalue()


PARTS = ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns about the damage it reads past
@settings(max_examples=60, deadline=BUDGET)
@given(st.sampled_from(PARTS), st.data())
def test_damaged_workbook_xml(part, data):
    with zipfile.ZipFile(io.BytesIO(FILLED)) as source:
        damaged = data.draw(mutated([source.read(part)]))
    answered(read_sheet(_rezipped(FILLED, part, lambda _: damaged), PLAN, "kjt", PERIOD))


CELL = (
    hostile_text(["政策/清单印发", "按计划推进", "已完成", "Behind", "https://kjt.sc.gov.cn/a.html", "2026", "川科〔2026〕9号"]).map(
        lambda text: NOT_XML.sub("", text)  # characters an .xlsx cannot hold (openpyxl refuses to write them)
    )
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.just('=HYPERLINK("http://evil")')
    | st.none()
)


@settings(max_examples=40, deadline=BUDGET)
@given(
    st.dictionaries(st.sampled_from(range(1, 30)), st.dictionaries(st.sampled_from(COLUMNS), CELL, max_size=4), max_size=4),
    st.lists(st.tuples(st.integers(1, 12), CELL), max_size=2),
    st.sampled_from(["zh", "en"]),
)
def test_filled_in_cells(rows, header_edits, lang):
    """Random values in any column of up to four task rows, and some header cells overwritten."""

    def edit(sheet):
        for column, value in header_edits:
            sheet.cell(1, column, value)

    known = {task: values for task, values in rows.items() if task in ROWS[lang]}
    answered(read_sheet(fill_sheet(BLANK[lang], known, edit=edit), PLAN, "kjt", PERIOD))
