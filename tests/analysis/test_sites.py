"""The layout as numbers and tables: filters, breadcrumb and parts, counts per area (point in polygon), the site table."""

from __future__ import annotations

import re

import pytest

from components import paths
from components.analysis import sites as lt
from components.i18n import TEXT
from components.plan.boundaries import load_boundaries
from components.plan.model import Province, Site, SiteKind

CJK = re.compile(r"[\u4e00-\u9fff]")
ONE_CORE_FOUR_ZONES = ["chengdu_science_city", "new_economy_zone", "life_science_zone", "future_tech_city", "next_gen_it_base"]


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(paths.BOUNDARIES)


@pytest.fixture(scope="module")
def area_names(boundaries) -> dict[str, str]:
    return {f["properties"]["id"]: f["properties"]["name_zh"] for f in boundaries["features"]}


@pytest.fixture(scope="module")
def area_id(boundaries) -> dict[str, str]:
    return {f["properties"]["name_zh"]: f["properties"]["id"] for f in boundaries["features"]}


def area_of(lon: float, lat: float, boundaries: dict) -> str | None:
    """The prefecture or district a point falls in, through the same index the counts use.

    `model_construct`: the geometry is tested on points (Beijing, a unit square) that a plan's
    coordinate range would refuse.
    """
    return lt.site_areas([Site.model_construct(id="p", lon=lon, lat=lat)], boundaries)["p"]


def ids(sites) -> list[str]:
    return [s.id for s in sites]


def test_breadcrumb_runs_from_the_root_to_the_site(plan):
    assert ids(lt.breadcrumb(plan, "xinglong_lake_core")) == ["chengyu_science_centre", "xinglong_lake_core"]
    assert [s.name.zh for s in lt.breadcrumb(plan, "xinglong_lake_core")] == ["成渝综合性科学中心", "兴隆湖核心区域(四川天府新区)"]
    assert ids(lt.breadcrumb(plan, "new_drug_pilot_base")) == [
        "west_science_city",
        "west_chengdu_science_city",
        "life_science_zone",
        "new_drug_pilot_base",
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
        "west_chengdu_science_city",
        "chongqing_science_city",
        "mianyang_science_city",
        "liangjiang_innovation_zone",
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
    assert len(lt.placed(plan.sites)) == 34 and len(lt.unplaced(plan.sites)) == 30
    assert all(s.precision.value == "none" for s in lt.unplaced(plan.sites))


def test_choropleth_by_tasks_counts_each_task_once_per_area(plan, boundaries, area_id):
    counts = lt.task_counts_by_area(plan.sites, plan.tasks_by_site, boundaries)
    assert len(counts) == 59
    assert counts[area_id["成都市"]] == 10  # tasks 1, 2, 4, 5, 6, 7, 17, 18, 20, 23
    assert counts[area_id["绵阳市"]] == 3  # tasks 2, 4, 7
    assert counts[area_id["甘孜藏族自治州"]] == 1  # LHAASO, task 7
    assert counts[area_id["渝中区"]] == 1  # the child-health clinical centre, task 5
    assert counts[area_id["沙坪坝区"]] == 0  # 西部(重庆)科学城 is named by no task
    assert sum(counts.values()) == 21
    located = lt.site_areas(plan.sites, boundaries)
    mentions = sum(len(plan.tasks_by_site[s]) for s, a in located.items() if a == area_id["成都市"])
    assert mentions == 15 > counts[area_id["成都市"]]  # task 5 names two Chengdu clinical centres and 天府实验室: counted once
    only_cities = lt.task_counts_by_area(lt.filter_sites(plan.sites, kinds=["innovative_city"]), plan.tasks_by_site, boundaries)
    assert only_cities[area_id["成都市"]] == 1 and sum(only_cities.values()) == 8


def test_site_table_of_unplaced_sites(plan):
    table = lt.site_table(plan, lt.unplaced(plan.sites), "zh")
    assert list(table.columns) == ["名称", "类型", "省市", "上级载体", "城市", "坐标精度", "点名的任务"]
    assert len(table) == 30
    row = table.set_index("名称").loc["国家实验室四川基地"]
    assert row.to_dict() == {
        "类型": "国家实验室",
        "省市": "四川",
        "上级载体": "成渝综合性科学中心",
        "城市": "—",
        "坐标精度": "无坐标",
        "点名的任务": "5",
    }
    assert table.set_index("名称").loc["西部科学城", "省市"] == "川渝共建"
    english = lt.site_table(plan, [plan.site_by_id["lhaaso"]], "en")
    assert english.iloc[0].tolist() == [
        "Large High Altitude Air Shower Observatory (LHAASO)",
        "Major research facility",
        "Sichuan",
        "—",
        "Daocheng County, Garzê",
        "the site",
        "7",
    ]


def test_kind_and_province_labels():
    assert set(lt.kind_labels("zh")) == {k.value for k in SiteKind}
    assert lt.kind_labels("en")["major_facility"] == "Major research facility"
    assert lt.province_label("both", "zh") == "川渝共建" and lt.province_label(Province.sichuan, "en") == "Sichuan"


def test_layout_words_exist_in_both_languages_and_english_has_no_chinese():
    keys = [k for k in TEXT if k.startswith("layout.") or k == "nav.layout"]
    assert len(keys) > 60
    for key in keys:
        assert TEXT[key]["zh"] and TEXT[key]["en"], key
        assert not CJK.search(TEXT[key]["en"]), key


def test_sites_are_located_in_mianyang_garze_and_chongqing(plan, boundaries, area_names):
    by_id = plan.site_by_id
    tunnel = by_id["low_speed_wind_tunnel"]
    assert area_names[area_of(tunnel.lon, tunnel.lat, boundaries)] == "绵阳市"
    lhaaso = by_id["lhaaso"]
    assert area_names[area_of(lhaaso.lon, lhaaso.lat, boundaries)] == "甘孜藏族自治州"
    assert area_names[area_of(106.578, 29.557, boundaries)] == "渝中区"
    assert area_of(116.40, 39.90, boundaries) is None  # Beijing


def test_a_point_in_a_hole_belongs_to_the_area_filling_the_hole():
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "a", "level": "prefecture", "name_zh": "A"},
                "geometry": {"type": "Polygon", "coordinates": [square, hole]},
            },
            {
                "type": "Feature",
                "properties": {"id": "b", "level": "prefecture", "name_zh": "B"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[hole]]},
            },
        ],
    }
    assert area_of(3.0, 3.0, boundaries) == "a"
    assert area_of(1.5, 1.5, boundaries) == "b"
    assert area_of(5.0, 1.5, boundaries) is None


def test_site_counts_by_area_match_the_cities(plan, boundaries, area_names):
    counts = lt.site_counts_by_area(plan.sites, boundaries)
    by_name = {area_names[k]: v for k, v in counts.items()}
    assert len(counts) == 59
    in_city = lambda name: sum(1 for s in lt.placed(plan.sites) if s.city and s.city.zh == name)
    assert by_name["成都市"] == in_city("成都市") > 10
    assert by_name["绵阳市"] == in_city("绵阳市") == 4
    assert by_name["甘孜藏族自治州"] == 1
    assert sum(counts.values()) == len(lt.placed(plan.sites))
    only_cities = lt.site_counts_by_area(plan.sites, boundaries, kinds=["innovative_city"])
    assert sum(only_cities.values()) == 8 and only_cities["510100"] == 1


def test_site_facts_of_a_placed_and_an_unplaced_site(plan):
    assert lt.site_facts(plan, plan.site_by_id["lhaaso"], "zh") == [
        ("类型", "重大科技基础设施"),
        ("省市", "四川"),
        ("城市", "甘孜藏族自治州稻城县"),
        ("坐标精度", "载体位置"),
        ("坐标(约)", "100.138° E, 29.357° N"),
        ("方案中的表述", "加快建设"),
        ("来源", "四川省人民政府办公厅:四川省人民政府办公厅关于印发《增强协同创新发展能力行动方案》的通知(川办发〔2022〕13号)"),
    ]
    labels = [label for label, _ in lt.site_facts(plan, plan.site_by_id["national_lab_sichuan_base"], "en")]
    assert labels == ["Kind", "Province", "City", "Coordinate precision", "The plan's wording", "Source"]  # no coordinates line
