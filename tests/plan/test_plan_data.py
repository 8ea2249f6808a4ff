"""The bundled plan's layout data hold together: site ids, parents and precision, corridors, and each point in its city.

The `boundaries` fixture is in tests/plan/conftest.py.
"""

from __future__ import annotations

import pytest

from components.analysis.sites import area_centre, placed, site_areas
from components.plan.model import Precision, sites_in_cycles
from tests import helpers


@pytest.fixture(scope="module")
def area_names(boundaries) -> dict[str, str]:
    return {f["properties"]["id"]: f["properties"]["name_zh"] for f in boundaries["features"]}


def test_sites_ids_parents_and_precision(site_data):
    ids = [s.id for s in site_data.sites]
    assert len(ids) == len(set(ids))
    by_id = {s.id: s for s in site_data.sites}
    for site in site_data.sites:
        assert site.parent is None or site.parent in by_id, site.id
        assert (site.lon is None) == (site.lat is None), site.id
        assert (site.lon is None) == (site.precision is Precision.none), site.id
    assert sites_in_cycles(site_data.sites) == []


def test_connections_and_tasks_refer_to_known_sites(site_data):
    by_id = {s.id: s for s in site_data.sites}
    assert [(c.id, len(c.sites)) for c in site_data.connections] == [("chengyu_corridor", 2), ("chengdemian_axis", 3)]
    for connection in site_data.connections:
        for site_id in connection.sites:
            assert site_id in by_id and by_id[site_id].lon is not None, (connection.id, site_id)
    assert set(site_data.tasks_by_site) == set(by_id)
    assert site_data.tasks_by_site["xinglong_lake_core"] == [1]


def test_each_placed_site_lies_in_its_stated_city(site_data, boundaries, area_names):
    located = site_areas(site_data.sites, boundaries)
    placed_sites = placed(site_data.sites)
    assert len(placed_sites) == 34 and set(located) == {s.id for s in placed_sites}
    for site in placed_sites:
        area = located[site.id]
        assert area is not None, site.id
        if site.province.value == "chongqing":
            assert area.startswith("50"), (site.id, area_names[area])
        else:
            assert site.city is not None and site.city.zh.startswith(area_names[area]), (site.id, area_names[area])


# The seven sites the 2026-12 sources placed (all were precision none): each with the document that says where it is.
MOVED_FROM_NONE = {
    "precision_medicine_iic": ("510100", "chinanews_precision_medicine_2022", "成都天府国际生物城"),
    "em_driven_fusion": ("510100", "chengdu_science_city_2023_05", "成都科学城"),
    "aviation_equipment_tic": ("510100", "cnii_chengdu_manufacturing_2024", "国家高端航空装备技术创新中心"),
    "tianfu_lab": ("510100", "cnii_chengdu_manufacturing_2024", "天府实验室"),
    "chengdu_nidz": ("510100", "chengdu_metro_2021", None),
    "chengdu_ai_zone": ("510100", "east_west_2021", None),
    "mianyang_pilot_zone": ("510700", "plan_text", None),
}


def test_every_placed_site_has_a_precision_and_a_source(site_data, plan):
    sources = set(plan.source_by_id)
    for site in placed(site_data.sites):
        assert site.precision is not Precision.none and site.source in sources, site.id


def test_sites_moved_from_none_by_their_sources(site_data, plan, boundaries):
    by_id = {s.id: s for s in site_data.sites}
    sources = plan.source_by_id
    for site_id, (area, source_id, where) in MOVED_FROM_NONE.items():
        site = by_id[site_id]
        assert (site.precision, site.area, site.source) == (Precision.city, area, source_id), site_id
        assert (site.lon, site.lat) == area_centre(boundaries, area), site_id
        if where is not None:  # a news source: the sentence that places it is kept in the source's note
            assert where in sources[source_id].note, site_id
    assert by_id["chengdu_nidz"].name.zh.startswith("成都") and by_id["chengdu_ai_zone"].name.zh.startswith("成都")
    assert sorted(s.precision.value for s in placed(site_data.sites)).count("city") == 20


def test_a_city_point_is_the_centre_of_its_area(site_data, boundaries):
    """Every point drawn at a city's centre can be recomputed from data/boundaries.geojson: none is typed from memory."""
    city_points = [s for s in site_data.sites if s.precision is Precision.city]
    assert all(s.area is not None for s in city_points)
    for site in city_points:
        assert (site.lon, site.lat) == area_centre(boundaries, site.area), site.id
    assert area_centre(boundaries, "510100") == (103.932, 30.651)  # 成都市
    assert area_centre(boundaries, "510700") == (104.706, 31.846)  # 绵阳市
    assert area_centre(boundaries, "510500") == (105.464, 28.437)  # 泸州市: its centroid falls outside it, so the widest stretch's middle


def test_every_area_centre_lies_inside_its_area(boundaries):
    areas = [f["properties"] for f in boundaries["features"] if f["properties"]["level"] != "province"]
    assert len(areas) == 59
    centres = [helpers.site(area["id"], *area_centre(boundaries, area["id"])) for area in areas]
    assert site_areas(centres, boundaries) == {area["id"]: area["id"] for area in areas}
