"""The bundled plan's layout data hold together: site ids, parents and precision, corridors, and each point in its city.

The `boundaries` fixture is in tests/plan/conftest.py.
"""

from __future__ import annotations

import pytest

from components.analysis.sites import placed, site_areas
from components.plan.model import Precision, sites_in_cycles


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
    assert len(placed_sites) == 27 and set(located) == {s.id for s in placed_sites}
    for site in placed_sites:
        area = located[site.id]
        assert area is not None, site.id
        if site.province.value == "chongqing":
            assert area.startswith("50"), (site.id, area_names[area])
        else:
            assert site.city is not None and site.city.zh.startswith(area_names[area]), (site.id, area_names[area])
