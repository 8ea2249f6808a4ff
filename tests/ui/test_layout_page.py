"""The layout page wired to the plan (AppTest): map contents, filters, choropleth, one site's tasks, English."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import paths
from components.plan.model import SiteKind
from tests.ui.apptest import figure, open_page

ROOT = paths.ROOT
APP = str(ROOT / "app.py")
PAGE = "pages/layout.py"
BOUNDARY_TRACES = 59 + 2  # 21 prefectures + 38 districts, then the two province outlines


def role(fig: dict, name: str) -> list[dict]:
    return [t for t in fig["data"] if isinstance(t.get("meta"), dict) and t["meta"].get("role") == name]


def drawn_sites(fig: dict) -> dict[str, str]:
    """Site id → kind of every marker on the map."""
    return {row[0]: t["meta"]["kind"] for t in role(fig, "sites") for row in t["customdata"]}


def task_entries(at: AppTest) -> list[tuple[str, str]]:
    """(label, query string) of each task listed for the chosen site: links to the tasks page."""
    return [(link.proto.label, link.proto.query_string) for link in at.get("page_link") if link.proto.page == "tasks"]


def query(number: int) -> str:
    return f"task={number}"


def placed(plan, kinds=None, provinces=None) -> dict[str, str]:
    return {
        s.id: s.kind.value
        for s in plan.sites
        if s.lon is not None and (kinds is None or s.kind.value in kinds) and (provinces is None or s.province.value in provinces)
    }


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page(PAGE)


def test_map_has_every_placed_site_and_all_boundaries(page, plan):
    fig = figure(page)
    assert drawn_sites(fig) == placed(plan)
    assert len(drawn_sites(fig)) == 34
    assert len(role(fig, "area")) + len(role(fig, "province")) == BOUNDARY_TRACES
    assert {t["meta"]["id"] for t in role(fig, "connection")} == {"chengyu_corridor", "chengdemian_axis"}
    assert not role(fig, "colourbar")
    assert "geo" not in fig["layout"] and "mapbox" not in fig["layout"]
    captions = [c.value for c in page.caption]
    assert "符合条件的载体 64 / 64 个:地图上 34 个,无坐标 30 个。" in captions


def test_only_the_selected_kinds_are_drawn(plan):
    at = open_page(PAGE)
    at.multiselect(key="layout_kinds").set_value([SiteKind.science_city, SiteKind.innovative_city]).run()
    assert not at.exception
    fig = figure(at)
    assert drawn_sites(fig) == placed(plan, kinds={"science_city", "innovative_city"})
    assert sorted(drawn_sites(fig).values()).count("innovative_city") == 8
    assert len(drawn_sites(fig)) == 10
    assert len(role(fig, "area")) + len(role(fig, "province")) == BOUNDARY_TRACES
    assert [t["name"] for t in role(fig, "sites")] == ["科学城", "创新型城市"]


def test_province_chongqing_leaves_only_chongqing_sites(plan):
    at = open_page(PAGE)
    at.multiselect(key="layout_provinces").set_value(["chongqing"]).run()
    assert not at.exception
    on_map = drawn_sites(figure(at))
    assert set(on_map) == {"chongqing_science_city", "liangjiang_innovation_zone", "clinical_child"}
    assert {plan.site_by_id[s].province.value for s in on_map} == {"chongqing"}
    table = at.dataframe[0].value
    assert set(table["省市"]) == {"川渝共建"} and len(table) == 8  # Chongqing's own 3 sites are all on the map
    assert at.subheader[-1].value == "无坐标的载体(8 个)"
    options = at.selectbox(key="layout_site").options
    assert "西部(重庆)科学城" in options and "成都科学城" not in options


def test_choropleth_by_tasks_colours_areas_and_names_the_count():
    at = open_page(PAGE)
    at.radio(key="layout_mode").set_value("tasks").run()
    assert not at.exception
    fig = figure(at)
    areas = {t["meta"]["id"]: t for t in role(fig, "area")}
    assert areas["510100"]["name"] == "成都市: 10"
    assert areas["510700"]["name"] == "绵阳市: 3"
    bar = role(fig, "colourbar")
    assert len(bar) == 1 and bar[0]["marker"]["cmax"] == 10
    assert bar[0]["marker"]["colorbar"]["title"]["text"] == "任务数"
    assert len({areas[a]["fillcolor"] for a in ("510100", "510700", "510300")}) == 3
    assert any("不同任务个数" in c.value for c in at.caption)
    at.radio(key="layout_mode").set_value("sites").run()
    assert {t["meta"]["id"]: t for t in role(figure(at), "area")}["510700"]["name"] == "绵阳市: 4"


def test_selecting_a_site_shows_its_tasks_and_place_in_the_tree():
    at = open_page(PAGE)
    at.selectbox(key="layout_site").set_value("xinglong_lake_core").run()
    assert not at.exception
    assert task_entries(at) == [("任务 1\\:协同推进成渝综合性科学中心建设", query(1))]
    markdown = [m.value for m in at.markdown]
    assert "成渝综合性科学中心 › 兴隆湖核心区域\\(四川天府新区\\)" in markdown
    assert "无下级载体。" in markdown
    tree = figure(at, 1)
    assert role(tree, "tree-selected")[0]["meta"]["id"] == "xinglong_lake_core"

    at.selectbox(key="layout_site").set_value("west_chengdu_science_city").run()
    markdown = [m.value for m in at.markdown]
    parts = next(m for m in markdown if m.startswith("- 成都科学城"))
    assert parts.count("\n- ") == 4 and "未来科技城 (园区/示范区)" in parts
    assert [q for _, q in task_entries(at)] == [query(2)] and task_entries(at)[0][0].startswith("任务 2")

    at.selectbox(key="layout_site").set_value("chengdu_science_city").run()
    assert "没有任务直接点名该载体。" in [m.value for m in at.markdown]
    assert task_entries(at) == []


def test_a_site_link_preselects_it():
    at = open_page(PAGE, {"site": "lhaaso"})
    assert at.selectbox(key="layout_site").value == "lhaaso"
    assert [(label[:4], q) for label, q in task_entries(at)] == [("任务 7", query(7))]


def test_precision_words_and_unplaced_table_are_on_the_page(page):
    assert "坐标是近似的" in [s.value for s in page.subheader]
    text = "\n".join(m.value for m in page.markdown)
    for word in ("载体位置", "所在区县", "所在城市", "无坐标"):
        assert f"**{word}**" in text
    table = page.dataframe[0].value
    assert len(table) == 30 and set(table["坐标精度"]) == {"无坐标"}


def test_english_labels_after_switching_language(plan):
    at = open_page(PAGE)
    at.selectbox(key="layout_site").set_value("lhaaso").run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Western China Science City: one city, many parks"
    fig = figure(at)
    names = [t["name"] for t in role(fig, "sites")]
    assert "Innovative city" in names and "Science city" in names
    labels = {text for t in role(fig, "sites") for text in t["text"]}
    assert {"Chengdu", "Mianyang"} <= labels
    hover = {row[0]: row[1] for t in role(fig, "sites") for row in t["customdata"]}
    assert "Precision: its city" in hover["low_speed_wind_tunnel"] and "Named in tasks: 7" in hover["low_speed_wind_tunnel"]
    assert "Chengdu–Chongqing S&amp;T Innovation Corridor" in [t["name"] for t in role(fig, "connection")]  # Plotly shows "&"
    assert list(at.dataframe[0].value.columns)[:3] == ["Name", "Kind", "Province"]
    assert at.radio(key="layout_mode").options == ["Nothing", "Number of sites", "Number of tasks"]
    assert task_entries(at) == [(f"Task 7\\: {plan.tasks[6].title.en}", query(7))]
    assert plan.tasks[6].number == 7


@pytest.mark.parametrize("site", ["atlantis", "x" * 100_000, ""])
def test_a_site_link_naming_no_site_is_noted(site):
    at = open_page(PAGE, {"site": site, "lang": "en"})
    assert not at.exception
    assert at.selectbox(key="layout_site").value != site
    assert "These link parameters were invalid and were ignored: site" in [i.value for i in at.info]
