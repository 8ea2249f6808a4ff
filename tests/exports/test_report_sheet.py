"""The downloaded 台账 sheet: one row per task of the agency, the last accepted report beside it, locked key columns,
drop-down lists from the report vocabulary, and no text that a spreadsheet would run as a formula."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from components.exports.report_sheet import file_name, last_accepted, sheet_bytes
from components.exports.tables import text_cell
from components.plan.model import Plan
from components.plan.progress import Stage
from components.plan.report_sheet import COLUMNS
from components.plan.reports import AcceptedReport, Period, ProgressStatus, agency_tasks

PERIOD = Period(2026)
AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def accepted(task: int, period: Period, done: str, *, agency: str = "chengdu", day: int = 1) -> AcceptedReport:
    return AcceptedReport(
        report_id=task * 100 + day,
        version=1,
        task=task,
        agency=agency,
        period=period,
        stage=Stage.construction_started,
        status=ProgressStatus.on_track,
        done=done,
        next_steps="",
        evidence_link=None,
        evidence_document=None,
        reported_by="cd-wang",
        reported_at=AT,
        accepted_by="fgw-zhao",
        accepted_at=AT + dt.timedelta(days=day),
    )


@pytest.fixture(scope="module")
def workbook(plan):
    reports = [
        accepted(2, Period(2025), "二期开工"),
        accepted(2, Period(2026, 1), '=HYPERLINK("http://evil","点我")'),  # the newest period: this one is shown
        accepted(2, Period(2026), "科学城三期已完工", agency="kjt"),  # another agency's report: not on 成都's sheet
        accepted(5, Period(2024), "-实验室挂牌"),
    ]
    raw = sheet_bytes(plan, "chengdu", PERIOD, reports, "zh")
    return openpyxl.load_workbook(io.BytesIO(raw))


def test_one_row_per_task_of_the_agency(plan, workbook):
    sheet = workbook.worksheets[0]
    assert sheet.title == "进展台账"
    assert [c.value for c in sheet[1]] == [
        "任务编号(勿改)",
        "期间(勿改)",
        "任务名称",
        "本单位职责",
        "上次采纳的进展",
        "进展阶段",
        "进展状态",
        "已完成工作",
        "下一步工作",
        "佐证链接",
        "佐证文件名称",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:4] for row in rows] == [
        [1, "2026", "协同推进成渝综合性科学中心建设", "配合"],
        [2, "2026", "协同共建西部科学城", "牵头"],
        [5, "2026", "协同构建实验室体系", "配合"],
    ]
    assert [t.number for t in agency_tasks(plan, "chengdu")] == [1, 2, 5]
    assert all(row[5:] == [None] * 6 for row in rows)  # this period's columns are empty


def test_the_last_accepted_report_is_filled_in_and_escaped(workbook):
    rows = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows(min_row=2)]
    assert rows[0][4] == "(尚无采纳的报告)"
    assert rows[1][4] == '2026-Q1 · 按计划推进 · 开工/启动建设: =HYPERLINK("http://evil","点我")'  # text, never a formula
    assert rows[2][4] == "2024 · 按计划推进 · 开工/启动建设: -实验室挂牌"
    for row in workbook.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_plan_text_that_starts_like_a_formula_gets_an_apostrophe(plan_data):
    plan_data["tasks"][1]["title"]["zh"] = '=HYPERLINK("http://evil")'
    hostile = Plan.model_validate(plan_data)
    sheet = openpyxl.load_workbook(io.BytesIO(sheet_bytes(hostile, "mianyang", PERIOD, [], "zh"))).worksheets[0]
    assert sheet.cell(2, 3).value == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(2, 3).data_type == "s"
    assert [text_cell(v) for v in ("=1+1", "+1", "-1", "@x", "ok\x01")] == ["'=1+1", "'+1", "'-1", "'@x", "ok"]


def test_key_columns_are_locked_and_input_columns_open(workbook):
    sheet = workbook.worksheets[0]
    assert sheet.protection.sheet
    first_input = COLUMNS.index("stage") + 1
    for cell in sheet[2]:
        assert cell.protection.locked == (cell.column < first_input), cell.coordinate
    assert sheet.freeze_panes == "C2"


def test_stage_and_status_have_drop_down_lists(workbook):
    rules = {str(rule.sqref): rule.formula1 for rule in workbook.worksheets[0].data_validations.dataValidation}
    assert rules == {
        "F2:F4": '"获批/批复,揭牌/挂牌,开工/启动建设,封顶,建成/投运,通过验收,政策/清单印发,项目立项/支持,申报启动/征集指南,数量报告,会议/活动举办"',
        "G2:G4": '"已完成,按计划推进,进度滞后,未启动"',
    }


def test_english_lists_fit_excels_255_character_limit(plan):
    raw = sheet_bytes(plan, "kjt", PERIOD, [], "en")
    rules = openpyxl.load_workbook(io.BytesIO(raw)).worksheets[0].data_validations.dataValidation
    assert [len(rule.formula1) for rule in rules] and all(len(rule.formula1) <= 255 for rule in rules)


def test_the_notes_sheet_defines_the_statuses(workbook):
    notes = [row[0].value for row in workbook.worksheets[1].iter_rows()]
    assert workbook.worksheets[1].title == "填写说明"
    assert notes[0] == "成都市人民政府 · 2026 · 川办发〔2022〕13号 进展台账"
    assert "进度滞后: 工作已启动,但落后于年度工作安排;请在“下一步工作”中写明原因和措施。" in notes


def test_last_accepted_picks_the_newest_period_of_that_agency():
    reports = [accepted(2, Period(2025), "a"), accepted(2, Period(2026, 1), "b"), accepted(2, Period(2026, 2), "c", agency="kjt")]
    assert last_accepted(reports, "chengdu", 2).done == "b"
    assert last_accepted(reports, "chengdu", 5) is None
    assert file_name("chengdu", Period(2026, 3)) == "progress-chengdu-2026-Q3.xlsx"
