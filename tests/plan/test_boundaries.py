"""The bundled outlines of 四川's prefectures and 重庆's districts (data/boundaries.geojson).

The `boundaries` fixture is in tests/plan/conftest.py.
"""

from __future__ import annotations

import json

import pytest

from components import paths
from components.plan.boundaries import AREA_LEVELS, area_name, bundled_boundaries, load_boundaries, polygons

BOUNDARIES = paths.BOUNDARIES


def test_boundary_features_are_two_provinces_21_prefectures_38_districts(boundaries):
    props = [f["properties"] for f in boundaries["features"]]
    assert len(props) == 61
    assert sorted(p["name_zh"] for p in props if p["level"] == "province") == ["四川省", "重庆市"]
    prefectures = [p for p in props if p["level"] == "prefecture"]
    districts = [p for p in props if p["level"] == "district"]
    assert len(prefectures) == 21 and {p["province"] for p in prefectures} == {"sichuan"}
    assert len(districts) == 38 and {p["province"] for p in districts} == {"chongqing"}
    assert len({p["id"] for p in props}) == 61
    assert all(p.get("name_en") for p in props)
    assert {"成都市", "绵阳市", "甘孜藏族自治州"} <= {p["name_zh"] for p in prefectures}


def test_boundary_file_is_small_and_rounded():
    assert BOUNDARIES.stat().st_size < 400_000
    text = BOUNDARIES.read_text(encoding="utf-8")
    data = json.loads(text)
    ring = data["features"][0]["geometry"]["coordinates"][0]
    point = ring[0] if isinstance(ring[0][0], float) else ring[0][0]
    assert all(round(c, 3) == c for c in point)


def test_names_polygons_and_levels(boundaries):
    chengdu = next(f for f in boundaries["features"] if f["properties"]["id"] == "510100")
    assert area_name(chengdu, "zh") == "成都市" and area_name(chengdu, "en") == chengdu["properties"]["name_en"]
    assert all(ring[0] == ring[-1] for polygon in polygons(chengdu["geometry"]) for ring in polygon)
    assert sum(f["properties"]["level"] in AREA_LEVELS for f in boundaries["features"]) == 59


def test_a_file_that_is_not_a_feature_collection_is_refused(tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a GeoJSON FeatureCollection"):
        load_boundaries(path)


def test_the_bundled_boundaries_are_the_file_read_once(boundaries):
    assert bundled_boundaries() is bundled_boundaries()
    assert bundled_boundaries() == boundaries
