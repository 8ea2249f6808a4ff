"""The 一城多园 hierarchy: an indented tree for the layout page and an icicle for slides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from components.analysis.sites import kind_labels
from components.figures.site_map import KIND_STYLE
from components.figures.style import FONT_FAMILY, fit_label, plot_text, wrap
from components.i18n import t
from components.plan.model import Plan, Site, SiteKind, sites_in_cycles

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
    if cyclic := sites_in_cycles(list(sites)):
        raise ValueError(f"sites in a parent cycle: {cyclic}")

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
            x=edge_x,
            y=edge_y,
            mode="lines",
            line={"color": "#b8b8b8", "width": 1},
            hoverinfo="skip",
            showlegend=False,
            meta={"role": "tree-edges"},
        )
    ]
    if selected in row_of:
        traces.append(
            go.Scatter(
                x=[depth_of[selected]],
                y=[-row_of[selected]],
                mode="markers",
                marker={"symbol": "circle-open", "size": 22, "color": "#b22222", "line": {"width": 2.5}},
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "tree-selected", "id": selected},
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
            text = plot_text(fit_label(site.name.get(lang), room, font_px))
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
                customdata=[[site.id, f"<b>{plot_text(site.name.get(lang))}</b><br>{plot_text(kind_label)}"] for site, _ in members],
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
        font={"family": FONT_FAMILY},
        hovermode="closest",
        dragmode=False,
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top"},
    )
    fig.update_xaxes(visible=False, range=[-0.6, units - 0.6], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-(len(rows) - 0.5), 0.6], fixedrange=True)
    return fig


ONE_CITY = "west_science_city"  # 西部科学城: the "one city" of 一城多园


def hierarchy_icicle(plan: Plan, lang: str) -> go.Figure:
    """一城多园 as an icicle from the root site outwards, for a slide: horizontal labels that stay legible at slide size."""
    root = ONE_CITY if ONE_CITY in plan.site_by_id else None
    frame = hierarchy_frame(plan.sites, lang=lang, kind_labels=kind_labels(lang), root_id=root)
    fig = go.Figure(
        go.Icicle(
            ids=frame["id"].tolist(),
            parents=frame["parent"].tolist(),
            labels=[wrap(label, 34 if lang == "en" else 24) for label in frame["label"]],
            customdata=[[plot_text(k)] for k in frame["kind_label"]],
            hovertemplate="<b>%{label}</b><br>%{customdata[0]}<extra></extra>",
            marker={"colors": [KIND_STYLE[SiteKind(k)][1] for k in frame["kind"]], "line": {"color": "white", "width": 2}},
            tiling={"orientation": "h"},
            textinfo="label",
            textfont={"family": FONT_FAMILY, "size": 16},
        )
    )
    fig.update_layout(
        title={"text": t("registry.site_hierarchy", lang), "x": 0.01, "xanchor": "left"},
        height=840,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        font={"family": FONT_FAMILY},
    )
    return fig
