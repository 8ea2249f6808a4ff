"""The agency workload page: chart data matches the hand counts, the toggles change it, one agency's tasks show its role."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from components import paths
from tests.ui.apptest import chart_data, figure, open_page, record_downloads

APP = str(paths.ROOT / "app.py")
GROUP_ZH = "有关市(州)人民政府(市州统称)"


def open_agencies() -> AppTest:
    return open_page("pages/agencies.py")


def bars(at: AppTest) -> dict[str, dict[str, int]]:
    """{trace name: {agency label: value}} for the bar traces of the first chart."""
    traces = chart_data(at.get("plotly_chart")[0])
    return {tr["name"]: {y.replace("<br>", ""): x for y, x in zip(tr["y"], tr["x"])} for tr in traces if tr["type"] == "bar"}


def network_nodes(at: AppTest) -> list[str]:
    """The agency ids of the network's nodes (the third chart)."""
    return [a for tr in chart_data(at.get("plotly_chart")[2]) if tr.get("customdata") and tr["mode"] == "markers" for a in tr["customdata"]]


def test_bar_chart_matches_hand_counts():
    at = open_agencies()
    assert at.title[0].value == "责任单位分工"
    assert at.subheader[0].value == "34 个责任单位"
    data = bars(at)
    assert set(data) == {"牵头", "配合"}
    assert (data["牵头"]["科技厅"], data["配合"]["科技厅"]) == (20, 6)
    assert (data["牵头"]["省委组织部"], data["配合"]["省委组织部"]) == (4, 3)
    assert data["配合"]["教育厅"] == 17
    assert (data["牵头"][GROUP_ZH], data["配合"][GROUP_ZH]) == (0, 23)
    assert len(data["牵头"]) == 34
    order = chart_data(at.get("plotly_chart")[0])[0]["y"]
    assert order[:3] == ["科技厅", GROUP_ZH, "教育厅"]
    assert sum(data["牵头"].values()) == 34 and sum(data["配合"].values()) == 150


def test_lead_only_toggle_and_group_checkbox():
    at = open_agencies()
    at.segmented_control(key="agencies_mode").set_value("lead").run()
    data = bars(at)
    assert set(data) == {"牵头"}
    assert list(data["牵头"].items())[:2] == [("科技厅", 20), ("省委组织部", 4)]
    assert len(data["牵头"]) == 10
    at.segmented_control(key="agencies_mode").set_value("all").run()
    at.checkbox(key="agencies_include_group").uncheck().run()
    data = bars(at)
    assert GROUP_ZH not in data["配合"] and len(data["配合"]) == 33
    assert at.subheader[0].value == "33 个责任单位"
    heat = chart_data(at.get("plotly_chart")[1])[0]
    assert GROUP_ZH not in heat["y"]


def test_heatmap_cells_and_roles():
    at = open_agencies()
    heat = chart_data(at.get("plotly_chart")[1])[0]
    row = heat["y"].index("省知识产权中心")
    assert heat["z"][row] == [0, 0, 0, 3, 4, 0, 0, 1]
    assert heat["text"][row][4] == "配4" and heat["text"][row][7] == "牵1"


def test_network_has_every_agency_and_weighted_edges():
    at = open_agencies()
    traces = chart_data(at.get("plotly_chart")[2])
    nodes = [tr for tr in traces if tr.get("customdata") and tr["mode"] == "markers"]
    assert sum(len(tr["customdata"]) for tr in nodes) == 34
    edges = next(tr for tr in traces if tr.get("name") == "edges")
    hover = "\n".join(edges["hovertext"])
    assert "教育厅 — 科技厅<br>共同承担 19 项任务" in hover
    at.slider(key="agencies_min_weight").set_value(22).run()
    edges = next(tr for tr in chart_data(at.get("plotly_chart")[2]) if tr.get("name") == "edges")
    assert len(edges["hovertext"]) == 1  # only 科技厅 — 有关市(州)人民政府, 22 shared tasks
    assert "22" in edges["hovertext"][0]


def test_selected_agency_lists_its_tasks_with_roles():
    at = open_agencies()
    at.selectbox(key="agencies_pick").set_value("zzb").run()
    table = at.dataframe[-1].value
    assert list(table["序号"]) == [1, 13, 15, 20, 22, 23, 24]
    assert list(table["角色"]) == ["配合", "配合", "牵头", "配合", "牵头", "牵头", "牵头"]


def test_workload_download(monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_agencies()
    assert [b.label for b in at.download_button] == ["下载工作量表(CSV)", "下载工作量表(Excel)"]
    name, make = downloads["下载工作量表(Excel)"]
    sheet = openpyxl.load_workbook(io.BytesIO(make())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert name == "agency-workload.xlsx"
    assert rows[0] == ("责任单位", "单位类型", "牵头任务数", "配合任务数", "合计")
    assert rows[1] == ("科技厅", "省政府组成部门", 20, 6, 26)
    assert len(rows) == 35
    name, make = downloads["下载工作量表(CSV)"]
    back = pd.read_csv(io.BytesIO(make()), encoding="utf-8-sig")
    assert name == "agency-workload.csv" and len(back) == 34 and back.iloc[0]["合计"] == 26


def test_english():
    at = open_agencies()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Agency workload"
    assert [s.value for s in at.subheader] == ["34 agencies", "Agency × section", "Co-responsibility network", "One agency's tasks"]
    data = bars(at)
    assert data["Lead"]["Department of Science and Technology"] == 20
    assert data["Support"]["Relevant city and prefecture governments (group of cities)"] == 23


def test_many_agencies_draw_the_busiest_and_more_on_request(tmp_path):
    """A plan with 68 agencies: the bars, the heat map and the network show the busiest 40, or all when asked."""
    from components.analysis.responsibility import agency_name, workload
    from components.plan.loader import load_plan_file
    from scripts.app_pages import server_started_with
    from scripts.synthetic_plan import scaled_plan, write_plan

    path = write_plan(scaled_plan(3), tmp_path / "plan-3x.yaml")
    with server_started_with(path):
        plan = load_plan_file(path).value
        busiest = [w.agency for w in workload(plan)]
        assert len(busiest) == 68
        at = open_page("pages/agencies.py", {"lang": "en"})
        control = at.segmented_control(key="agencies_top")
        assert control.options == ["the busiest 40", "all 68 agencies"]
        first = chart_data(at.get("plotly_chart")[0])[0]
        squeeze = str.maketrans("", "", " ")
        shown = [y.replace("<br>", "").translate(squeeze) for y in first["y"]]
        assert shown == [agency_name(plan, a, "en", mark_group=True).translate(squeeze) for a in busiest[:40]]
        assert len(chart_data(at.get("plotly_chart")[1])[0]["y"]) == 40
        assert "The chart shows the 40 busiest of 68 agencies" in json.dumps(figure(at, 0)["layout"]["annotations"])
        assert sorted(network_nodes(at)) == sorted(busiest[:40])
        assert "Only the 40 busiest of 68 agencies" in figure(at, 2)["layout"]["annotations"][-1]["text"]
        control.set_value(0).run()
        assert len(chart_data(at.get("plotly_chart")[0])[0]["y"]) == 68
        assert len(chart_data(at.get("plotly_chart")[1])[0]["y"]) == 68
        assert "busiest of" not in json.dumps(figure(at, 0)["layout"]["annotations"])
        assert len(network_nodes(at)) == 68 and "busiest" not in figure(at, 2)["layout"]["annotations"][-1]["text"]


def test_a_plan_with_few_agencies_has_no_top_control():
    at = open_agencies()
    assert not [c for c in at.get("segmented_control") if c.key == "agencies_top"]
