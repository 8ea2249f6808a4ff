"""Pure logic of the layout page: filters, breadcrumb and parts, choropleth by tasks, tables, the tree figure."""

from __future__ import annotations

import re

import pytest

from components import paths
from components.analysis import sites as lt
from components.figures.site_map import (
    LABEL_HALO,
    UI_KEYS,
    hierarchy_tree_figure,
    load_boundaries,
    site_areas,
    site_map_figure,
    tree_rows,
)
from components.i18n import TEXT
from components.plan.model import Connection, Site

ROOT = paths.ROOT
CJK = re.compile(r"[\u4e00-\u9fff]")
ONE_CORE_FOUR_ZONES = ["chengdu_science_city", "new_economy_zone", "life_science_zone", "future_tech_city", "next_gen_it_base"]


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(ROOT / "data" / "boundaries.geojson")


@pytest.fixture(scope="module")
def area_id(boundaries) -> dict[str, str]:
    return {f["properties"]["name_zh"]: f["properties"]["id"] for f in boundaries["features"]}


def ids(sites) -> list[str]:
    return [s.id for s in sites]


def site(site_id: str, lon: float | None, lat: float | None, *, kind: str = "zone", parent: str | None = None) -> Site:
    return Site(
        id=site_id, name={"zh": site_id, "en": site_id}, kind=kind, province="sichuan", parent=parent,
        lon=lon, lat=lat, precision="site" if lon is not None else "none", source="plan_text",
    )


# --------------------------------------------------------------------------- the tree


def test_breadcrumb_runs_from_the_root_to_the_site(plan):
    assert ids(lt.breadcrumb(plan, "xinglong_lake_core")) == ["chengyu_science_centre", "xinglong_lake_core"]
    assert [s.name.zh for s in lt.breadcrumb(plan, "xinglong_lake_core")] == ["成渝综合性科学中心", "兴隆湖核心区域(四川天府新区)"]
    assert ids(lt.breadcrumb(plan, "new_drug_pilot_base")) == [
        "west_science_city", "west_chengdu_science_city", "life_science_zone", "new_drug_pilot_base",
    ]
    assert ids(lt.breadcrumb(plan, "west_science_city")) == ["west_science_city"]
    with pytest.raises(KeyError):
        lt.breadcrumb(plan, "atlantis")


def test_children_of_the_chengdu_science_city_are_one_core_four_zones(plan):
    parts = lt.children(plan, "west_chengdu_science_city")
    assert ids(parts) == ONE_CORE_FOUR_ZONES
    assert [s.name.zh for s in parts] == ["成都科学城", "新经济活力区", "生命科学创新区", "未来科技城", "新一代信息技术创新基地"]
    assert [s.kind.value for s in parts] == ["core_area", "zone", "zone", "zone", "zone"]
    assert ids(lt.children(plan, "west_science_city")) == [
        "west_chengdu_science_city", "chongqing_science_city", "mianyang_science_city", "liangjiang_innovation_zone",
    ]
    assert lt.children(plan, "lhaaso") == []


def test_tree_sites_keep_only_sites_with_a_parent_or_parts(plan):
    tree = ids(lt.tree_sites(plan.sites))
    assert len(tree) == 24
    assert {"west_science_city", "chengyu_science_centre", "new_drug_pilot_base", "low_speed_wind_tunnel"} <= set(tree)
    assert "lhaaso" not in tree and "city_chengdu" not in tree


def test_tasks_naming_a_site(plan):
    assert [t.number for t in lt.tasks_naming(plan, "xinglong_lake_core")] == [1]
    assert [t.number for t in lt.tasks_naming(plan, "national_lab_bid")] == [5, 23]
    assert lt.tasks_naming(plan, "chengdu_science_city") == []


# --------------------------------------------------------------------------- filters


def test_filter_by_kind_and_province_counts(plan):
    assert len(lt.filter_sites(plan.sites)) == 64
    assert len(lt.filter_sites(plan.sites, kinds=["innovative_city"])) == 8
    chongqing = lt.filter_sites(plan.sites, provinces=["chongqing"])
    assert len(chongqing) == 11  # 3 in Chongqing + 8 shared by both provinces
    assert {s.province.value for s in chongqing} == {"chongqing", "both"}
    assert ids(lt.placed(chongqing)) == ["chongqing_science_city", "liangjiang_innovation_zone", "clinical_child"]
    assert len(lt.filter_sites(plan.sites, provinces=["sichuan"])) == 61
    assert len(lt.filter_sites(plan.sites, provinces=["sichuan", "chongqing"])) == 64
    facilities = lt.filter_sites(plan.sites, kinds=["major_facility"], provinces=["chongqing"])
    assert ids(facilities) == ["ultrafast_matter_facility", "yangtze_surface_system"]
    assert lt.filter_sites(plan.sites, kinds=[]) == []
    assert lt.filter_sites(plan.sites, provinces=[]) == []


def test_placed_and_unplaced_split_every_site(plan):
    assert len(lt.placed(plan.sites)) == 27 and len(lt.unplaced(plan.sites)) == 37
    assert all(s.precision.value == "none" for s in lt.unplaced(plan.sites))


# --------------------------------------------------------------------------- choropleth


def test_choropleth_by_tasks_counts_each_task_once_per_area(plan, boundaries, area_id):
    counts = lt.task_counts_by_area(plan.sites, plan.tasks_by_site, boundaries)
    assert len(counts) == 59
    assert counts[area_id["成都市"]] == 8  # tasks 1, 4, 5, 6, 7, 17, 18, 20
    assert counts[area_id["绵阳市"]] == 3  # tasks 2, 4, 7
    assert counts[area_id["甘孜藏族自治州"]] == 1  # LHAASO, task 7
    assert counts[area_id["渝中区"]] == 1  # the child-health clinical centre, task 5
    assert counts[area_id["沙坪坝区"]] == 0  # 西部(重庆)科学城 is named by no task
    assert sum(counts.values()) == 19
    located = site_areas(plan.sites, boundaries)
    mentions = sum(len(plan.tasks_by_site[s]) for s, a in located.items() if a == area_id["成都市"])
    assert mentions == 9 > counts[area_id["成都市"]]  # task 5 names two Chengdu clinical centres: counted once
    only_cities = lt.task_counts_by_area(lt.filter_sites(plan.sites, kinds=["innovative_city"]), plan.tasks_by_site, boundaries)
    assert only_cities[area_id["成都市"]] == 1 and sum(only_cities.values()) == 8


# --------------------------------------------------------------------------- tables and words


def test_site_table_of_unplaced_sites(plan):
    table = lt.site_table(plan, lt.unplaced(plan.sites), "zh")
    assert list(table.columns) == ["名称", "类型", "省市", "上级载体", "城市", "坐标精度", "点名的任务"]
    assert len(table) == 37
    row = table.set_index("名称").loc["天府实验室"]
    assert row.to_dict() == {
        "类型": "省级实验室", "省市": "四川", "上级载体": "成渝综合性科学中心", "城市": "成都市", "坐标精度": "无坐标", "点名的任务": "5, 23",
    }
    assert table.set_index("名称").loc["西部科学城", "省市"] == "川渝共建"
    english = lt.site_table(plan, [plan.site_by_id["lhaaso"]], "en")
    assert english.iloc[0].tolist() == [
        "Large High Altitude Air Shower Observatory (LHAASO)", "Major research facility", "Sichuan", "—",
        "Daocheng County, Garzê", "the site", "7",
    ]


def test_map_words_cover_the_figure_keys_and_name_what_is_counted():
    for lang in ("zh", "en"):
        ui = lt.map_ui(lang)
        assert set(ui) == set(UI_KEYS) and all(ui.values())
    assert lt.map_ui("zh", mode="tasks")["count"] == "任务数"
    assert lt.map_ui("en", mode="sites")["count"] == "Sites"
    assert lt.kind_labels("en")["major_facility"] == "Major research facility"


def test_layout_words_exist_in_both_languages_and_english_has_no_chinese():
    keys = [k for k in TEXT if k.startswith("layout.") or k == "nav.layout"]
    assert len(keys) > 60
    for key in keys:
        assert TEXT[key]["zh"] and TEXT[key]["en"], key
        assert not CJK.search(TEXT[key]["en"]), key


# --------------------------------------------------------------------------- the tree figure


def test_tree_rows_are_depth_first_with_depths(plan):
    rows = tree_rows(lt.tree_sites(plan.sites))
    order = [s.id for s, _ in rows]
    depth = {s.id: d for s, d in rows}
    assert order[:8] == ["west_science_city", "west_chengdu_science_city", "chengdu_science_city", "new_economy_zone",
                         "life_science_zone", "new_drug_pilot_base", "future_tech_city", "next_gen_it_base"]
    assert depth["west_science_city"] == 0 and depth["new_drug_pilot_base"] == 3 and depth["xinglong_lake_core"] == 1
    with pytest.raises(ValueError, match="cycle"):
        tree_rows([site("a", None, None, parent="b"), site("b", None, None, parent="a"), site("c", None, None)])


def test_tree_figure_one_marker_per_site_edges_and_selection(plan):
    tree = lt.tree_sites(plan.sites)
    fig = hierarchy_tree_figure(tree, lang="zh", kind_labels=lt.kind_labels("zh"), selected="life_science_zone", width_px=290)
    nodes = [t for t in fig.data if t.meta.get("role") == "tree-node"]
    placed = {cd[0]: (x, y, text) for t in nodes for cd, x, y, text in zip(t.customdata, t.x, t.y, t.text)}
    assert set(placed) == {s.id for s in tree}
    assert placed["new_drug_pilot_base"][0] == 3 and placed["west_science_city"][:2] == (0, 0)
    edges = next(t for t in fig.data if t.meta.get("role") == "tree-edges")
    assert list(edges.x).count(None) == 22  # one elbow per site with a parent: 24 sites, 2 roots
    ring = next(t for t in fig.data if t.meta.get("role") == "tree-selected")
    assert (ring.x[0], ring.y[0]) == placed["life_science_zone"][:2]
    assert placed["life_science_zone"][2] == "<b>生命科学创新区</b>"
    long_name = placed["new_drug_pilot_base"][2]
    assert long_name.endswith("…") and "重大新药创制专项成果转移转化试点示范基地".startswith(long_name[:-1])
    hover = {cd[0]: cd[1] for t in nodes for cd in t.customdata}
    assert "重大新药创制专项成果转移转化试点示范基地" in hover["new_drug_pilot_base"]
    assert [t.name for t in nodes][0] == "科学城"


# --------------------------------------------------------------------------- labels keep off corridors


def test_labels_keep_off_connection_lines():
    sites = [
        site("a", 104.0, 30.0),
        site("b", 102.0, 30.03, kind="innovative_city"),
        site("c", 106.0, 30.03, kind="innovative_city"),
    ]
    line = Connection(id="line", name={"zh": "线", "en": "line"}, sites=["b", "c"], source="plan_text")
    empty = {"type": "FeatureCollection", "features": []}

    def position(connections):
        fig = site_map_figure(sites, empty, connections=connections, bounds=(101.0, 107.0, 29.0, 31.0), label_width_px=1000)
        zone = next(t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("kind") == "zone")
        assert zone.textfont.shadow == LABEL_HALO
        return zone.textposition[0]

    assert position([]) == "top center"
    assert position([line]) == "bottom center"  # the line runs just above the marker


def test_markup_in_names_stays_text_on_the_map_and_tree():
    hostile = "X<img src=x onerror=alert(1)>"
    sites = [site("a", 104.0, 30.0, kind="innovative_city"), site("b", 105.0, 30.0, kind="innovative_city", parent="a")]
    sites[0] = sites[0].model_copy(update={"name": sites[0].name.model_copy(update={"zh": hostile})})
    line = Connection(id="line", name={"zh": "A&B<b>", "en": "A&B"}, sites=["a", "b"], source="plan_text")
    empty = {"type": "FeatureCollection", "features": []}
    fig = site_map_figure(sites, empty, connections=[line], bounds=(101.0, 107.0, 29.0, 31.0))
    cities = next(t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("kind") == "innovative_city")
    assert cities.text[0] == "X&lt;img src=x onerror=alert(1)&gt;"
    assert next(t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "connection").name == "A&amp;B&lt;b&gt;"
    tree = hierarchy_tree_figure(sites, lang="zh")
    texts = [text for t in tree.data if t.meta.get("role") == "tree-node" for text in t.text]
    assert texts[0] == "X&lt;img src=x onerror=alert(1)&gt;"
