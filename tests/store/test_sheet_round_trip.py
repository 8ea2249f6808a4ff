"""The 台账 round trip as an agency does it: download the sheet, fill it in offline, upload it. A good sheet becomes
pending reports in one transaction; a sheet with mixed good and bad rows writes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from components import paths
from components.exports.report_sheet import sheet_bytes
from components.plan.loader import load_plan_file
from components.plan.report_sheet import read_sheet
from components.plan.reports import Period, ReportState
from components.store import reports
from components.store.db import reading
from components.store.errors import Forbidden
from components.store.models import Report, ReportEvent, ReportVersion
from tests.helpers import fill_sheet
from tests.store.conftest import CLIENT, NOW

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
DOC = PLAN.meta.doc_number
PERIOD = Period(2026)
ROWS = {
    3: {"stage": "政策/清单印发", "status": "按计划推进", "done": "印发园区评价办法", "next_steps": "首批评价"},
    4: {"status": "已完成", "done": "创新型城市评估完成", "evidence_document": "川科〔2026〕9号"},
}


def counts(engine) -> tuple[int, int, int]:
    with reading(engine) as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) for model in (Report, ReportVersion, ReportEvent))


def upload(engine, token, raw: bytes, agency: str = "kjt"):
    result = read_sheet(raw, PLAN, agency, PERIOD)
    if result.problems:
        return result
    return reports.file_sheet(engine, token, PLAN, PERIOD, result.drafts, client=CLIENT, now=NOW)


def test_a_good_sheet_becomes_pending_reports(engine, tokens):
    accepted_before = reports.accepted_reports(engine, DOC)
    raw = fill_sheet(sheet_bytes(PLAN, "kjt", PERIOD, accepted_before, "zh"), ROWS)
    ids = upload(engine, tokens.kjt, raw)
    assert len(ids) == 2
    views = reports.reports_for(engine, tokens.kjt, DOC, now=NOW)
    assert [(v.task, v.state, v.latest.done, v.latest.via_sheet, v.latest.author) for v in views] == [
        (3, ReportState.submitted, "印发园区评价办法", True, "kjt-li"),
        (4, ReportState.submitted, "创新型城市评估完成", True, "kjt-li"),
    ]
    assert reports.accepted_reports(engine, DOC) == []  # pending until reviewed


def test_a_sheet_with_a_bad_row_writes_nothing(engine, tokens):
    bad = {**ROWS, 5: {"status": "快完成了", "done": "x"}, 6: {"status": "已完成", "done": "=1+1"}}
    result = upload(engine, tokens.kjt, fill_sheet(sheet_bytes(PLAN, "kjt", PERIOD, [], "zh"), bad))
    assert sorted((p.code, p.column) for p in result.problems) == [("formula", "H"), ("not_in_list", "G")]
    assert counts(engine) == (0, 0, 0)


def test_a_store_refusal_in_the_middle_rolls_the_whole_sheet_back(engine, tokens):
    """Drafts that passed the reader but name a task of another agency: the store refuses, and the rows before it go too."""
    drafts = read_sheet(fill_sheet(sheet_bytes(PLAN, "kjt", PERIOD, [], "zh"), ROWS), PLAN, "kjt", PERIOD).drafts
    forged = [*drafts, dataclasses.replace(drafts[0], task=26)]  # 科技厅 has no part in task 26
    with pytest.raises(Forbidden):
        reports.file_sheet(engine, tokens.kjt, PLAN, PERIOD, forged, client=CLIENT, now=NOW)
    assert counts(engine) == (0, 0, 0)


def test_uploading_again_makes_new_versions_of_open_reports(engine, tokens):
    blank = sheet_bytes(PLAN, "kjt", PERIOD, [], "zh")
    first = upload(engine, tokens.kjt, fill_sheet(blank, ROWS))
    reports.return_report(engine, tokens.reviewer, PLAN, first[0], 1, "请补充", client=CLIENT, now=NOW)
    reports.accept_report(engine, tokens.reviewer, PLAN, first[1], 1, client=CLIENT, now=NOW)
    again = upload(engine, tokens.kjt, fill_sheet(blank, {3: {**ROWS[3], "done": "印发并完成首批评价"}, 4: ROWS[4]}))
    assert again[0] == first[0]  # the returned report got version 2
    assert again[1] != first[1]  # the accepted one is closed: a new report
    history = reports.report_history(engine, tokens.kjt, DOC, first[0], now=NOW)
    assert [(v.version, v.done) for v in history.versions] == [(1, "印发园区评价办法"), (2, "印发并完成首批评价")]
    assert history.report.state is ReportState.submitted


def test_the_downloaded_sheet_carries_the_last_accepted_report(engine, tokens):
    ids = upload(engine, tokens.kjt, fill_sheet(sheet_bytes(PLAN, "kjt", PERIOD, [], "zh"), ROWS))
    reports.accept_report(engine, tokens.reviewer, PLAN, ids[0], 1, client=CLIENT, now=NOW)
    raw = sheet_bytes(PLAN, "kjt", Period(2026, 4), reports.accepted_reports(engine, DOC), "zh")
    rows = {row[0].value: row[4].value for row in openpyxl.load_workbook(io.BytesIO(raw)).worksheets[0].iter_rows(min_row=2)}
    assert rows[3] == "2026 · 按计划推进 · 政策/清单印发: 印发园区评价办法"
    assert rows[4] == "(尚无采纳的报告)"
