"""The offline site map (components/figures/site_map.py): boundaries, markers by kind, hover, corridors, choropleth."""

from __future__ import annotations

import json

import pytest

from components import paths
from components.analysis.sites import filter_sites, site_counts_by_area
from components.figures.site_map import ASPECT, KIND_STYLE, LABEL_HALO, UI_KEYS, layout_map, map_ui, site_map_figure
from components.plan.boundaries import load_boundaries
from components.plan.model import Connection, Province, SiteKind
from tests.helpers import site

KIND_LABELS = {k.value: f"L-{k.value}" for k in SiteKind}
UI = {key: f"U-{key}" for key in UI_KEYS}


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(paths.BOUNDARIES)


@pytest.fixture(scope="module")
def full_figure(site_data, boundaries):
    return site_map_figure(
        site_data.sites,
        boundaries,
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


def test_one_trace_per_kind_of_the_sites_given(site_data, boundaries):
    """The page filters by kind first (`analysis.sites.filter_sites`); the map draws exactly those sites."""
    cities = filter_sites(site_data.sites, kinds=["innovative_city"])
    fig = site_map_figure(cities, boundaries, labels=KIND_LABELS, lang="en")
    traces = site_traces(fig)
    assert [t.meta["kind"] for t in traces] == ["innovative_city"]
    assert len(traces[0].customdata) == 8
    assert "Mianyang" in traces[0].text


def test_hover_gives_name_kind_parent_city_precision_tasks(site_data, full_figure):
    hover = {site_id: text for trace in site_traces(full_figure) for site_id, text in trace.customdata}
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
    same = [s for s in placed(site_data.sites) if (s.lon, s.lat) == (103.932, 30.651)]  # the centre of 成都市
    assert len(same) == 10
    assert len({positions[s.id] for s in same}) == len(same)
    for s in same:
        assert abs(positions[s.id][0] - s.lon) < 0.3 and abs(positions[s.id][1] - s.lat) < 0.3


def test_connections_are_lines_through_their_sites(site_data, full_figure):
    lines = {t.meta["id"]: t for t in full_figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "connection"}
    assert set(lines) == {c.id for c in site_data.connections} == {"chengyu_corridor", "chengdemian_axis"}
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


def test_choropleth_colours_areas_by_count_with_colourbar(site_data, boundaries):
    counts = site_counts_by_area(site_data.sites, boundaries)
    fig = site_map_figure([], boundaries, labels=KIND_LABELS, choropleth_counts=counts, ui=UI)
    areas = {t.meta["id"]: t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "area"}
    assert len(areas) == 59
    top = max(counts.values())
    assert sorted(set(counts.values())) == [0, 1, 4, 20]  # several levels, so the comparisons below compare something
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


def test_map_words_cover_the_figure_keys_and_name_what_is_counted():
    for lang in ("zh", "en"):
        ui = map_ui(lang)
        assert set(ui) == set(UI_KEYS) and all(ui.values())
    assert map_ui("zh", mode="tasks")["count"] == "任务数"
    assert map_ui("en", mode="sites")["count"] == "Sites"


def test_the_layout_pages_map_counts_tasks_per_area_in_tasks_mode(plan):
    fig = layout_map(plan, "zh", kinds=tuple(SiteKind), provinces=(Province.sichuan, Province.chongqing), mode="tasks", view="all")
    areas = {t.meta["id"]: t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "area"}
    assert areas["510100"].name == "成都市: 10"  # tasks 1, 2, 4, 5, 6, 7, 17, 18, 20, 23
    bar = next(t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "colourbar")
    assert bar.marker.colorbar.title.text == "任务数"
    plain = layout_map(plan, "zh", kinds=(SiteKind.innovative_city,), provinces=(Province.sichuan,), mode="plain", view="core")
    assert [t.meta["kind"] for t in site_traces(plain)] == ["innovative_city"]
    assert list(plain.layout.xaxis.range) == [103.0, 107.9]


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


def test_markup_in_names_stays_text_on_the_map():
    hostile = "X<img src=x onerror=alert(1)>"
    sites = [site("a", 104.0, 30.0, kind="innovative_city"), site("b", 105.0, 30.0, kind="innovative_city", parent="a")]
    sites[0] = sites[0].model_copy(update={"name": sites[0].name.model_copy(update={"zh": hostile})})
    line = Connection(id="line", name={"zh": "A&B<b>", "en": "A&B"}, sites=["a", "b"], source="plan_text")
    empty = {"type": "FeatureCollection", "features": []}
    fig = site_map_figure(sites, empty, connections=[line], bounds=(101.0, 107.0, 29.0, 31.0))
    cities = next(t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("kind") == "innovative_city")
    assert cities.text[0] == "X&lt;img src=x onerror=alert(1)&gt;"
    assert next(t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("role") == "connection").name == "A&amp;B&lt;b&gt;"


def test_the_layout_pages_hover_names_the_source_that_places_a_site(plan):
    fig = layout_map(plan, "zh", kinds=tuple(SiteKind), provinces=(Province.sichuan, Province.chongqing), mode="plain", view="all")
    hover = {site_id: text for trace in site_traces(fig) for site_id, text in trace.customdata}
    assert set(hover) == {s.id for s in placed(plan.sites)}
    medicine = hover["precision_medicine_iic"]
    assert "坐标精度: 所在城市" in medicine
    assert "来源: 聚焦精准医学 四川首个国家级产业创新中心落地" in medicine.replace("<br>", "")
    assert all("来源: " in text for text in hover.values())
