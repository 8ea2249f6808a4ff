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

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from components.analysis.sites import filter_sites, kind_labels, site_counts_by_area, task_counts_by_area
from components.figures.style import FONT_FAMILY, count_ticks, label_width_px, plot_text, wrap
from components.i18n import t
from components.plan.boundaries import AREA_LEVELS, area_name, bundled_boundaries, polygons
from components.plan.model import Connection, Plan, Province, Site, SiteKind

ASPECT = 1.15  # pixels per degree of latitude / per degree of longitude, about 1/cos(30°)

UI_KEYS: tuple[str, ...] = (
    "kind",
    "parent",
    "city",
    "precision",
    "status",
    "tasks",
    "source",
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
SPREAD = 0.01  # radius of the ring that sites sharing one point are set on, as a fraction of the view's width
LABEL_HALO = "0 0 2px white, 0 0 2px white, 0 0 1px white"  # CSS text-shadow: labels stay legible over lines and fills
HOVER_WIDTH = 48  # columns a source title is wrapped at in a hover box


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    return 0.5 * sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1))


def _ring_path(geometry: Mapping) -> tuple[list[float | None], list[float | None]]:
    """All rings as one path with None gaps; exteriors counter-clockwise, holes clockwise.

    Plotly fills a `toself` trace with the nonzero rule, so the opposite winding is what
    keeps holes (enclaves of a neighbour) unfilled.
    """
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in polygons(geometry):
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
        for polygon in polygons(feature["geometry"]):
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


def _word(ui: Mapping[str, str] | None, key: str) -> str:
    return (ui or {}).get(key, key)


def _display_positions(sites: Sequence[Site], spread: float) -> dict[str, tuple[float, float]]:
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
    inside = [s for s in sites if lon0 <= positions[s.id][0] <= lon1 and lat0 <= positions[s.id][1] <= lat1]
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
            if other.id != site.id and math.hypot(positions[other.id][0] * scale - x, positions[other.id][1] * ASPECT * scale - y) < 50
        )

    for site in sorted(inside, key=lambda s: (rank.get(s.kind, len(rank)), -crowding(s), s.id)):
        x, y = positions[site.id]
        px, py = x * scale, y * ASPECT * scale
        w, h = label_width_px(texts[site.id], font_px), font_px * 1.4
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
            if (
                all(clear(box, b) for b in boxes)
                and all(clear(box, m) for other, m in markers.items() if other != site.id)
                and all(clear(box, b) for b in line_boxes)
            ):
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
    source: str | None = None,
) -> str:
    esc = plot_text
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
    rows.append(f"{esc(_word(ui, 'tasks'))}: {', '.join(str(number) for number in sorted(set(tasks))) or '—'}")
    if source:
        rows.append(f"{esc(_word(ui, 'source'))}: {wrap(source, HOVER_WIDTH)}")
    return "<br>".join(rows)


def site_map_figure(
    sites: Sequence[Site],
    boundaries: Mapping,
    *,
    labels: Mapping[str, str] | None = None,
    lang: str = "zh",
    tasks_by_site: Mapping[str, Sequence[int]] | None = None,
    connections: Sequence[Connection] = (),
    choropleth_counts: Mapping[str, int] | None = None,
    ui: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    label_width_px: float = 900.0,
    bounds: tuple[float, float, float, float] | None = None,
    colorscale: str = "Blues",
    height: int = 640,
) -> go.Figure:
    """The site map: boundaries, connections, then one marker trace per kind of the sites given.

    Only sites with coordinates are drawn (callers filter by kind and province first). In
    choropleth mode (`choropleth_counts` given, keyed by prefecture/district feature id) areas
    are filled by count with a colour bar. `bounds` = (lon_min, lon_max, lat_min, lat_max)
    zooms the view; the default shows both provinces. Sites sharing exact coordinates (e.g.
    several "city centre" points) are spread on a small ring (`SPREAD` × view width). A text
    label is left off where it would overlap another marker, a corridor or the label of a
    higher-ranked kind (`LABEL_PRIORITY`), judged for a figure about `label_width_px` wide;
    the marker and its hover text stay. `sources` maps a site id to the document that places it,
    named in its hover text.
    """
    labels = labels or {}
    tasks_by_site = tasks_by_site or {}
    by_id = {s.id: s for s in sites}
    lon0, lon1, lat0, lat1 = bounds or boundary_bounds(boundaries)

    fill_colours: dict[str, str] | None = None
    hover_texts: dict[str, str] | None = None
    colourbar_trace: go.Scatter | None = None
    if choropleth_counts is not None:
        area_ids = [str(f["properties"]["id"]) for f in boundaries["features"] if f["properties"]["level"] in AREA_LEVELS]
        top = max([int(choropleth_counts.get(a, 0)) for a in area_ids] + [1])
        fill_colours = {a: sample_colorscale(colorscale, [int(choropleth_counts.get(a, 0)) / top])[0] for a in area_ids}
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

    traces: list[go.Scatter] = boundary_traces(boundaries, lang=lang, fill_colours=fill_colours, hover_texts=hover_texts)
    if colourbar_trace is not None:
        traces.append(colourbar_trace)

    drawn = [s for s in sites if s.lon is not None and s.lat is not None]
    positions = _display_positions(drawn, SPREAD * (lon1 - lon0))
    label_at = _declutter(
        drawn,
        positions,
        {s.id: s.name.get(lang) for s in drawn},
        (lon0, lon1, lat0, lat1),
        width_px=label_width_px,
        lines=[[positions[i] for i in c.sites if i in positions] for c in connections],
    )

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
                name=plot_text(connection.name.get(lang)),  # legend text is Plotly pseudo-HTML
                hovertemplate=plot_text(connection.name.get(lang)) + "<extra></extra>",
                legendgroup="connections",
                meta={"role": "connection", "id": connection.id},
            )
        )

    for kind in SiteKind:
        members = [s for s in drawn if s.kind is kind]
        if not members:
            continue
        symbol, colour = KIND_STYLE[kind]
        kind_label = labels.get(kind.value, kind.value)
        traces.append(
            go.Scatter(
                x=[positions[s.id][0] for s in members],
                y=[positions[s.id][1] for s in members],
                mode="markers+text",
                name=kind_label,
                legendgroup=f"kind:{kind.value}",
                marker={
                    "symbol": symbol,
                    "color": colour,
                    "size": 13 if kind in (SiteKind.science_city, SiteKind.science_centre) else 10,
                    "line": {"color": "white", "width": 1},
                },
                text=[plot_text(s.name.get(lang)) if s.id in label_at else "" for s in members],
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
                            source=(sources or {}).get(s.id),
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
        font={"family": FONT_FAMILY},
        hovermode="closest",
        dragmode="pan",
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top"},
    )
    fig.update_xaxes(visible=False, range=[lon0, lon1], constrain="domain")
    fig.update_yaxes(visible=False, range=[lat0, lat1], scaleanchor="x", scaleratio=ASPECT, constrain="domain")
    return fig


# Map views: None = both provinces whole; "core" = the Chengdu–Chongqing belt where most sites lie.
VIEW_BOUNDS: dict[str, tuple[float, float, float, float] | None] = {
    "all": None,
    "core": (103.0, 107.9, 28.4, 32.0),
}
MODES: tuple[str, ...] = ("plain", "sites", "tasks")
# Choropleth: white to a middle blue only, so that dark labels and markers stay readable on the busiest area.
CHOROPLETH_SCALE: list[list] = [[0.0, "#f7fbff"], [0.5, "#c6dbef"], [1.0, "#6baed6"]]


def map_ui(lang: str, *, mode: str = "plain") -> dict[str, str]:
    """The hover and colour-bar words `site_map_figure` expects; the colour bar names what is counted."""
    ui = {key: t(f"layout.ui.{key}", lang) for key in UI_KEYS}
    if mode in ("sites", "tasks"):
        ui["count"] = t(f"layout.mode.{mode}.count", lang)
    return ui


def site_sources(plan: Plan) -> dict[str, str]:
    """Site id → the title of the document that names it and, for a placed site, says where it is."""
    return {site.id: plan.source_by_id[site.source].title for site in plan.sites if site.source in plan.source_by_id}


def layout_map(plan: Plan, lang: str, *, kinds: tuple[SiteKind, ...], provinces: tuple[Province, ...], mode: str, view: str) -> go.Figure:
    """The layout page's map from the page's own choices only, so that it can be cached on them (`ui/cache`)."""
    shown = filter_sites(plan.sites, kinds=kinds, provinces=provinces)
    boundaries = bundled_boundaries()
    counts = None
    if mode == "sites":
        counts = site_counts_by_area(shown, boundaries)
    elif mode == "tasks":
        counts = task_counts_by_area(shown, plan.tasks_by_site, boundaries)
    return site_map_figure(
        shown,
        boundaries,
        labels=kind_labels(lang),
        lang=lang,
        tasks_by_site=plan.tasks_by_site,
        connections=plan.connections,
        choropleth_counts=counts,
        ui=map_ui(lang, mode=mode),
        sources=site_sources(plan),
        bounds=VIEW_BOUNDS[view],
        label_width_px=520 if counts is None else 440,
        height=540,
        colorscale=CHOROPLETH_SCALE,
    )


# The map's labels are decluttered for 10 px text at this width; slides draw them at 20 px
# on a figure about 1100 px wide, which is the same crowding as 10 px text at 550 px.
SLIDE_LABEL_WIDTH = 550


def slide_site_map(plan: Plan, lang: str) -> go.Figure:
    """Every placed site on both provinces, titled, for a square slide."""
    fig = site_map_figure(
        plan.sites,
        bundled_boundaries(),
        labels=kind_labels(lang),
        lang=lang,
        tasks_by_site=plan.tasks_by_site,
        connections=plan.connections,
        ui=map_ui(lang),
        sources=site_sources(plan),
        label_width_px=SLIDE_LABEL_WIDTH,
        height=800,
    )
    fig.update_layout(title={"text": t("registry.site_map", lang), "x": 0.01, "xanchor": "left"}, margin={"t": 60})
    return fig
