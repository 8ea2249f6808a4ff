"""Tests for components/figures/site_map.py, the offline boundaries and the draft site list."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from components import paths
from components.figures.site_map import (
    ASPECT,
    KIND_STYLE,
    UI_KEYS,
    hierarchy_figure,
    hierarchy_frame,
    load_boundaries,
    prefecture_of,
    site_counts_by_area,
    site_map_figure,
)
from components.plan.model import Connection, Precision, Site, SiteKind

ROOT = paths.ROOT
BOUNDARIES = ROOT / "data" / "boundaries.geojson"

KIND_LABELS = {k.value: f"L-{k.value}" for k in SiteKind}
UI = {key: f"U-{key}" for key in UI_KEYS}


@dataclass(frozen=True)
class SiteData:
    sites: list[Site]
    connections: list[Connection]
    tasks_by_site: dict[str, list[int]]


@pytest.fixture(scope="module")
def site_data(plan) -> SiteData:
    return SiteData(list(plan.sites), list(plan.connections), plan.tasks_by_site)


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(BOUNDARIES)


@pytest.fixture(scope="module")
def area_names(boundaries) -> dict[str, str]:
    return {f["properties"]["id"]: f["properties"]["name_zh"] for f in boundaries["features"]}


@pytest.fixture(scope="module")
def full_figure(site_data, boundaries):
    return site_map_figure(
        site_data.sites,
        boundaries,
        kinds_shown=list(SiteKind),
        labels=KIND_LABELS,
        lang="zh",
        tasks_by_site=site_data.tasks_by_site,
        connections=site_data.connections,
        choropleth_counts=None,
        ui=UI,
    )


def site_traces(fig):
    return [t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "sites"]


def placed(sites):
    return [s for s in sites if s.lon is not None and s.lat is not None]


def luminance(colour: str) -> float:
    """Relative brightness of '#rrggbb' or 'rgb(r, g, b)'."""
    if colour.startswith("#"):
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (float(v) for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --------------------------------------------------------------------------- boundaries


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


# --------------------------------------------------------------------------- the draft data


def test_sites_ids_parents_and_precision(site_data):
    ids = [s.id for s in site_data.sites]
    assert len(ids) == len(set(ids))
    by_id = {s.id: s for s in site_data.sites}
    for site in site_data.sites:
        assert site.parent is None or site.parent in by_id, site.id
        assert (site.lon is None) == (site.lat is None), site.id
        assert (site.lon is None) == (site.precision is Precision.none), site.id
        seen = {site.id}
        current = site.parent
        while current is not None:
            assert current not in seen, f"cycle through {site.id}"
            seen.add(current)
            current = by_id[current].parent


def test_connections_and_tasks_refer_to_known_sites(site_data):
    by_id = {s.id: s for s in site_data.sites}
    for connection in site_data.connections:
        for site_id in connection.sites:
            assert site_id in by_id and by_id[site_id].lon is not None, (connection.id, site_id)
    assert set(site_data.tasks_by_site) == set(by_id)
    assert site_data.tasks_by_site["xinglong_lake_core"] == [1]


def test_each_placed_site_lies_in_its_stated_city(site_data, boundaries, area_names):
    for site in placed(site_data.sites):
        area = prefecture_of(site.lon, site.lat, boundaries)
        assert area is not None, site.id
        if site.province.value == "chongqing":
            assert area.startswith("50"), (site.id, area_names[area])
        else:
            assert site.city is not None and site.city.zh.startswith(area_names[area]), (site.id, area_names[area])


# --------------------------------------------------------------------------- point in polygon


def test_prefecture_of_finds_mianyang_garze_and_chongqing(site_data, boundaries, area_names):
    by_id = {s.id: s for s in site_data.sites}
    tunnel = by_id["low_speed_wind_tunnel"]
    assert area_names[prefecture_of(tunnel.lon, tunnel.lat, boundaries)] == "绵阳市"
    lhaaso = by_id["lhaaso"]
    assert area_names[prefecture_of(lhaaso.lon, lhaaso.lat, boundaries)] == "甘孜藏族自治州"
    assert area_names[prefecture_of(106.578, 29.557, boundaries)] == "渝中区"
    assert prefecture_of(116.40, 39.90, boundaries) is None  # Beijing


def test_prefecture_of_respects_holes():
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": "a", "level": "prefecture", "name_zh": "A"},
             "geometry": {"type": "Polygon", "coordinates": [square, hole]}},
            {"type": "Feature", "properties": {"id": "b", "level": "prefecture", "name_zh": "B"},
             "geometry": {"type": "MultiPolygon", "coordinates": [[hole]]}},
        ],
    }
    assert prefecture_of(3.0, 3.0, boundaries) == "a"
    assert prefecture_of(1.5, 1.5, boundaries) == "b"
    assert prefecture_of(5.0, 1.5, boundaries) is None


# --------------------------------------------------------------------------- site map


def test_every_placed_site_appears_with_its_kind(site_data, full_figure):
    drawn: dict[str, str] = {}
    for trace in site_traces(full_figure):
        for site_id, _hover in trace.customdata:
            assert site_id not in drawn, f"{site_id} drawn twice"
            drawn[site_id] = trace.meta["kind"]
    expected = {s.id: s.kind.value for s in placed(site_data.sites)}
    assert drawn == expected


def test_one_legend_entry_per_kind_with_distinct_symbol_and_colour(full_figure):
    traces = site_traces(full_figure)
    kinds = [t.meta["kind"] for t in traces]
    assert len(kinds) == len(set(kinds))
    assert [t.name for t in traces] == [KIND_LABELS[k] for k in kinds]
    assert len({t.marker.symbol for t in traces}) == len(traces)
    assert len({t.marker.color for t in traces}) == len(traces)
    assert len({v[0] for v in KIND_STYLE.values()}) == len(KIND_STYLE) == len(SiteKind)
    assert len({v[1] for v in KIND_STYLE.values()}) == len(SiteKind)


def test_kinds_shown_filters_traces(site_data, boundaries):
    fig = site_map_figure(
        site_data.sites, boundaries, kinds_shown=["innovative_city"], labels=KIND_LABELS, lang="en"
    )
    traces = site_traces(fig)
    assert [t.meta["kind"] for t in traces] == ["innovative_city"]
    assert len(traces[0].customdata) == 8
    assert "Mianyang" in traces[0].text


def test_hover_gives_name_kind_parent_city_precision_tasks(site_data, full_figure):
    hover = {
        site_id: text for trace in site_traces(full_figure) for site_id, text in trace.customdata
    }
    tunnel = hover["low_speed_wind_tunnel"]
    for part in ("大型低速风洞", "L-major_facility", "中国(绵阳)科技城", "绵阳市", "U-precision.city", "U-tasks: 7"):
        assert part in tunnel
    assert "U-tasks: 4" in hover["city_deyang"]
    assert "U-precision.site" in hover["lhaaso"]


def test_sites_with_the_same_point_are_spread_apart(site_data, full_figure):
    positions = {}
    for trace in site_traces(full_figure):
        for (site_id, _), x, y in zip(trace.customdata, trace.x, trace.y):
            positions[site_id] = (x, y)
    same = [s for s in placed(site_data.sites) if (s.lon, s.lat) == (104.066, 30.657)]
    assert len(same) >= 2
    assert len({positions[s.id] for s in same}) == len(same)
    for s in same:
        assert abs(positions[s.id][0] - s.lon) < 0.3 and abs(positions[s.id][1] - s.lat) < 0.3


def test_connections_are_lines_through_their_sites(site_data, full_figure):
    lines = {t.meta["id"]: t for t in full_figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "connection"}
    assert set(lines) == {c.id for c in site_data.connections}
    for connection in site_data.connections:
        trace = lines[connection.id]
        assert trace.mode == "lines" and len(trace.x) == len(connection.sites)
        assert trace.name == connection.name.zh


def test_no_geo_or_tile_subplot_and_scaled_axes(full_figure):
    layout = full_figure.to_plotly_json()["layout"]
    assert not [k for k in layout if k.startswith(("geo", "mapbox", "map"))]
    assert {t.type for t in full_figure.data} == {"scatter"}
    assert full_figure.layout.yaxis.scaleanchor == "x"
    assert full_figure.layout.yaxis.scaleratio == pytest.approx(ASPECT, abs=0.05)
    assert full_figure.layout.xaxis.visible is False and full_figure.layout.yaxis.visible is False
    assert "topojson" not in json.dumps(layout)


def test_show_text_off_leaves_no_labels(site_data, boundaries):
    fig = site_map_figure(site_data.sites, boundaries, labels=KIND_LABELS, show_text=False)
    for trace in site_traces(fig):
        assert trace.mode == "markers"
        assert all(text == "" for text in trace.text)


# --------------------------------------------------------------------------- choropleth


def test_site_counts_by_area_match_the_cities(site_data, boundaries, area_names):
    counts = site_counts_by_area(site_data.sites, boundaries)
    by_name = {area_names[k]: v for k, v in counts.items()}
    assert len(counts) == 59
    in_city = lambda name: sum(1 for s in placed(site_data.sites) if s.city and s.city.zh == name)
    assert by_name["成都市"] == in_city("成都市") > 10
    assert by_name["绵阳市"] == in_city("绵阳市") == 3
    assert by_name["甘孜藏族自治州"] == 1
    assert sum(counts.values()) == len(placed(site_data.sites))
    only_cities = site_counts_by_area(site_data.sites, boundaries, kinds=["innovative_city"])
    assert sum(only_cities.values()) == 8 and only_cities["510100"] == 1


def test_choropleth_colours_areas_by_count_with_colourbar(site_data, boundaries):
    counts = site_counts_by_area(site_data.sites, boundaries)
    fig = site_map_figure(
        site_data.sites, boundaries, kinds_shown=[], labels=KIND_LABELS, choropleth_counts=counts, ui=UI
    )
    areas = {t.meta["id"]: t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "area"}
    assert len(areas) == 59
    top = max(counts.values())
    # A higher count is strictly darker, whatever the province; equal counts share a colour.
    shade = {area_id: luminance(trace.fillcolor) for area_id, trace in areas.items()}
    for a in counts:
        for b in counts:
            if counts[a] < counts[b]:
                assert shade[a] > shade[b], (a, b)
            elif counts[a] == counts[b]:
                assert shade[a] == pytest.approx(shade[b])
    assert areas["510100"].name.endswith(f": {counts['510100']}")
    bars = [t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "colourbar"]
    assert len(bars) == 1 and bars[0].marker.showscale and bars[0].marker.cmax == top
    assert bars[0].marker.colorbar.title.text == "U-count"
    assert site_traces(fig) == []


def test_plain_map_has_no_colourbar(full_figure):
    assert not [t for t in full_figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "colourbar"]
    fills = {t.fillcolor for t in full_figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "area"}
    assert len(fills) == 2  # one faint fill per province


# --------------------------------------------------------------------------- hierarchy


def test_hierarchy_has_no_orphans(site_data):
    frame = hierarchy_frame(site_data.sites, lang="zh", kind_labels=KIND_LABELS)
    ids = set(frame["id"])
    assert len(ids) == len(frame)
    assert set(frame["parent"]) - {""} <= ids
    tops = set(frame.loc[frame["parent"] == "", "id"])
    assert {"west_science_city", "chengyu_science_centre"} <= tops
    assert all(t in {"west_science_city", "chengyu_science_centre"} or t.startswith("kind:") for t in tops)


def test_science_city_tree_is_rooted_at_west_science_city(site_data):
    frame = hierarchy_frame(site_data.sites, lang="zh", root_id="west_science_city")
    roots = frame.loc[frame["parent"] == ""]
    assert roots["id"].tolist() == ["west_science_city"]
    assert roots["label"].tolist() == ["西部科学城"]
    assert set(frame["parent"]) - {""} <= set(frame["id"])
    science_cities = {s.id for s in site_data.sites if s.kind is SiteKind.science_city}
    assert science_cities <= set(frame["id"])
    parent = dict(zip(frame["id"], frame["parent"]))
    for part in ("chengdu_science_city", "new_economy_zone", "life_science_zone", "future_tech_city", "next_gen_it_base"):
        assert parent[part] == "west_chengdu_science_city"


def test_hierarchy_rejects_missing_parent_and_cycle():
    def site(site_id: str, parent: str | None) -> Site:
        return Site(id=site_id, name={"zh": site_id, "en": site_id}, kind="zone", province="sichuan",
                    parent=parent, precision="none", source="plan_text")

    with pytest.raises(ValueError, match="unknown parent"):
        hierarchy_frame([site("a", "nowhere")])
    with pytest.raises(ValueError, match="cycle"):
        hierarchy_frame([site("a", "b"), site("b", "a")])


def test_hierarchy_figure_is_a_sunburst(site_data):
    fig = hierarchy_figure(site_data.sites, lang="en", kind_labels=KIND_LABELS)
    assert [t.type for t in fig.data] == ["sunburst"]
    assert "Western China Science City" in fig.data[0].labels
