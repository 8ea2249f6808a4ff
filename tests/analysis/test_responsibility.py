"""Responsibility tables, filters, figures and downloads against counts made by hand from the document.

Hand counts from data/sources/action-plan-2022.txt (the 责任单位 line under
each task; names before the first comma lead, the rest support):
  科技厅 leads 2-6, 8-12, 14-21, 25, 27 (20 tasks) and supports 1, 7, 13, 22, 23, 24 (6);
  省委组织部 leads 15, 22, 23, 24 and supports 1, 13, 20;
  教育厅 leads 13, 15 and supports 1, 2, 4, 7, 8, 9, 10, 12, 14, 16, 18, 21, 22, 23, 24, 25, 27 (17);
  有关市(州)人民政府 supports every task except 1, 5, 16, 25 (23);
  科技厅 appears in every task except 26, so it shares a task with 教育厅 19 times
  and with 有关市(州)人民政府 22 times; 省知识产权中心 appears in 12-14, 16-19 and 26.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from components.analysis.responsibility import (
    Role,
    TaskFilter,
    agency_task_table,
    agency_tasks,
    arc_layout,
    assignment_frame,
    co_occurrence,
    edge_weight,
    filter_tasks,
    section_cells,
    section_matrix,
    shared_tasks,
    task_table,
    workload,
    workload_table,
)
from components.exports.tables import BOM, csv_bytes, xlsx_bytes
from components.figures.responsibility import network_figure, plot_text, section_heatmap, section_treemap, workload_bars, wrap
from components.plan.model import AgencyKind


def numbers(tasks) -> list[int]:
    return [task.number for task in tasks]


def ids_by_name(plan) -> dict[str, str]:
    return {a.name.zh: a.id for a in plan.agencies}


@pytest.fixture(scope="module")
def loads(plan):
    return {w.agency: w for w in workload(plan)}


# --- counts -----------------------------------------------------------------


def test_34_distinct_agencies_all_used(plan):
    frame = assignment_frame(plan)
    assert frame["agency"].nunique() == 34
    assert len(workload(plan)) == 34
    assert len(workload(plan, include_group=False)) == 33


def test_hand_counts_per_agency(plan, loads):
    name = ids_by_name(plan)
    kjt, zzb, jyt, cities = name["科技厅"], name["省委组织部"], name["教育厅"], name["有关市(州)人民政府"]
    assert (loads[kjt].lead, loads[kjt].support) == (20, 6)
    assert (loads[zzb].lead, loads[zzb].support) == (4, 3)
    assert (loads[jyt].lead, loads[jyt].support) == (2, 17)
    assert (loads[cities].lead, loads[cities].support) == (0, 23)
    assert [t.number for t, role in agency_tasks(plan, zzb) if role is Role.lead] == [15, 22, 23, 24]
    assert [t.number for t, role in agency_tasks(plan, kjt) if role is Role.support] == [1, 7, 13, 22, 23, 24]
    missing = {t.number for t in plan.tasks} - {t.number for t, _ in agency_tasks(plan, cities)}
    assert missing == {1, 5, 16, 25}


def test_hand_counts_per_task(plan):
    name = ids_by_name(plan)
    by_number = {t.number: t for t in plan.tasks}
    assert len(by_number[19].lead) == 2 and len(by_number[19].support) == 10
    assert by_number[19].lead == [name["科技厅"], name["省地方金融监管局"]]
    assert by_number[26].lead == [name["省市场监管局"], name["省知识产权中心"]]
    frame = assignment_frame(plan)
    assert (frame["role"] == "lead").sum() == 34  # 27 tasks; 2 and 15 have 3 leads, 11, 19 and 26 have 2
    assert len(frame[frame["task"] == 19]) == 12


def test_workload_is_sorted_and_lead_only_drops_non_leads(plan):
    name = ids_by_name(plan)
    rows = workload(plan)
    assert [r.agency for r in rows[:4]] == [name["科技厅"], name["有关市(州)人民政府"], name["教育厅"], name["省发展改革委"]]
    assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)
    leads = workload(plan, lead_only=True)
    assert [(r.agency, r.lead) for r in leads[:2]] == [(name["科技厅"], 20), (name["省委组织部"], 4)]
    assert len(leads) == 10 and all(r.lead > 0 for r in leads)
    assert sum(r.lead for r in leads) == 34


# --- filters ----------------------------------------------------------------


def test_filter_section_and_support_agency(plan):
    name = ids_by_name(plan)
    f = TaskFilter(sections=frozenset({"s5"}), agency=name["省知识产权中心"], role="support")
    assert numbers(filter_tasks(plan, f)) == [16, 17, 18, 19]
    # as lead it leads only task 26, which is in section 八
    assert numbers(filter_tasks(plan, TaskFilter(sections=frozenset({"s5"}), agency=name["省知识产权中心"], role="lead"))) == []
    assert numbers(filter_tasks(plan, TaskFilter(agency=name["省知识产权中心"], role="lead"))) == [26]
    assert numbers(filter_tasks(plan, TaskFilter(agency=name["省知识产权中心"]))) == [12, 13, 14, 16, 17, 18, 19, 26]


def test_filter_keyword_chinese_substring(plan):
    # 天府 occurs in task 1 (四川天府新区), 5 (天府实验室), 19 (天府科创贷), 20 (天府国际技术转移中心), 23 (天府实验室), 24 (天府英才卡)
    assert numbers(filter_tasks(plan, TaskFilter(keyword="天府"))) == [1, 5, 19, 20, 23, 24]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="  天府  实验室 "))) == [5, 20, 23]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="tianfu"))) == [1, 5, 19, 20, 23, 24]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="双一流"))) == [13]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="不存在的词"))) == []


def test_filter_kind_theme_and_role_combine(plan):
    name = ids_by_name(plan)
    assert numbers(filter_tasks(plan, TaskFilter(kinds=frozenset({AgencyKind.judicial})))) == [26]
    assert numbers(filter_tasks(plan, TaskFilter(kinds=frozenset({AgencyKind.central_branch})))) == [12, 19]
    assert numbers(filter_tasks(plan, TaskFilter(kinds=frozenset({AgencyKind.central_branch}), role="lead"))) == []
    assert numbers(filter_tasks(plan, TaskFilter(agency=name["省委组织部"], role="lead"))) == [15, 22, 23, 24]
    talent = TaskFilter(themes=frozenset({"talent"}), agency=name["省委组织部"], role="lead")
    assert numbers(filter_tasks(plan, talent)) == [15, 22, 23, 24]
    assert numbers(filter_tasks(plan, TaskFilter(themes=frozenset({"talent"}), keyword="天府"))) == [1, 23, 24]
    assert len(filter_tasks(plan, TaskFilter())) == 27


# --- matrix and network -----------------------------------------------------


def test_section_matrix_cells(plan):
    name = ids_by_name(plan)
    matrix = section_matrix(plan)
    cells = section_cells(plan)
    kjt, zzb, ip, cities = name["科技厅"], name["省委组织部"], name["省知识产权中心"], name["有关市(州)人民政府"]
    assert cells[(kjt, "s1")].lead == (2, 3, 4) and cells[(kjt, "s1")].support == (1,)
    assert matrix.loc[kjt, "s1"] == 4
    assert cells[(zzb, "s7")].lead == (22, 23, 24) and matrix.loc[zzb, "s7"] == 3
    assert cells[(ip, "s5")].support == (16, 17, 18, 19) and matrix.loc[ip, "s5"] == 4
    assert cells[(ip, "s8")].lead == (26,) and cells[(ip, "s8")].support == ()
    assert matrix.loc[cities, "s5"] == 3  # 17, 18, 19 (16 names no city governments)
    assert matrix.loc[zzb, "s2"] == 0
    assert matrix.sum().sum() == len(assignment_frame(plan)) == 34 + 150
    assert cities not in section_matrix(plan, include_group=False).index


def test_network_edge_weights(plan):
    name = ids_by_name(plan)
    weights = co_occurrence(plan)
    kjt = name["科技厅"]
    assert edge_weight(weights, kjt, name["教育厅"]) == 19
    assert edge_weight(weights, name["教育厅"], kjt) == 19
    assert edge_weight(weights, kjt, name["有关市(州)人民政府"]) == 22
    assert edge_weight(weights, kjt, name["省发展改革委"]) == 17
    assert edge_weight(weights, kjt, name["省委组织部"]) == 7
    assert edge_weight(weights, kjt, name["省知识产权中心"]) == 7
    assert edge_weight(weights, name["省法院"], name["省检察院"]) == 1
    assert edge_weight(weights, kjt, name["省市场监管局"]) == 0
    pair = tuple(sorted((kjt, name["省委组织部"]), key=[a.id for a in plan.agencies].index))
    assert shared_tasks(plan)[pair] == (1, 13, 15, 20, 22, 23, 24)
    assert all(name["有关市(州)人民政府"] not in pair for pair in co_occurrence(plan, include_group=False))


def test_arc_layout_is_deterministic_and_spread(plan):
    first = arc_layout(plan)
    assert first == arc_layout(plan)
    assert len(first) == 34
    points = list(first.values())
    assert len(set(points)) == 34
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in points)
    # labels point sideways, so nodes on one side must be at least a slot apart vertically:
    # 34 agencies + 8 gaps between the 9 kinds = 42 slots, 21 a side
    for side in (1, -1):
        ys = sorted(y for x, y in points if x * side > 0)
        assert min(b - a for a, b in zip(ys, ys[1:])) >= 2 / 21 - 1e-6


# --- figures ----------------------------------------------------------------


def test_workload_bars_data(plan):
    fig = workload_bars(plan, "zh")
    lead, support = fig.data[0], fig.data[1]
    assert lead.name == "牵头" and support.name == "配合"
    values = dict(zip(lead.y, zip(lead.x, support.x)))
    assert values["科技厅"] == (20, 6)
    assert values["有关市(州)人民政府(市州统称)"] == (0, 23)
    assert list(lead.y[:3]) == ["科技厅", "有关市(州)人民政府(市州统称)", "教育厅"]
    assert lead.marker.pattern.shape[1] == "/" and lead.marker.pattern.shape[0] == ""
    only = workload_bars(plan, "en", lead_only=True, include_group=False)
    assert [tr.name for tr in only.data if tr.type == "bar"] == ["Lead"]
    assert list(only.data[0].x[:2]) == [20, 4]


def test_heatmap_and_network_figures(plan):
    fig = section_heatmap(plan, "zh")
    heat = fig.data[0]
    row = list(heat.y).index("省委组织部")
    assert heat.z[row][6] == 3 and heat.text[row][6] == "牵3"
    assert "22, 23, 24" in heat.customdata[row][6]
    net = network_figure(plan, "zh", min_weight=3)
    nodes = [tr for tr in net.data if tr.mode == "markers" and tr.customdata is not None]
    assert sum(len(tr.customdata) for tr in nodes) == 34
    group = next(tr for tr in nodes if "cities" in tr.customdata)
    assert group.marker.symbol == "hexagon" and group.marker.color == "#9e9e9e"
    labels = [a.text for a in net.layout.annotations]
    assert "科技厅 ★20" in labels and any(label.startswith("有关市(州)人民政府") for label in labels)


def test_treemap_sizes_and_zoom(plan):
    fig = section_treemap(plan, "zh", selected_section="s5", highlight={16})
    tree = fig.data[0]
    values = dict(zip(tree.ids, tree.values))
    assert values["s5/t19"] == 12 and values["s5"] == 8 + 8 + 5 + 12
    assert tree.level == "s5"
    colours = dict(zip(tree.ids, tree.marker.colors))
    assert colours["s5/t17"] == "#eeeeee" and colours["s5/t16"] != "#eeeeee"


def test_plan_text_is_escaped_for_plotly():
    assert plot_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert wrap("<a href='javascript:x'>点我</a>", 10).count("<a") == 0
    assert wrap("协同推进成渝综合性科学中心建设", 8) == "协同推进<br>成渝综合<br>性科学中<br>心建设"
    long = "X2<img src=x onerror=alert(1)> Department of Human Resources and Social Security"
    assert wrap(long, 20).replace("<br>", "") == plot_text(long)
    assert max(len(line) for line in wrap("Department of Human Resources and Social Security", 20).split("<br>")) <= 21


# --- downloads --------------------------------------------------------------


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
    frame = pd.DataFrame({"名称": ["=HYPERLINK(\"http://x\")", "+1", "普通"], "n": [1, 2, 3]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig")
    assert list(back["名称"]) == ["'=HYPERLINK(\"http://x\")", "'+1", "普通"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, sheet_name="a/b[c]"))).active
    assert sheet.title == "a_b_c_"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["B2"].value == 1


def test_agency_task_table_roles(plan):
    name = ids_by_name(plan)
    table = agency_task_table(plan, name["省委组织部"], "en")
    assert list(table["No."]) == [1, 13, 15, 20, 22, 23, 24]
    assert list(table["Role"]) == ["Support", "Support", "Lead", "Support", "Lead", "Lead", "Lead"]


def test_decode_helper_reads_plotly_binary_arrays():
    import json

    import numpy as np
    import plotly.graph_objects as go

    from tests.ui.apptest import decode

    spec = json.loads(go.Figure(go.Bar(x=np.array([20, 6, 23]))).to_json())
    assert isinstance(spec["data"][0]["x"], dict)
    assert decode(spec["data"][0]["x"]) == [20, 6, 23]


def test_hostile_names_reach_figures_escaped(plan_data):
    from components.plan.model import Plan

    evil = "<script>alert(1)</script><a href='javascript:x'>y</a>"
    plan_data["tasks"][0]["title"]["zh"] = evil
    plan_data["agencies"][0]["name"]["zh"] = evil
    plan_data["sections"][0]["title"]["zh"] = evil
    hostile = Plan.model_validate(plan_data)
    figures = [
        section_treemap(hostile, "zh"),
        workload_bars(hostile, "zh"),
        section_heatmap(hostile, "zh"),
        network_figure(hostile, "zh"),
    ]
    import json

    for fig in figures:
        text = json.dumps(fig.to_dict(), ensure_ascii=False, default=str)  # fig.to_json() would hide "<" as \u003c
        assert "<script" not in text and "<a " not in text
        assert "&lt;script&gt;" in text
    table = task_table(hostile, filter_tasks(hostile, TaskFilter(keyword="script")), "zh")
    assert list(table["序号"]) == [1] and table.loc[0, "任务"] == evil  # tables keep the literal text


def test_a_chord_hover_names_at_most_30_tasks():
    from components.figures.responsibility import _task_numbers

    assert _task_numbers((2, 3, 4), "zh") == "2, 3, 4"
    many = tuple(range(1, 41))
    assert _task_numbers(many, "zh") == ", ".join(map(str, range(1, 31))) + " 等"
    assert _task_numbers(many, "en").endswith("30 and others")


def test_count_axes_keep_their_steps_on_the_document_and_let_plotly_space_a_large_plan(plan):
    from components.plan.loader import load_plan_text
    from scripts.synthetic_plan import dump, scaled_plan

    bars, heat = workload_bars(plan, "zh"), section_heatmap(plan, "zh")
    assert bars.layout.xaxis.dtick == 2 and heat.data[0].colorbar.dtick == 1
    large = load_plan_text(dump(scaled_plan(10)), "plan-10x.yaml").value
    bars, heat = workload_bars(large, "zh"), section_heatmap(large, "zh")
    assert bars.layout.xaxis.range[1] > 60 and bars.layout.xaxis.dtick is None  # not a label every 2 tasks
    assert bars.layout.xaxis.tickformat == "d" and heat.data[0].colorbar.dtick is None
