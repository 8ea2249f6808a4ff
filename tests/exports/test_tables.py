"""CSV and XLSX downloads: Chinese headers that Excel opens, the rows the hand counts give, and no live formulas."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from components.analysis.responsibility import TaskFilter, filter_tasks, task_table, workload, workload_table
from components.exports.tables import BOM, csv_bytes, defused, xlsx_bytes


def ids_by_name(plan) -> dict[str, str]:
    return {a.name.zh: a.id for a in plan.agencies}


def test_csv_download_has_bom_headers_and_rows(plan):
    name = ids_by_name(plan)
    tasks = filter_tasks(plan, TaskFilter(sections=frozenset({"s5"}), agency=name["省知识产权中心"], role="support"))
    data = csv_bytes(task_table(plan, tasks, "zh"))
    assert data.startswith(BOM) and data[:3] == b"\xef\xbb\xbf"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["序号", "板块", "任务", "任务内容", "牵头单位", "配合单位", "载体与设施", "主题"]
    assert list(back["序号"]) == [16, 17, 18, 19]
    assert back.loc[3, "牵头单位"] == "科技厅、省地方金融监管局"
    assert "省知识产权中心" in back.loc[0, "配合单位"]


def test_xlsx_download_opens_with_chinese_headers(plan):
    data = xlsx_bytes(workload_table(plan, workload(plan), "zh"), sheet_name="责任单位")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["责任单位"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("责任单位", "单位类型", "牵头任务数", "配合任务数", "合计")
    assert rows[1] == ("科技厅", "省政府组成部门", 20, 6, 26)
    assert rows[2] == ("有关市(州)人民政府(市州统称)", "市(州)政府统称", 0, 23, 23)
    assert len(rows) == 35


def test_exports_never_write_live_formulas():
    frame = pd.DataFrame({"名称": ['=HYPERLINK("http://x")', "+1", "普通"], "n": [1, 2, 3]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig")
    assert list(back["名称"]) == ['\'=HYPERLINK("http://x")', "'+1", "普通"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, sheet_name="a/b[c]"))).active
    assert sheet.title == "a_b_c_"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].value == 1


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_that_starts_like_a_formula_is_escaped_in_both_formats(start):
    """OWASP's CSV-injection list, in a data cell and in a header: CSV gets an apostrophe; xlsx keeps the text in a
    text cell with the quote prefix, so that neither opening nor editing the cell runs it."""
    payload = f"{start}cmd|' /C calc'!A0"
    frame = pd.DataFrame({payload: [payload, "普通文字"], "n": [1, 2]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns)[0] == "'" + payload
    assert back.iloc[0, 0] == "'" + payload and back.iloc[1, 0] == "普通文字"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    for ref in ("A1", "A2"):
        assert (sheet[ref].value, sheet[ref].data_type, sheet[ref].quotePrefix) == (payload, "s", True)
    assert not sheet["A3"].quotePrefix and sheet["A3"].value == "普通文字"


def test_the_tables_shown_for_reports_are_defused_for_the_toolbar():
    """Streamlit's table toolbar downloads and copies cells as they are; what agencies wrote is defused before it is shown."""
    frame = pd.DataFrame({"已完成工作": ["=1+1", "-2", "正常"], "版本": [1, 2, 3]})
    assert defused(frame).to_dict("list") == {"已完成工作": ["'=1+1", "'-2", "正常"], "版本": [1, 2, 3]}


def test_a_task_title_with_characters_xml_cannot_hold_still_downloads(plan):
    """U+FFFF or U+FFFE in a title made the tasks Excel download silently do nothing (lxml refused the whole file)."""
    table = task_table(plan, filter_tasks(plan, TaskFilter()), "zh")
    table.iloc[0, 2] = "推进\ufffe建设\uffff\x01\x0b平台"  # the title column, as a plan could hold it
    data = xlsx_bytes(table, sheet_name="重点任务\uffff")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "重点任务" and len(rows) == 1 + len(plan.tasks)
    assert "推进建设平台" in rows[1]
    bad = xlsx_bytes(pd.DataFrame({"标题\ufffe": ["\x00=SUM(A1)\uffff"]}))
    assert list(openpyxl.load_workbook(io.BytesIO(bad)).active.iter_rows(values_only=True)) == [("标题",), ("=SUM(A1)",)]
