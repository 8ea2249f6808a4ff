"""Pure figure builders for the site map and the 一城多园 hierarchy.

Everything here takes data in and returns a Plotly figure or a frame: no Streamlit,
no session state, no file access beyond `load_boundaries`. The map is drawn with
plain `go.Scatter` traces in lon/lat on hidden Cartesian axes (`yaxis.scaleanchor`
= "x", ratio ≈ 1/cos 30°), because every Plotly geo or tile subplot fetches base
maps from the internet and renders blank offline (see the stack notes).

User-facing words come in through parameters only:

* `labels`: kind value → legend/hover name (e.g. ``{"major_facility": "重大科技基础设施"}``);
* `ui`: the words of the hover text and colour bar, keys listed in `UI_KEYS`
  (``"precision.city"`` names the precision value ``city``, etc.). A missing key
  shows as the key itself, so a gap in the translation table is visible, not silent.

Boundaries are the GeoJSON written by ``scripts/build_boundaries.py``: features
with properties ``id``, ``name_zh``, ``name_en``, ``level`` (province | prefecture |
district) and ``province``.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from components.chart_style import count_ticks
from components.model import Connection, Site, SiteKind

ASPECT = 1.15  # pixels per degree of latitude / per degree of longitude, about 1/cos(30°)
AREA_LEVELS = ("prefecture", "district")

UI_KEYS: tuple[str, ...] = (
    "kind",
    "parent",
    "city",
    "precision",
    "status",
    "tasks",
    "count",
    "precision.site",
    "precision.district",
    "precision.city",
    "precision.none",
)

# One marker symbol and one colour per kind (colours: Plotly's colour-blind-safe "Safe" set).
KIND_STYLE: dict[SiteKind, tuple[str, str]] = {
    SiteKind.science_city: ("star", "#88CCEE"),
    SiteKind.science_centre: ("hexagram", "#CC6677"),
    SiteKind.core_area: ("diamond", "#DDCC77"),
    SiteKind.zone: ("square", "#117733"),
    SiteKind.national_lab: ("triangle-up", "#332288"),
    SiteKind.lab: ("triangle-down", "#AA4499"),
    SiteKind.innovation_centre: ("pentagon", "#44AA99"),
    SiteKind.major_facility: ("x", "#999933"),
    SiteKind.platform: ("hexagon", "#882255"),
    SiteKind.innovative_city: ("circle", "#661100"),
}

AREA_FILL = {"sichuan": "#f3f0ea", "chongqing": "#e9eef3"}  # faint, opaque
AREA_LINE = "#b8b8b8"
PROVINCE_LINE = "#555555"
CONNECTION_COLOUR = "#444444"
LABEL_HALO = "0 0 2px white, 0 0 2px white, 0 0 1px white"  # CSS text-shadow: labels stay legible over lines and fills
DEFAULT_FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


# --------------------------------------------------------------------------- boundaries


def load_boundaries(path: str | Path) -> dict:
    """Read the boundaries GeoJSON (a FeatureCollection)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{path}: not a GeoJSON FeatureCollection")
    return data


BUNDLED_BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "boundaries.geojson"


@cache
def bundled_boundaries() -> dict:
    """The shipped boundaries, read once per process and shared: every function here only reads them."""
    return load_boundaries(BUNDLED_BOUNDARIES)


def area_name(feature: Mapping, lang: str) -> str:
    props = feature["properties"]
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props["name_zh"])


def _polygons(geometry: Mapping) -> list[list[list[Sequence[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    return 0.5 * sum(
        ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)
    )


def _ring_path(geometry: Mapping) -> tuple[list[float | None], list[float | None]]:
    """All rings as one path with None gaps; exteriors counter-clockwise, holes clockwise.

    Plotly fills a `toself` trace with the nonzero rule, so the opposite winding is what
    keeps holes (enclaves of a neighbour) unfilled.
    """
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in _polygons(geometry):
        for index, ring in enumerate(polygon):
            want_ccw = index == 0
            points = list(ring) if (_signed_area(ring) > 0) == want_ccw else list(reversed(ring))
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(float(p[0]) for p in points)
            ys.extend(float(p[1]) for p in points)
    return xs, ys


def boundary_bounds(boundaries: Mapping, margin: float = 0.25) -> tuple[float, float, float, float]:
    """(lon_min, lon_max, lat_min, lat_max) of the province outlines, with a margin in degrees."""
    lons: list[float] = []
    lats: list[float] = []
    features = [f for f in boundaries["features"] if f["properties"]["level"] == "province"]
    for feature in features or boundaries["features"]:
        for polygon in _polygons(feature["geometry"]):
            for x, y, *_ in polygon[0]:
                lons.append(x)
                lats.append(y)
    return min(lons) - margin, max(lons) + margin, min(lats) - margin, max(lats) + margin


def boundary_traces(
    boundaries: Mapping,
    *,
    lang: str = "zh",
    fill_colours: Mapping[str, str] | None = None,
    hover_texts: Mapping[str, str] | None = None,
    area_line_width: float = 0.6,
    province_line_width: float = 1.4,
) -> list[go.Scatter]:
    """Prefectures/districts as filled rings, then the two province outlines on top.

    `fill_colours` maps a feature id to a colour (choropleth); other areas get the faint
    default of their province. `hover_texts` maps a feature id to its hover text
    (default: the area's name). Fills are opaque so overlapping edges do not darken.
    """
    traces: list[go.Scatter] = []
    features = boundaries["features"]
    for feature in features:
        props = feature["properties"]
        if props["level"] not in AREA_LEVELS:
            continue
        xs, ys = _ring_path(feature["geometry"])
        fid = str(props["id"])
        colour = (fill_colours or {}).get(fid) or AREA_FILL.get(props.get("province", ""), "#f2f2f2")
        text = (hover_texts or {}).get(fid, area_name(feature, lang))
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=colour,
                line={"color": AREA_LINE, "width": area_line_width},
                name=text,
                hoveron="fills",
                hoverinfo="name",
                hoverlabel={"namelength": -1},
                showlegend=False,
                meta={"role": "area", "id": fid, "level": props["level"]},
            )
        )
    for feature in features:
        props = feature["properties"]
        if props["level"] != "province":
            continue
        xs, ys = _ring_path(feature["geometry"])
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": PROVINCE_LINE, "width": province_line_width},
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "province", "id": str(props["id"])},
            )
        )
    return traces


# --------------------------------------------------------------------------- point in polygon


@dataclass(frozen=True)
class _Area:
    id: str
    bbox: tuple[float, float, float, float]
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]


def _area_index(boundaries: Mapping, levels: Collection[str] = AREA_LEVELS) -> list[_Area]:
    index = []
    for feature in boundaries["features"]:
        props = feature["properties"]
        if props["level"] not in levels:
            continue
        polygons = tuple(
            tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon)
            for polygon in _polygons(feature["geometry"])
        )
        xs = [x for polygon in polygons for x, _ in polygon[0]]
        ys = [y for polygon in polygons for _, y in polygon[0]]
        index.append(_Area(str(props["id"]), (min(xs), max(xs), min(ys), max(ys)), polygons))
    return index


def _in_ring(x: float, y: float, ring: Sequence[tuple[float, float]]) -> bool:
    """Ray casting (crossing number) towards +x."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _locate(lon: float, lat: float, index: Iterable[_Area]) -> str | None:
    for area in index:
        x0, x1, y0, y1 = area.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        for polygon in area.polygons:
            if _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
                return area.id
    return None


def prefecture_of(lon: float, lat: float, boundaries: Mapping) -> str | None:
    """Id of the Sichuan prefecture or Chongqing district containing the point, or None."""
    return _locate(lon, lat, _area_index(boundaries))


def site_counts_by_area(
    sites: Iterable[Site], boundaries: Mapping, *, kinds: Collection[SiteKind | str] | None = None
) -> dict[str, int]:
    """Number of sites with coordinates in each prefecture/district, by feature id.

    Every area appears (zero included); sites without coordinates are not counted.
    """
    index = _area_index(boundaries)
    wanted = None if kinds is None else {SiteKind(k) for k in kinds}
    counts = {area.id: 0 for area in index}
    for site in sites:
        if site.lon is None or site.lat is None or (wanted is not None and site.kind not in wanted):
            continue
        area_id = _locate(site.lon, site.lat, index)
        if area_id is not None:
            counts[area_id] += 1
    return counts


def site_areas(sites: Iterable[Site], boundaries: Mapping) -> dict[str, str | None]:
    """Site id → id of the prefecture/district its coordinates fall in (None outside every
    area); sites without coordinates are left out. Builds the area index once."""
    index = _area_index(boundaries)
    return {
        site.id: _locate(site.lon, site.lat, index)
        for site in sites
        if site.lon is not None and site.lat is not None
    }


# --------------------------------------------------------------------------- site map


def _word(ui: Mapping[str, str] | None, key: str) -> str:
    return (ui or {}).get(key, key)


def _display_positions(
    sites: Sequence[Site], spread: float
) -> dict[str, tuple[float, float]]:
    """Where each placed site is drawn: sites sharing exact coordinates are set on a small ring.

    Only display: hover text still gives the coordinate precision, and the data are unchanged.
    """
    groups: dict[tuple[float, float], list[str]] = defaultdict(list)
    for site in sites:
        if site.lon is not None and site.lat is not None:
            groups[(site.lon, site.lat)].append(site.id)
    positions: dict[str, tuple[float, float]] = {}
    for (lon, lat), ids in groups.items():
        if len(ids) == 1 or spread <= 0:
            for site_id in ids:
                positions[site_id] = (lon, lat)
            continue
        for i, site_id in enumerate(sorted(ids)):
            angle = math.pi / 2 + 2 * math.pi * i / len(ids)
            positions[site_id] = (lon + spread * math.cos(angle), lat + spread * math.sin(angle) / ASPECT)
    return positions


# Which kinds keep their text label when labels would collide (first wins).
LABEL_PRIORITY: tuple[SiteKind, ...] = (
    SiteKind.innovative_city,
    SiteKind.science_city,
    SiteKind.science_centre,
    SiteKind.core_area,
    SiteKind.national_lab,
    SiteKind.lab,
    SiteKind.major_facility,
    SiteKind.innovation_centre,
    SiteKind.zone,
    SiteKind.platform,
)


def _label_width_px(text: str, font_px: float) -> float:
    """Rough rendered width: CJK and full-width characters one em, others about half."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80 or ch in "—–")
    return font_px * (wide + 0.56 * (len(text) - wide)) + 4


def _line_boxes(
    lines: Sequence[Sequence[tuple[float, float]]], scale: float, step_px: float = 3.0, half_px: float = 3.0
) -> list[tuple[float, float, float, float]]:
    """Small pixel boxes every `step_px` along each polyline, so that labels can keep off it."""
    boxes = []
    for line in lines:
        for (x0, y0), (x1, y1) in zip(line, line[1:]):
            ax, ay, bx, by = x0 * scale, y0 * ASPECT * scale, x1 * scale, y1 * ASPECT * scale
            steps = max(1, int(math.hypot(bx - ax, by - ay) / step_px))
            for i in range(steps + 1):
                px, py = ax + (bx - ax) * i / steps, ay + (by - ay) * i / steps
                boxes.append((px - half_px, px + half_px, py - half_px, py + half_px))
    return boxes


def _declutter(
    sites: Sequence[Site],
    positions: Mapping[str, tuple[float, float]],
    texts: Mapping[str, str],
    bounds: tuple[float, float, float, float],
    *,
    width_px: float = 1000.0,
    font_px: float = 10.0,
    lines: Sequence[Sequence[tuple[float, float]]] = (),
) -> dict[str, str]:
    """Site id → Plotly text position for the labels kept, so that no label box overlaps
    another label, another marker or one of the `lines` (polylines in lon/lat, e.g. corridors).

    Greedy, by kind priority then id, trying above, below, right and left of the
    marker; boxes are estimated for a figure `width_px` wide. Sites outside `bounds`
    are ignored (and get no label).
    """
    lon0, lon1, lat0, lat1 = bounds
    scale = width_px / (lon1 - lon0)
    rank = {kind: i for i, kind in enumerate(LABEL_PRIORITY)}
    inside = [
        s for s in sites if lon0 <= positions[s.id][0] <= lon1 and lat0 <= positions[s.id][1] <= lat1
    ]
    marker_px = 5.0
    markers = {
        s.id: (
            positions[s.id][0] * scale - marker_px,
            positions[s.id][0] * scale + marker_px,
            positions[s.id][1] * ASPECT * scale - marker_px,
            positions[s.id][1] * ASPECT * scale + marker_px,
        )
        for s in inside
    }
    line_boxes = _line_boxes(lines, scale)

    def clear(box: tuple[float, float, float, float], other: tuple[float, float, float, float]) -> bool:
        return box[1] <= other[0] or box[0] >= other[1] or box[3] <= other[2] or box[2] >= other[3]

    boxes: list[tuple[float, float, float, float]] = []
    keep: dict[str, str] = {}
    def crowding(site: Site) -> int:
        """Other markers within 50 px: among equals, the most hemmed-in site picks its spot first."""
        x, y = positions[site.id][0] * scale, positions[site.id][1] * ASPECT * scale
        return sum(
            1
            for other in inside
            if other.id != site.id
            and math.hypot(positions[other.id][0] * scale - x, positions[other.id][1] * ASPECT * scale - y) < 50
        )

    for site in sorted(inside, key=lambda s: (rank.get(s.kind, len(rank)), -crowding(s), s.id)):
        x, y = positions[site.id]
        px, py = x * scale, y * ASPECT * scale
        w, h = _label_width_px(texts[site.id], font_px), font_px * 1.4
        gap = marker_px + 2
        candidates = {
            "top center": (px - w / 2, px + w / 2, py + gap, py + gap + h),
            "bottom center": (px - w / 2, px + w / 2, py - gap - h, py - gap),
            "middle right": (px + gap, px + gap + w, py - h / 2, py + h / 2),
            "middle left": (px - gap - w, px - gap, py - h / 2, py + h / 2),
            # diagonals last: further from the marker, so only where the four above are taken
            "top right": (px + gap * 0.6, px + gap * 0.6 + w, py + gap * 0.6, py + gap * 0.6 + h),
            "bottom right": (px + gap * 0.6, px + gap * 0.6 + w, py - gap * 0.6 - h, py - gap * 0.6),
            "top left": (px - gap * 0.6 - w, px - gap * 0.6, py + gap * 0.6, py + gap * 0.6 + h),
            "bottom left": (px - gap * 0.6 - w, px - gap * 0.6, py - gap * 0.6 - h, py - gap * 0.6),
        }
        for where, box in candidates.items():
            if box[0] < lon0 * scale or box[1] > lon1 * scale:
                continue  # would run off the side of the view
            if all(clear(box, b) for b in boxes) and all(
                clear(box, m) for other, m in markers.items() if other != site.id
            ) and all(clear(box, b) for b in line_boxes):
                boxes.append(box)
                keep[site.id] = where
                break
    return keep


def _hover(
    site: Site,
    *,
    by_id: Mapping[str, Site],
    kind_label: str,
    lang: str,
    tasks: Sequence[int],
    ui: Mapping[str, str] | None,
) -> str:
    esc = html.escape
    parent = by_id.get(site.parent) if site.parent else None
    rows = [
        f"<b>{esc(site.name.get(lang))}</b>",
        f"{esc(_word(ui, 'kind'))}: {esc(kind_label)}",
        f"{esc(_word(ui, 'parent'))}: {esc(parent.name.get(lang)) if parent else '—'}",
        f"{esc(_word(ui, 'city'))}: {esc(site.city.get(lang)) if site.city else '—'}",
        f"{esc(_word(ui, 'precision'))}: {esc(_word(ui, 'precision.' + site.precision.value))}",
    ]
    if site.status is not None:
        rows.append(f"{esc(_word(ui, 'status'))}: {esc(site.status.get(lang))}")
    rows.append(f"{esc(_word(ui, 'tasks'))}: {', '.join(str(t) for t in sorted(set(tasks))) or '—'}")
    return "<br>".join(rows)


def site_map_figure(
    sites: Sequence[Site],
    boundaries: Mapping,
    *,
    kinds_shown: Collection[SiteKind | str] | None = None,
    labels: Mapping[str, str] | None = None,
    lang: str = "zh",
    tasks_by_site: Mapping[str, Sequence[int]] | None = None,
    connections: Sequence[Connection] = (),
    choropleth_counts: Mapping[str, int] | None = None,
    ui: Mapping[str, str] | None = None,
    show_text: bool = True,
    declutter: bool = True,
    label_width_px: float = 900.0,
    bounds: tuple[float, float, float, float] | None = None,
    spread_fraction: float = 0.01,
    colorscale: str = "Blues",
    height: int = 640,
    font_family: str = DEFAULT_FONT,
) -> go.Figure:
    """The site map: boundaries, connections, then one marker trace per kind shown.

    Only sites with coordinates are drawn. In choropleth mode (`choropleth_counts`
    given, keyed by prefecture/district feature id) areas are filled by count with a
    colour bar. `bounds` = (lon_min, lon_max, lat_min, lat_max) zooms the view; the
    default shows both provinces. Sites sharing exact coordinates (e.g. several
    "city centre" points) are spread on a ring of radius `spread_fraction` × view width.
    With `declutter`, a text label is left off where it would overlap another marker or
    the label of a higher-ranked kind (`LABEL_PRIORITY`), judged for a figure about
    `label_width_px` wide; the marker and its hover text stay.
    """
    labels = labels or {}
    tasks_by_site = tasks_by_site or {}
    shown = list(SiteKind) if kinds_shown is None else [SiteKind(k) for k in kinds_shown]
    by_id = {s.id: s for s in sites}
    lon0, lon1, lat0, lat1 = bounds or boundary_bounds(boundaries)

    fill_colours: dict[str, str] | None = None
    hover_texts: dict[str, str] | None = None
    colourbar_trace: go.Scatter | None = None
    if choropleth_counts is not None:
        area_ids = [
            str(f["properties"]["id"]) for f in boundaries["features"] if f["properties"]["level"] in AREA_LEVELS
        ]
        top = max([int(choropleth_counts.get(a, 0)) for a in area_ids] + [1])
        fill_colours = {
            a: sample_colorscale(colorscale, [int(choropleth_counts.get(a, 0)) / top])[0] for a in area_ids
        }
        hover_texts = {
            str(f["properties"]["id"]): f"{area_name(f, lang)}: {int(choropleth_counts.get(str(f['properties']['id']), 0))}"
            for f in boundaries["features"]
            if f["properties"]["level"] in AREA_LEVELS
        }
        colourbar_trace = go.Scatter(
            x=[lon0, lon0],
            y=[lat0, lat0],
            mode="markers",
            marker={
                "color": [0, top],
                "cmin": 0,
                "cmax": top,
                "colorscale": colorscale,
                "opacity": 0,
                "showscale": True,
                "colorbar": {
                    "title": {"text": _word(ui, "count")},
                    "thickness": 12,
                    "len": 0.5,
                    **count_ticks(top, max_ticks=10),
                },
            },
            hoverinfo="skip",
            showlegend=False,
            meta={"role": "colourbar"},
        )

    traces: list[go.Scatter] = boundary_traces(
        boundaries, lang=lang, fill_colours=fill_colours, hover_texts=hover_texts
    )
    if colourbar_trace is not None:
        traces.append(colourbar_trace)

    drawn = [s for s in sites if s.kind in shown and s.lon is not None and s.lat is not None]
    all_placed = [s for s in sites if s.lon is not None and s.lat is not None]
    positions = _display_positions(all_placed, spread_fraction * (lon1 - lon0))

    label_at: dict[str, str]
    if show_text and declutter:
        label_at = _declutter(
            drawn,
            positions,
            {s.id: s.name.get(lang) for s in drawn},
            (lon0, lon1, lat0, lat1),
            width_px=label_width_px,
            lines=[[positions[i] for i in c.sites if i in positions] for c in connections],
        )
    else:
        label_at = {s.id: "top center" for s in drawn} if show_text else {}

    for connection in connections:
        points = [positions[i] for i in connection.sites if i in positions]
        if len(points) < 2:
            continue
        traces.append(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                mode="lines",
                line={"color": CONNECTION_COLOUR, "width": 2.2, "dash": "dash"},
                name=html.escape(connection.name.get(lang)),  # legend text is Plotly pseudo-HTML
                hovertemplate=html.escape(connection.name.get(lang)) + "<extra></extra>",
                legendgroup="connections",
                meta={"role": "connection", "id": connection.id},
            )
        )

    for kind in SiteKind:
        if kind not in shown:
            continue
        members = [s for s in drawn if s.kind is kind]
        if not members:
            continue
        symbol, colour = KIND_STYLE[kind]
        kind_label = labels.get(kind.value, kind.value)
        traces.append(
            go.Scatter(
                x=[positions[s.id][0] for s in members],
                y=[positions[s.id][1] for s in members],
                mode="markers+text" if show_text else "markers",
                name=kind_label,
                legendgroup=f"kind:{kind.value}",
                marker={
                    "symbol": symbol,
                    "color": colour,
                    "size": 13 if kind in (SiteKind.science_city, SiteKind.science_centre) else 10,
                    "line": {"color": "white", "width": 1},
                },
                text=[html.escape(s.name.get(lang)) if s.id in label_at else "" for s in members],
                textposition=[label_at.get(s.id, "top center") for s in members],
                textfont={"size": 10, "color": "#333333", "shadow": LABEL_HALO},
                customdata=[
                    [
                        s.id,
                        _hover(
                            s,
                            by_id=by_id,
                            kind_label=kind_label,
                            lang=lang,
                            tasks=tasks_by_site.get(s.id, ()),
                            ui=ui,
                        ),
                    ]
                    for s in members
                ],
                hovertemplate="%{customdata[1]}<extra></extra>",
                meta={"role": "sites", "kind": kind.value},
            )
        )

    fig = go.Figure(traces)
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": font_family},
        hovermode="closest",
        dragmode="pan",
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top"},
    )
    fig.update_xaxes(visible=False, range=[lon0, lon1], constrain="domain")
    fig.update_yaxes(visible=False, range=[lat0, lat1], scaleanchor="x", scaleratio=ASPECT, constrain="domain")
    return fig


# --------------------------------------------------------------------------- hierarchy

GROUP_PREFIX = "kind:"


def hierarchy_frame(
    sites: Sequence[Site],
    *,
    lang: str = "zh",
    kind_labels: Mapping[str, str] | None = None,
    root_id: str | None = None,
) -> pd.DataFrame:
    """Rows `id, parent, label, kind, kind_label` for a sunburst (`parent` "" for a top node).

    With `root_id`, only that site and its descendants. Otherwise all sites; if
    `kind_labels` is given, sites with neither parent nor children are gathered under one
    synthetic node per kind (id ``kind:<kind>``) so the sunburst has a few large wedges
    instead of dozens of single ones. Raises ValueError on a missing parent or a cycle.
    """
    by_id = {s.id: s for s in sites}
    missing = sorted(s.id for s in sites if s.parent is not None and s.parent not in by_id)
    if missing:
        raise ValueError(f"sites with an unknown parent: {missing}")
    for site in sites:
        seen = {site.id}
        current = site.parent
        while current is not None:
            if current in seen:
                raise ValueError(f"site {site.id!r} is in a parent cycle")
            seen.add(current)
            current = by_id[current].parent

    children: dict[str, list[str]] = defaultdict(list)
    for site in sites:
        if site.parent is not None:
            children[site.parent].append(site.id)

    if root_id is not None:
        if root_id not in by_id:
            raise ValueError(f"unknown root {root_id!r}")
        keep: list[Site] = []
        stack = [root_id]
        while stack:
            current = stack.pop()
            keep.append(by_id[current])
            stack.extend(reversed(children[current]))
        chosen = keep
    else:
        chosen = list(sites)

    labels = kind_labels or {}
    rows: list[dict[str, str]] = []
    groups_used: list[SiteKind] = []
    for site in chosen:
        if site.id == root_id or site.parent is None:
            parent = ""
            if root_id is None and kind_labels is not None and not children[site.id]:
                parent = GROUP_PREFIX + site.kind.value
                if site.kind not in groups_used:
                    groups_used.append(site.kind)
        else:
            parent = site.parent
        rows.append(
            {
                "id": site.id,
                "parent": parent,
                "label": site.name.get(lang),
                "kind": site.kind.value,
                "kind_label": labels.get(site.kind.value, site.kind.value),
            }
        )
    group_rows = [
        {
            "id": GROUP_PREFIX + kind.value,
            "parent": "",
            "label": labels.get(kind.value, kind.value),
            "kind": kind.value,
            "kind_label": labels.get(kind.value, kind.value),
        }
        for kind in SiteKind
        if kind in groups_used
    ]
    return pd.DataFrame(group_rows + rows, columns=["id", "parent", "label", "kind", "kind_label"])


def hierarchy_figure(
    sites: Sequence[Site],
    *,
    lang: str = "zh",
    kind_labels: Mapping[str, str] | None = None,
    root_id: str | None = None,
    maxdepth: int = -1,
    height: int = 600,
    font_family: str = DEFAULT_FONT,
) -> go.Figure:
    """Sunburst of `hierarchy_frame`: each wedge coloured by its kind's map colour."""
    frame = hierarchy_frame(sites, lang=lang, kind_labels=kind_labels, root_id=root_id)
    colours = [KIND_STYLE[SiteKind(k)][1] for k in frame["kind"]]
    fig = go.Figure(
        go.Sunburst(
            ids=frame["id"].tolist(),
            parents=frame["parent"].tolist(),
            labels=frame["label"].tolist(),
            customdata=frame[["kind_label"]].to_numpy().tolist(),
            hovertemplate="<b>%{label}</b><br>%{customdata[0]}<extra></extra>",
            marker={"colors": colours, "line": {"color": "white", "width": 1}},
            insidetextorientation="radial",
            maxdepth=maxdepth,
        )
    )
    fig.update_layout(height=height, margin={"l": 5, "r": 5, "t": 5, "b": 5}, font={"family": font_family})
    return fig


# --------------------------------------------------------------------------- hierarchy as an indented tree


def tree_rows(sites: Sequence[Site]) -> list[tuple[Site, int]]:
    """(site, depth) in depth-first order: roots (no parent among `sites`) and children in input
    order. Raises ValueError if some sites cannot be reached from a root (a parent cycle)."""
    ids = {s.id for s in sites}
    children: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        if site.parent in ids:
            children[site.parent].append(site)
    rows: list[tuple[Site, int]] = []
    stack = [(s, 0) for s in reversed([s for s in sites if s.parent not in ids])]
    while stack:
        site, depth = stack.pop()
        rows.append((site, depth))
        stack.extend((child, depth + 1) for child in reversed(children[site.id]))
    if len(rows) != len(sites):
        stuck = sorted(ids - {s.id for s, _ in rows})
        raise ValueError(f"sites in a parent cycle: {stuck}")
    return rows


def _fit_label(text: str, max_px: float, font_px: float) -> str:
    """The text, or as much of it as fits in `max_px` followed by "…"."""
    if _label_width_px(text, font_px) <= max_px:
        return text
    while text and _label_width_px(text + "…", font_px) > max_px:
        text = text[:-1]
    return text.rstrip() + "…"


def hierarchy_tree_figure(
    sites: Sequence[Site],
    *,
    lang: str = "zh",
    kind_labels: Mapping[str, str] | None = None,
    selected: str | None = None,
    width_px: float = 340.0,
    indent_px: float = 22.0,
    row_px: float = 24.0,
    font_px: float = 12.0,
    font_family: str = DEFAULT_FONT,
) -> go.Figure:
    """The site hierarchy as an indented tree: one row per site, elbow lines from parent to
    child, markers in the map's symbol and colour for each kind, names to the right.

    Laid out for a figure at least `width_px` wide: a name that would run past that width is
    shortened with "…" (the hover gives it in full). `selected` is ringed and set in bold.
    """
    labels = kind_labels or {}
    rows = tree_rows(sites)
    row_of = {site.id: i for i, (site, _) in enumerate(rows)}
    depth_of = {site.id: depth for site, depth in rows}
    margin = {"l": 8, "r": 8, "t": 8, "b": 8}
    units = (width_px - margin["l"] - margin["r"]) / indent_px  # x axis: one unit = one indent

    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for site, depth in rows:
        if site.parent in row_of:
            parent_depth, parent_row = depth_of[site.parent], row_of[site.parent]
            edge_x += [parent_depth, parent_depth, depth, None]
            edge_y += [-parent_row, -row_of[site.id], -row_of[site.id], None]
    traces: list[go.Scatter] = [
        go.Scatter(
            x=edge_x, y=edge_y, mode="lines", line={"color": "#b8b8b8", "width": 1},
            hoverinfo="skip", showlegend=False, meta={"role": "tree-edges"},
        )
    ]
    if selected in row_of:
        traces.append(
            go.Scatter(
                x=[depth_of[selected]], y=[-row_of[selected]], mode="markers",
                marker={"symbol": "circle-open", "size": 22, "color": "#b22222", "line": {"width": 2.5}},
                hoverinfo="skip", showlegend=False, meta={"role": "tree-selected", "id": selected},
            )
        )
    for kind in SiteKind:
        members = [(site, depth) for site, depth in rows if site.kind is kind]
        if not members:
            continue
        symbol, colour = KIND_STYLE[kind]
        kind_label = labels.get(kind.value, kind.value)
        texts = []
        for site, depth in members:
            room = (units - depth - 0.9) * indent_px - 10
            text = html.escape(_fit_label(site.name.get(lang), room, font_px))
            texts.append(f"<b>{text}</b>" if site.id == selected else text)
        traces.append(
            go.Scatter(
                x=[depth for _, depth in members],
                y=[-row_of[site.id] for site, _ in members],
                mode="markers+text",
                name=kind_label,
                marker={"symbol": symbol, "color": colour, "size": 11, "line": {"color": "white", "width": 1}},
                text=texts,
                textposition="middle right",
                textfont={"size": font_px, "color": "#333333"},
                cliponaxis=False,
                customdata=[
                    [site.id, f"<b>{html.escape(site.name.get(lang))}</b><br>{html.escape(kind_label)}"]
                    for site, _ in members
                ],
                hovertemplate="%{customdata[1]}<extra></extra>",
                meta={"role": "tree-node", "kind": kind.value},
            )
        )
    fig = go.Figure(traces)
    fig.update_layout(
        height=int(len(rows) * row_px + 110),
        margin=margin,
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": font_family},
        hovermode="closest",
        dragmode=False,
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top"},
    )
    fig.update_xaxes(visible=False, range=[-0.6, units - 0.6], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-(len(rows) - 0.5), 0.6], fixedrange=True)
    return fig
