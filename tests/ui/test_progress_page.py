"""The progress log and assessment pages in AppTest on the real log, and the evidence on task cards, sites and the overview."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from components import paths
from scripts.app_pages import apptest_runs_app_py, server_started_with
from tests.ui.apptest import chart_data, figure, open_page, record_downloads

PROGRESS = "pages/progress.py"


@pytest.fixture(autouse=True)
def bundled_files():
    with server_started_with(None), apptest_runs_app_py():
        yield


def test_matrix_view_in_both_languages():
    at = open_page(PROGRESS)
    assert at.title[0].value == "进展台账"
    assert at.caption[0].value.startswith("公开资料中可查证的进展共 72 条,涉及 27 项任务中的 27 项;资料检索截至 2026-12-02。")
    assert "不等于“未开展”" in at.info[0].value
    heatmap = chart_data(at.get("plotly_chart")[0])[0]
    assert heatmap["x"] == ["2022", "2023", "2024", "2025", "2026"]
    row = heatmap["y"].index("5. 协同构建实验室体系")
    assert heatmap["text"][row] == ["3 · 建成", "7 · 封顶", "1 · 获批", "2 · 数量", "1 · 数量"]
    assert heatmap["customdata"][row][0] == "3 条,最远阶段:建成/投运"
    en = open_page(PROGRESS, {"lang": "en"})
    assert en.title[0].value == "Progress log"
    text = chart_data(en.get("plotly_chart")[0])[0]["text"]
    assert ["3 · Built", "7 · Topped out", "1 · Approved", "2 · Count", "1 · Count"] in text


def test_a_blank_cell_says_no_public_evidence_found():
    at = open_page(PROGRESS, {"section": "s1"})  # tasks 1-4
    heatmap = chart_data(at.get("plotly_chart")[0])[0]
    assert len(heatmap["y"]) == 4
    row = heatmap["y"].index("4. 协同推进创新型城市建设")
    assert heatmap["text"][row][1:] == ["", "", "", ""]
    assert heatmap["customdata"][row][1:] == ["未找到公开证据"] * 4


def test_timeline_of_task_5_from_a_link():
    at = open_page(PROGRESS, {"view": "timeline", "task": "5", "lang": "en"})
    assert at.selectbox(key="progress_task").value == 5
    traces = chart_data(at.get("plotly_chart")[0])
    assert sum(len(trace["x"]) for trace in traces) == 14
    assert {trace["name"] for trace in traces} == {"dated to the day", "month or year only (hollow)"}
    blocks = [block for m in at.markdown for block in m.value.split("\n\n")]
    lists = [block for block in blocks if block.startswith("- ")]
    assert len(lists) == 1 and blocks[blocks.index(lists[0]) - 1] == "**Public evidence**"
    lines = lists[0].split("\n- ")
    assert len(lines) == 14
    assert any("Topped out" in line for line in lines)


def test_entries_filtered_by_stage_and_downloaded(monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_page(PROGRESS, {"view": "entries", "stage": "accepted"})
    table = at.dataframe[0].value
    assert list(table["编号"]) == ["innovative-counties-accepted-2022", "lhaaso-accepted-2023"]
    assert list(table["阶段"]) == ["通过验收", "通过验收"]
    name, make = downloads["下载 CSV"]
    data = make()
    assert name == "progress-log.csv" and data.startswith(b"\xef\xbb\xbf")
    assert list(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")["编号"]) == list(table["编号"])
    at.text_input(key="progress_keyword").set_value("拉索").run()
    assert list(at.dataframe[0].value["编号"]) == ["lhaaso-accepted-2023"]
    assert at.query_params["q"] == "拉索" and at.query_params["stage"] == "accepted"  # the link shares the view


def test_crafted_link_values_are_ignored_with_a_note():
    at = open_page(PROGRESS, {"view": "entries", "stage": "accepted,<b>x</b>", "year": "2023," + "9" * 5000, "agency": "../x"})
    assert at.info[0].value == "链接中的以下参数无效,已忽略:agency, stage, year"
    assert len(at.dataframe[0].value) == 2  # the known stage still applies


def test_agencies_view_lists_led_tasks_with_and_without_evidence():
    at = open_page(PROGRESS, {"view": "agencies"})
    table = at.dataframe[0].value
    assert table.iloc[0].tolist()[:2] == ["科技厅", 20]


def test_assessment_page():
    at = open_page("pages/assessment.py", {"lang": "en"})
    assert at.title[0].value == "End-of-plan assessment"
    targets = at.dataframe[0].value
    assert len(targets) == 6
    assert targets.iloc[0]["Target"] == "R&D intensity"
    bars = chart_data(at.get("plotly_chart")[0])[0]
    assert sum(bars["x"]) == 27
    assert bars["y"][-1] == "No public evidence found" and bars["x"][-1] == 0
    stages = at.dataframe[1].value
    assert stages.iloc[0].tolist() == ["Passed acceptance", 2, "4、7", 2]
    assert figure(at)["layout"]["title"]["text"] == "Furthest stage each task reached"
    assert at.button(key="assessment_report_build").label == "Build the Word report"  # the Word report is offered here too


def test_broken_progress_file_is_refused_with_the_validator_list(tmp_path):
    broken = tmp_path / "progress.yaml"
    broken.write_text(paths.PROGRESS_LOG.read_text(encoding="utf-8").replace("tasks: [7]", "tasks: [77]", 1), encoding="utf-8")
    with server_started_with(None, broken):
        at = open_page(PROGRESS)
        assert at.error[0].value == "进展台账文件 progress.yaml 有 1 处问题,未加载:"
        assert "unknown task number 77" in at.code[0].value
        tasks = open_page("pages/tasks.py")
        assert tasks.warning[0].value.startswith("进展台账文件 progress.yaml 有 1 处问题")


def test_task_card_site_and_overview_show_the_evidence():
    at = open_page("pages/tasks.py", {"task": "7"})
    card = next(e for e in at.expander if e.label.startswith("7."))
    texts = [block for m in card.markdown for block in m.value.split("\n\n")]
    assert "**公开证据**" in texts
    entries = [text for text in texts if text.startswith("- ")]
    assert len(entries) == 1, "one Markdown list for all of a task's entries"
    items = entries[0].split("\n- ")
    assert len(items) == 8
    assert any("拉索" in item and "通过验收" in item for item in items)
    cgtn = next(item for item in items if "CGTN" in item)
    assert cgtn.startswith("2023-05-10 · 通过验收") and "  \n  :small[:gray[来源:CGTN" in cgtn, "its source in small grey under it"
    layout = open_page("pages/layout.py", {"site": "lhaaso"})
    assert "**进展节点(公开证据)**" in [m.value for m in layout.markdown]
    assert any("2023-05-10 · 通过验收" in m.value for m in layout.markdown)
    home = open_page("pages/home.py")
    metrics = {m.label: m.value for m in home.metric}
    assert metrics["公开进展条目"] == "72" and metrics["有公开证据的任务"] == "27 / 27"


def test_above_the_row_limit_the_matrix_has_one_row_per_section(monkeypatch):
    from components.ui import progress

    monkeypatch.setattr(progress, "MAX_MATRIX_TASKS", 10)
    at = open_page(PROGRESS)
    assert "所选范围内有 27 项任务,超过 10 项:矩阵按章节汇总" in at.info[1].value
    heatmap = chart_data(at.get("plotly_chart")[0])[0]
    assert len(heatmap["y"]) == 8
    assert heatmap["y"][1].endswith("(4 项任务)")
    assert heatmap["text"][1] == ["5 · 建成", "13 · 验收", "5 · 建成", "2 · 数量", "1 · 数量"]
    section = open_page(PROGRESS, {"section": "s2"})  # tasks 5-8: a row each again
    assert len(chart_data(section.get("plotly_chart")[0])[0]["y"]) == 4


def test_coming_back_from_another_page_shows_the_matrix_again():
    at = open_page(PROGRESS)
    at.switch_page("pages/report.py").run()
    at.switch_page(PROGRESS).run()
    assert at.session_state["progress_view"] == "matrix"
    assert chart_data(at.get("plotly_chart")[0])[0]["x"] == ["2022", "2023", "2024", "2025", "2026"]


def test_the_progress_state_carries_the_log_files_fingerprint(plan):
    """The Word report's cache key: the file's bytes, not a dump of every entry on each run."""
    import hashlib

    from components.ui.session import current_progress

    state = current_progress(plan)
    assert len(state.log.entries) == 72
    assert state.fingerprint == hashlib.sha256(paths.PROGRESS_LOG.read_bytes()).hexdigest()
