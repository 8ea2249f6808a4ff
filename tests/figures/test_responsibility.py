"""Figures of who does what: the data each chart carries matches the hand counts, plan text reaches labels escaped.

The hand counts are those of tests/analysis/test_responsibility.py (科技厅 leads 20 tasks and supports 6,
有关市(州)人民政府 supports 23, 省委组织部 leads 22, 23 and 24 in section 七, ...).
"""

from __future__ import annotations

import json

from components.analysis.responsibility import TaskFilter, filter_tasks, section_sizes, shared_tasks, task_table, workload
from components.figures import responsibility
from components.figures.responsibility import (
    MORE_SECTIONS_NODE,
    _task_numbers,
    arc_layout,
    network_figure,
    section_heatmap,
    section_of_node,
    section_treemap,
    slide_network,
    treemap_highlight,
    treemap_is_aggregated,
    workload_bars,
)
from components.plan.loader import load_plan_text
from components.plan.model import Plan
from scripts.synthetic_plan import dump, scaled_plan


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


def test_treemap_of_a_large_plan_draws_sections_and_drills_into_one(plan, monkeypatch):
    """Above MAX_TREEMAP_TILES tiles (35 here: 8 sections, 27 tasks) the treemap holds sections with their task counts."""
    monkeypatch.setattr(responsibility, "MAX_TREEMAP_TILES", 30)
    whole = section_treemap(plan, "zh").data[0]
    assert list(whole.ids) == ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"]
    assert dict(zip(whole.ids, whole.values))["s5"] == 8 + 8 + 5 + 12
    assert whole.labels[4].endswith("(4 项任务)")
    assert treemap_is_aggregated(plan, None) and not treemap_is_aggregated(plan, "s5")
    drilled = section_treemap(plan, "en", selected_section="s5").data[0]
    assert list(drilled.ids) == ["s5", "s5/t16", "s5/t17", "s5/t18", "s5/t19"] and drilled.level == "s5"


def test_treemap_with_more_sections_than_tiles_sums_the_smallest(plan, monkeypatch):
    monkeypatch.setattr(responsibility, "MAX_TREEMAP_TILES", 5)
    sizes = section_sizes(plan)
    tree = section_treemap(plan, "en").data[0]
    assert len(tree.ids) == 5 and tree.ids[0] == MORE_SECTIONS_NODE
    kept = sorted(sizes, key=lambda s: -sizes[s])[:4]
    assert sorted(tree.ids[1:]) == sorted(kept)
    assert tree.values[0] == sum(v for s, v in sizes.items() if s not in kept)
    assert tree.labels[0].startswith("4 more sections") and section_of_node(plan, MORE_SECTIONS_NODE) is None


def test_hostile_names_reach_figures_escaped(plan_data):
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
    for fig in figures:
        text = json.dumps(fig.to_dict(), ensure_ascii=False, default=str)  # fig.to_json() would hide "<" as \u003c
        assert "<script" not in text and "<a " not in text
        assert "&lt;script&gt;" in text
    table = task_table(hostile, filter_tasks(hostile, TaskFilter(keyword="script")), "zh")
    assert list(table["序号"]) == [1] and table.loc[0, "任务"] == evil  # tables keep the literal text


def test_a_chord_hover_names_at_most_30_tasks():
    assert _task_numbers((2, 3, 4), "zh") == "2, 3, 4"
    many = tuple(range(1, 41))
    assert _task_numbers(many, "zh") == ", ".join(map(str, range(1, 31))) + " 等"
    assert _task_numbers(many, "en").endswith("30 and others")


def test_count_axes_keep_their_steps_on_the_document_and_let_plotly_space_a_large_plan(plan):
    bars, heat = workload_bars(plan, "zh"), section_heatmap(plan, "zh")
    assert bars.layout.xaxis.dtick == 2 and heat.data[0].colorbar.dtick == 1
    large = load_plan_text(dump(scaled_plan(10)), "plan-10x.yaml").value
    bars, heat = workload_bars(large, "zh"), section_heatmap(large, "zh")
    assert bars.layout.xaxis.range[1] > 60 and bars.layout.xaxis.dtick is None  # not a label every 2 tasks
    assert bars.layout.xaxis.tickformat == "d" and heat.data[0].colorbar.dtick is None


def _nodes(fig) -> list[str]:
    return [a for tr in fig.data if tr.mode == "markers" and tr.customdata is not None for a in tr.customdata]


def test_network_of_many_agencies_draws_the_busiest_and_says_how_many_are_left_out():
    large = load_plan_text(dump(scaled_plan(3)), "plan-3x.yaml").value
    busiest = [w.agency for w in workload(large)]
    assert len(busiest) == 68
    fig = network_figure(large, "en", top=40)
    assert sorted(_nodes(fig)) == sorted(busiest[:40]) and len(arc_layout(large, top=40)) == 40
    kept = set(busiest[:40])
    pairs = shared_tasks(large)
    left_links = sum(1 for a, b in pairs if not (a in kept and b in kept))
    assert 0 < left_links < len(pairs)
    hovers = [tr for tr in fig.data if tr.name == "edges"][0]
    assert len(hovers.x) == len(pairs) - left_links
    note = fig.layout.annotations[-1].text
    assert note.startswith(f"Only the 40 busiest of 68 agencies and the lines between them are drawn; 28 agencies and {left_links} lines")
    zh = network_figure(large, "zh", top=40, min_weight=2).layout.annotations[-1].text
    heavy_left = sum(1 for (a, b), tasks in pairs.items() if len(tasks) >= 2 and not (a in kept and b in kept))
    assert f"其余 28 个单位和 {heavy_left} 条连线未画出" in zh
    assert len(_nodes(network_figure(large, "en"))) == 68 and "busiest" not in network_figure(large, "en").layout.annotations[-1].text


def test_network_top_leaves_the_document_as_it_is(plan):
    """34 agencies: a top of 40 draws every one, with the same note and chords as no top at all."""
    assert network_figure(plan, "zh", top=40).to_dict() == network_figure(plan, "zh").to_dict()
    assert len(_nodes(network_figure(plan, "zh", top=40))) == 34


def test_heatmap_of_many_sections_leaves_the_names_and_cell_text_to_the_hover(plan, monkeypatch):
    """8 sections: every cell says "牵3" under its section's name; above HEATMAP_TEXT_SECTIONS (7 here) the columns
    are numbered (the names overlapped), the cells carry no text, and the hover names the section."""
    labelled = section_heatmap(plan, "zh")
    assert labelled.data[0].texttemplate == "%{text}" and "格内:牵 = 牵头任务数" in labelled.layout.annotations[-1].text
    assert labelled.data[0].x[6] == "(七) 协同<br>打造创新人<br>才高地"
    monkeypatch.setattr(responsibility, "HEATMAP_TEXT_SECTIONS", 7)
    fig = section_heatmap(plan, "en")
    heat = fig.data[0]
    assert heat.text is None and heat.texttemplate is None
    assert list(heat.x) == ["1", "2", "3", "4", "5", "6", "7", "8"]
    row = list(heat.y).index("Party Committee Organisation Department")
    assert heat.z[row][6] == 3
    assert heat.customdata[row][6] == "(七) Jointly build a hub for innovative talent<br>Leads tasks 22, 23, 24"
    assert heat.customdata[row][1].startswith("(二) Jointly build major strategic innovation platforms<br>")
    assert "%{x}" not in heat.hovertemplate
    assert (
        fig.layout.annotations[-1].text
        == "Too many sections to name: columns are numbered in the plan's order; hover for each section and its tasks."
    )


def test_heatmap_of_the_busiest_agencies_puts_each_sentence_of_its_note_on_a_line(plan):
    fig = section_heatmap(plan, "en", top=10)
    assert fig.layout.annotations[-1].text == (
        "The chart shows the 10 busiest of 34 agencies (pick more above); the table lists them all."
        "<br>In each cell: L = tasks led, S = tasks supported; hover for task numbers."
    )


def test_treemap_highlight_names_only_tasks_that_can_be_greyed(plan, monkeypatch):
    assert treemap_highlight(plan, None, TaskFilter(role="lead")) is None  # a role alone filters nothing
    everything = section_treemap(plan, "zh", highlight=tuple(task.number for task in plan.tasks_in_order))
    assert everything.to_dict() == section_treemap(plan, "zh", highlight=None).to_dict()
    judicial = TaskFilter(agency="fy")
    assert (
        treemap_highlight(plan, None, judicial)
        == treemap_highlight(plan, "s5", judicial)
        == tuple(task.number for task in filter_tasks(plan, judicial))
    )
    monkeypatch.setattr(responsibility, "MAX_TREEMAP_TILES", 30)  # 35 tiles: sections only, a section drills down
    assert treemap_highlight(plan, None, judicial) is None
    keyword = TaskFilter(keyword="人才")
    assert treemap_highlight(plan, "s7", keyword) == tuple(t.number for t in filter_tasks(plan, keyword) if t.section == "s7")


def test_rows_grow_when_an_agency_name_takes_two_lines(plan):
    """The bundled plan's names fit one line in English; a longer one wraps and every row grows to hold it."""
    heat, bars = section_heatmap(plan, "en"), workload_bars(plan, "en")
    assert "Relevant city and prefecture governments (group of cities)" in heat.data[0].y
    assert not any("<br>" in name for name in heat.data[0].y)
    assert (heat.layout.height, bars.layout.height) == (200 + 24 * 34, 200 + 28 * 34)
    large = load_plan_text(dump(scaled_plan(10)), "plan-10x.yaml").value
    heat, bars = section_heatmap(large, "en", top=40), workload_bars(large, "en", top=40)
    assert "Relevant city and prefecture governments (2) (group of <br>cities)" in heat.data[0].y
    assert (heat.layout.height, bars.layout.height) == (200 + 36 * 40, 200 + 40 * 40)


def test_the_network_slide_puts_its_note_under_the_legend(plan):
    """On the page the note sits just under the plot; on the slide the legend does, so the note goes under it."""
    fig = slide_network(plan, "zh")
    note = fig.layout.annotations[-1]
    assert note.text.startswith("圆点大小") and note.yanchor == "top" and note.y == 0
    assert (fig.layout.legend.y, fig.layout.legend.yanchor) == (0, "top")
    assert note.yshift == -responsibility.SLIDE_LEGEND_PX
    assert fig.layout.margin.b == responsibility.SLIDE_LEGEND_PX + responsibility.NOTE_LINE_PX + 12
