"""Figures of who does what: data in, `go.Figure` out.

No Streamlit and no session state here: pages pass in the plan, the language
and the choices their widgets hold. Every piece of plan text that reaches a
Plotly label is escaped (`plot_text`), because Plotly renders a subset of
HTML in labels and plan text is data.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import plotly.graph_objects as go

from components.analysis.responsibility import (
    AGENCY_CHART_TOP,
    GROUP_KINDS,
    KIND_ORDER,
    TaskFilter,
    agency_name,
    filter_tasks,
    is_group,
    kind_label,
    section_cells,
    section_label,
    section_sizes,
    shared_tasks,
    task_size,
    workload,
)
from components.figures.style import FONT_FAMILY, SECTION_COLOURS, apply_style, count_ticks, plot_text, wrap
from components.i18n import t
from components.plan.model import AgencyKind, Plan

KIND_COLOURS: dict[AgencyKind, str] = {
    AgencyKind.provincial_department: "#2471a3",
    AgencyKind.provincial_agency: "#76b7e5",
    AgencyKind.party_organ: "#c0392b",
    AgencyKind.city_government: "#e67e22",
    AgencyKind.city_group: "#9e9e9e",
    AgencyKind.central_branch: "#7d3c98",
    AgencyKind.judicial: "#1e8449",
    AgencyKind.public_institution: "#17a589",
    AgencyKind.people_organization: "#b7950b",
    AgencyKind.government_department: "#2e86c1",
    AgencyKind.group: "#9e9e9e",
    AgencyKind.other: "#bdbdbd",
}
LEAD_COLOUR = "#1f4e79"
SUPPORT_COLOUR = "#9ecae1"
GROUP_LEAD_COLOUR = "#616161"
GROUP_SUPPORT_COLOUR = "#cfcfcf"
GROUP_PATTERN = "/"
MUTED = "#eeeeee"


def arc_layout(plan: Plan, *, include_group: bool = True, top: int = 0) -> dict[str, tuple[float, float]]:
    """Agencies on two facing arcs, grouped by kind and, within a kind, by workload (largest first); `top` > 0 places only the busiest.

    Deterministic and label-friendly. Going clockwise from the top, agencies
    fill the right arc downwards and then the left arc upwards, one empty slot
    between kinds. Slots are spaced evenly in height, not in angle, so
    horizontal labels pointing away from the centre never overlap however
    long they are; x bulges out like an ellipse so chords stay apart.
    """
    every = workload(plan, include_group=include_group)
    loads = {w.agency: w for w in (every[:top] if top else every)}
    kind_rank = {k: i for i, k in enumerate(KIND_ORDER)}
    nodes = sorted(
        (a for a in plan.agencies if a.id in loads),
        key=lambda a: (kind_rank[a.kind], -loads[a.id].total, -loads[a.id].lead, a.id),
    )
    slots: list[str | None] = []
    for i, agency in enumerate(nodes):
        if i > 0 and agency.kind != nodes[i - 1].kind:
            slots.append(None)
        slots.append(agency.id)
    per_side = max(1, math.ceil(len(slots) / 2))
    positions: dict[str, tuple[float, float]] = {}
    for index, agency_id in enumerate(slots):
        if agency_id is None:
            continue
        side, j = (1.0, index) if index < per_side else (-1.0, 2 * per_side - 1 - index)
        y = 1 - (j + 0.5) * 2 / per_side
        x = side * (0.25 + 0.75 * math.sqrt(max(0.0, 1 - y * y)))
        positions[agency_id] = (round(x, 6), round(y, 6))
    return positions


AXIS_LABEL_WIDTH = 60  # columns (the bundled plan's longest English name has 58); longer names wrap so the plot keeps its width
LABEL_LINE_PX = 12  # what a row grows by for each further line of its label


def _label(plan: Plan, agency_id: str, lang: str) -> str:
    return wrap(agency_name(plan, agency_id, lang, mark_group=True), AXIS_LABEL_WIDTH)


def _row_px(labels: list[str], single: int) -> int:
    """Rows tall enough for the longest label: a two-line name in a one-line row ran into the names beside it."""
    return single + LABEL_LINE_PX * max((label.count("<br>") for label in labels), default=0)


# --- tasks ---

NODE_SEPARATOR = "/"  # treemap node ids: "<section>" and "<section>/<task>"


def section_of_node(plan: Plan, node_id: str) -> str | None:
    """The section a clicked treemap node belongs to (Streamlit reports a click as the node's id), or None."""
    section = node_id.split(NODE_SEPARATOR)[0]
    return section if section in plan.section_by_id else None


MAX_TREEMAP_TILES = 400  # above this many tiles Plotly takes seconds to draw; the treemap shows sections only


MORE_SECTIONS_NODE = "…"


def treemap_is_aggregated(plan: Plan, selected_section: str | None) -> bool:
    """True when the whole plan has too many tiles to draw each task: sections are drawn, and a click drills into one."""
    return selected_section is None and len(plan.sections) + len(plan.tasks) > MAX_TREEMAP_TILES


def treemap_highlight(plan: Plan, selected_section: str | None, f: TaskFilter) -> tuple[int, ...] | None:
    """`section_treemap`'s `highlight` for the filter `f`: the numbers of matching tasks among the tiles drawn.

    None (every task in colour) when `f` narrows nothing or the treemap draws sections only. Streamlit hashes
    a cached figure's options on every rerun: the 2,700 numbers of a large plan cost ≈ 40 ms each time.
    """
    if not f.narrows or treemap_is_aggregated(plan, selected_section):
        return None
    drilled = selected_section is not None and len(plan.sections) + len(plan.tasks) > MAX_TREEMAP_TILES
    return tuple(task.number for task in filter_tasks(plan, f.with_section(selected_section) if drilled else f))


def section_treemap(plan: Plan, lang: str, *, selected_section: str | None = None, highlight: Collection[int] | None = None) -> go.Figure:
    """Sections → tasks, each task sized by the number of agencies responsible for it.

    `selected_section` zooms the treemap to that section; tasks outside
    `highlight` (when given) are greyed out. Node ids are "<section>" and
    "<section>/<task>", so a click (reported as id and parent) names its section.
    On a plan too large to draw every task (see `treemap_is_aggregated`) the
    treemap holds the sections alone, each labelled with its task count, and
    a selected section is drawn with its tasks only.
    """
    ids, labels, parents, values, colours, custom = [], [], [], [], [], []
    sizes = section_sizes(plan)
    aggregated = treemap_is_aggregated(plan, selected_section)
    drilled = selected_section is not None and len(plan.sections) + len(plan.tasks) > MAX_TREEMAP_TILES
    shown_sections = plan.sections_in_order
    if aggregated and len(shown_sections) > MAX_TREEMAP_TILES:
        largest = set(sorted(shown_sections, key=lambda s: -sizes[s.id])[: MAX_TREEMAP_TILES - 1])
        rest = [s for s in shown_sections if s not in largest]
        shown_sections = [s for s in shown_sections if s in largest]
        ids.append(MORE_SECTIONS_NODE)  # not a section id: a click on it selects nothing
        labels.append(plot_text(t("tasks.treemap.more_sections", lang, count=len(rest))))
        parents.append("")
        values.append(sum(sizes[s.id] for s in rest))
        colours.append(MUTED)
        custom.append(
            ["", plot_text(t("tasks.treemap.more_sections", lang, count=len(rest))), sum(len(plan.tasks_by_section[s.id]) for s in rest)]
        )
    for i, section in enumerate(plan.sections_in_order):
        if (drilled and section.id != selected_section) or (aggregated and section not in shown_sections):
            continue
        tasks = plan.tasks_by_section[section.id]
        ids.append(section.id)
        name = section_label(plan, section.id, lang)
        if aggregated:
            name = t("tasks.treemap.section_count", lang, name=name, count=len(tasks))
        labels.append(plot_text(name) if lang == "zh" else wrap(name, 42))
        parents.append("")
        values.append(sizes[section.id])
        colours.append(SECTION_COLOURS[i % len(SECTION_COLOURS)])
        custom.append([section.id, plot_text(section_label(plan, section.id, lang)), len(tasks)])
        if aggregated:
            continue
        for task in tasks:
            ids.append(f"{section.id}{NODE_SEPARATOR}{task.id}")
            size = task_size(task)
            # small tiles come out narrow: shorter lines keep Plotly from shrinking the text
            width = 6 if size <= 4 else 8 if size <= 6 else 12
            labels.append(wrap(f"{task.number}. {task.title.get(lang)}", width if lang == "zh" else width + 4))
            parents.append(section.id)
            values.append(size)
            shown = highlight is None or task.number in highlight
            colours.append(SECTION_COLOURS[i % len(SECTION_COLOURS)] if shown else MUTED)
            custom.append([section.id, plot_text(f"{task.number}. {task.title.get(lang)}"), task.number])
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            customdata=custom,
            marker={"colors": colours, "line": {"color": "white", "width": 1}, "pad": {"t": 24 if lang == "zh" else 40}},
            textfont={"family": FONT_FAMILY, "size": 13, "color": "#1b2631"},
            hovertemplate="%{customdata[1]}<br>" + plot_text(t("tasks.treemap.hover", lang)) + " %{value}<extra></extra>",
            maxdepth=2,
            level=selected_section or "",
            pathbar={"visible": True},
            tiling={"pad": 2},
        )
    )
    apply_style(fig, title=t("tasks.treemap.title", lang), height=600 if lang == "zh" else 700)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


# --- agencies ---


def _top_note(note: str, shown: int, total: int, lang: str, *, on_page: bool) -> str:
    """On its own line: the two sentences on one line ran past a chart's right edge and were cut off.
    A slide has no control to pick more agencies with, so its note points to the page instead."""
    if shown == total:
        return note
    return t("agencies.top.note" if on_page else "agencies.top.note_slide", lang, shown=shown, total=total) + "<br>" + note


def workload_bars(
    plan: Plan, lang: str, *, include_group: bool = True, lead_only: bool = False, top: int = 0, on_page: bool = True
) -> go.Figure:
    """Stacked horizontal bars of tasks led and supported, largest at the top; the city group is grey and hatched.

    `top` > 0 draws only that many agencies, the busiest (the note says how many of how many; `on_page`: whether
    the chart sits under the control that picks more).
    """
    every = workload(plan, include_group=include_group, lead_only=lead_only)
    rows = every[:top] if top else every
    names = [_label(plan, w.agency, lang) for w in rows]
    group = [is_group(plan.agency_by_id[w.agency]) for w in rows]
    hover = "%{y}<br>%{fullData.name}: %{x}<extra></extra>"

    def bar(values: list[int], name: str, colour: str, group_colour: str) -> go.Bar:
        return go.Bar(
            y=names,
            x=values,
            name=name,
            orientation="h",
            marker={
                "color": [group_colour if g else colour for g in group],
                "pattern": {"shape": [GROUP_PATTERN if g else "" for g in group], "fgcolor": "#424242", "size": 6},
                "line": {"color": "white", "width": 0.5},
            },
            text=[v if v else "" for v in values],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont={"size": 11},
            hovertemplate=hover,
        )

    traces = [bar([w.lead for w in rows], t("resp.role.lead", lang), LEAD_COLOUR, GROUP_LEAD_COLOUR)]
    if not lead_only:
        traces.append(bar([w.support for w in rows], t("resp.role.support", lang), SUPPORT_COLOUR, GROUP_SUPPORT_COLOUR))
    totals = [w.lead if lead_only else w.total for w in rows]
    traces.append(
        go.Scatter(
            y=names,
            x=totals,
            mode="text",
            text=[f" {v}" for v in totals],
            textposition="middle right",
            textfont={"size": 12, "color": "#1b2631"},
            hoverinfo="skip",
            showlegend=False,
            name="total",
        )
    )
    fig = go.Figure(traces)
    title = t("agencies.bar.title_lead" if lead_only else "agencies.bar.title", lang)
    note = _top_note(t("agencies.source", lang, doc=plan.meta.doc_number), len(rows), len(every), lang, on_page=on_page)
    apply_style(fig, title=title, source_note=note, height=max(320, 200 + _row_px(names, 28) * len(rows)))
    fig.update_layout(
        barmode="stack",
        bargap=0.25,
        margin={"t": 90},
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
    )
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)")
    top = max(totals, default=1) * 1.08 + 1
    fig.update_xaxes(title_text=t("agencies.bar.x", lang), gridcolor="#e5e8ec", range=[0, top], **count_ticks(top, step=2))
    _place_note(fig, note, below=60)
    return fig


HEATMAP_TEXT_SECTIONS = 20  # more columns than this leave a cell too narrow to read "L2 S1"


def section_heatmap(plan: Plan, lang: str, *, include_group: bool = True, top: int = 0, on_page: bool = True) -> go.Figure:
    """Agency × section: tasks in that section the agency leads or supports; the hover names the role per task.

    `top` > 0 draws only the rows of that many agencies, the busiest. Above HEATMAP_TEXT_SECTIONS columns
    the cells are too narrow for their "L2 S1" text: it is left out (the hover keeps it), which halved the
    drawing time of 40 agencies × 80 sections. The columns are then too narrow for the sections' names too,
    which overlapped into one smear: they are headed by the sections' order numbers, and the hover names them.
    """
    every = workload(plan, include_group=include_group)
    rows = every[:top] if top else every
    sections = plan.sections_in_order
    cells = section_cells(plan, include_group=include_group)
    z, text, hover = [], [], []
    labelled = len(sections) <= HEATMAP_TEXT_SECTIONS
    names = [section_label(plan, s.id, lang) for s in sections]
    for w in rows:
        z_row, text_row, hover_row = [], [], []
        for section, name in zip(sections, names, strict=True):
            cell = cells.get((w.agency, section.id))
            count = cell.count if cell else 0
            z_row.append(count)
            parts = [] if labelled else [name]
            if not cell:
                text_row.append("")
                hover_row.append("<br>".join(plot_text(p) for p in [*parts, t("agencies.heatmap.none", lang)]))
                continue
            shown = [t("agencies.heatmap.cell_lead", lang, n=len(cell.lead))] if cell.lead else []
            shown += [t("agencies.heatmap.cell_support", lang, n=len(cell.support))] if cell.support else []
            text_row.append(" ".join(shown))
            if cell.lead:
                parts.append(t("agencies.heatmap.lead_tasks", lang, tasks=", ".join(map(str, cell.lead))))
            if cell.support:
                parts.append(t("agencies.heatmap.support_tasks", lang, tasks=", ".join(map(str, cell.support))))
            hover_row.append("<br>".join(plot_text(p) for p in parts))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    x = [wrap(name, 10 if lang == "zh" else 11) for name in names] if labelled else [str(i) for i in range(1, len(names) + 1)]
    y = [_label(plan, w.agency, lang) for w in rows]
    top = max((cell.count for cell in cells.values()), default=1)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            **({"text": text, "texttemplate": "%{text}", "textfont": {"size": 11}} if labelled else {}),
            customdata=hover,
            hovertemplate=("%{y}<br>%{x}<br>" if labelled else "%{y}<br>")
            + plot_text(t("agencies.heatmap.count", lang))
            + " %{z}<br>%{customdata}<extra></extra>",
            colorscale=[[0, "#ffffff"], [0.0001, "#eaf2f8"], [1, "#1f4e79"]],
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": plot_text(t("agencies.heatmap.count", lang))}, "thickness": 12, **count_ticks(top)},
        )
    )
    cell_note = t("agencies.heatmap.note" if labelled else "agencies.heatmap.note_hover", lang)
    note = _top_note(cell_note, len(rows), len(every), lang, on_page=on_page)
    apply_style(fig, title=t("agencies.heatmap.title", lang), source_note=note, height=max(360, 200 + _row_px(y, 24) * len(rows)))
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)")
    fig.update_xaxes(side="top", automargin=True, tickangle=0, **({} if labelled else {"dtick": math.ceil(len(names) / 40)}))
    fig.update_layout(margin={"t": 140 if labelled else 90}, title={"y": 0.995, "yanchor": "top", "yref": "container"})
    _place_note(fig, note, below=20)
    return fig


def _place_note(fig: go.Figure, note: str, *, below: int) -> None:
    """Put the source note `below` px under the plot and size the bottom margin to fit it and its lines (charts here vary in what sits under the plot)."""
    for annotation in fig.layout.annotations:
        if annotation.text == note:
            annotation.update(yref="paper", y=0, yanchor="top", yshift=-below)
    fig.update_layout(margin={"b": below + 30 + NOTE_LINE_PX * note.count("<br>")})


NOTE_LINE_PX = 15  # one more line of an 11 px note


def _bezier(p0: tuple[float, float], p1: tuple[float, float], pull: float = 0.45, steps: int = 14) -> tuple[list[float], list[float]]:
    """A chord bowed towards the centre, so lines between neighbours stay near the rim.

    Points are rounded to 1/10,000 of the plot (far below a pixel): full floats tripled the
    chart's size on a plan with thousands of chords.
    """
    cx, cy = (p0[0] + p1[0]) / 2 * pull, (p0[1] + p1[1]) / 2 * pull
    xs, ys = [], []
    for i in range(steps + 1):
        s = i / steps
        xs.append(round((1 - s) ** 2 * p0[0] + 2 * (1 - s) * s * cx + s**2 * p1[0], 4))
        ys.append(round((1 - s) ** 2 * p0[1] + 2 * (1 - s) * s * cy + s**2 * p1[1], 4))
    return xs, ys


def network_figure(
    plan: Plan, lang: str, *, include_group: bool = True, min_weight: int = 1, top: int = 0, on_page: bool = True
) -> go.Figure:
    """Agencies on two facing arcs grouped by kind (`arc_layout`); a chord joins two agencies that share tasks.

    Node size = tasks involved, colour = kind, thick dark outline = leads at
    least one task (the label carries the lead count); chord width and
    opacity grow with the number of shared tasks. `top` > 0 draws only the
    busiest agencies and the chords between them; the note says how many
    agencies and chords are left out (all 340 agencies of a large plan took
    Chromium most of a second to draw).
    """
    positions = arc_layout(plan, include_group=include_group, top=top)
    loads = {w.agency: w for w in workload(plan, include_group=include_group)}
    every = {p: tasks for p, tasks in shared_tasks(plan, include_group=include_group).items() if len(tasks) >= min_weight}
    pairs = {(a, b): tasks for (a, b), tasks in every.items() if a in positions and b in positions}
    traces: list[go.Scatter] = []
    bins = [(1, 2, 0.6, 0.18), (3, 5, 1.2, 0.28), (6, 10, 2.2, 0.4), (11, 10_000, 3.6, 0.55)]
    for low, high, width, opacity in bins:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for (a, b), tasks in pairs.items():
            if low <= len(tasks) <= high:
                bx, by = _bezier(positions[a], positions[b])
                xs += [*bx, None]
                ys += [*by, None]
        if xs:
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    line={"color": f"rgba(52, 73, 94, {opacity})", "width": width},
                    name=f"{low}-{high}",
                )
            )
    mid_x, mid_y, mid_text = [], [], []
    for (a, b), tasks in pairs.items():
        bx, by = _bezier(positions[a], positions[b])
        mid_x.append(bx[len(bx) // 2])
        mid_y.append(by[len(by) // 2])
        mid_text.append(
            plot_text(f"{agency_name(plan, a, lang)} — {agency_name(plan, b, lang)}")
            + "<br>"
            + plot_text(t("agencies.network.shared", lang, count=len(tasks), tasks=_task_numbers(tasks, lang)))
        )
    traces.append(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="markers",
            marker={"size": 6, "opacity": 0},
            hovertext=mid_text,
            hoverinfo="text",
            showlegend=False,
            name="edges",
        )
    )
    for kind in KIND_ORDER:
        members = [a for a in plan.agencies if a.kind is kind and a.id in positions]
        if not members:
            continue
        traces.append(
            go.Scatter(
                x=[positions[a.id][0] for a in members],
                y=[positions[a.id][1] for a in members],
                mode="markers",
                name=plot_text(kind_label(kind, lang)),
                legendgroup=kind.value,
                showlegend=False,
                customdata=[a.id for a in members],
                marker={
                    "size": [_node_size(loads[a.id].total) for a in members],
                    "color": KIND_COLOURS[kind],
                    "symbol": "hexagon" if kind in GROUP_KINDS else "circle",
                    "line": {
                        "color": ["#111111" if loads[a.id].lead else "#ffffff" for a in members],
                        "width": [3 if loads[a.id].lead else 1 for a in members],
                    },
                },
                hovertext=[
                    _label(plan, a.id, lang)
                    + "<br>"
                    + plot_text(t("agencies.network.node", lang, lead=loads[a.id].lead, support=loads[a.id].support))
                    for a in members
                ],
                hoverinfo="text",
            )
        )
        # the legend entry: one uniform marker per kind (the nodes' outlines vary with their lead role)
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=plot_text(kind_label(kind, lang)),
                legendgroup=kind.value,
                marker={"size": 12, "color": KIND_COLOURS[kind], "symbol": "hexagon" if kind in GROUP_KINDS else "circle"},
                hoverinfo="skip",
            )
        )
    traces.append(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=plot_text(t("agencies.network.lead_legend", lang)),
            marker={"size": 14, "color": "#ffffff", "line": {"color": "#111111", "width": 3}},
        )
    )
    labels = [_side_label(plan, a, lang, x, y, loads[a].total, loads[a].lead) for a, (x, y) in positions.items()]
    fig = go.Figure(traces, layout={"annotations": labels})  # one assignment: add_annotation per label is quadratic in plotly
    note = t("agencies.network.note", lang)
    if len(positions) < len(loads):
        left = len(loads) - len(positions)
        note = (
            t(
                "agencies.network.top_note" if on_page else "agencies.network.top_note_slide",
                lang,
                shown=len(positions),
                total=len(loads),
                left=left,
                links=len(every) - len(pairs),
            )
            + "<br>"
            + note
        )
    apply_style(fig, title=t("agencies.network.title", lang), source_note=note, height=920)
    reach = 2.3 if lang == "zh" else 2.7  # room for the labels either side
    fig.update_xaxes(visible=False, range=[-reach, reach], domain=[0, 0.8])
    fig.update_yaxes(visible=False, range=[-1.06, 1.06])
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 70},
        legend={"orientation": "v", "x": 0.82, "xanchor": "left", "y": 1.0, "yanchor": "top"},
        hovermode="closest",
    )
    _place_note(fig, note, below=10)
    return fig


HOVER_TASKS = 30  # task numbers named in a chord's hover; a long list made the chart megabytes on large plans


def _task_numbers(tasks: tuple[int, ...], lang: str) -> str:
    listed = ", ".join(map(str, tasks[:HOVER_TASKS]))
    return listed if len(tasks) <= HOVER_TASKS else t("agencies.network.shared_first", lang, tasks=listed)


def _node_size(total: int) -> float:
    return 8 + 5 * math.sqrt(total)


def _side_label(plan: Plan, agency_id: str, lang: str, x: float, y: float, total: int, leads: int) -> dict:
    """A horizontal label just outside its node, on the side away from the centre."""
    right = x >= 0
    text = wrap(agency_name(plan, agency_id, lang, mark_group=True), 32 if lang == "zh" else 34)
    if leads:
        text += plot_text(t("agencies.network.lead_mark", lang, n=leads))
    gap = _node_size(total) / 2 + 4
    return {
        "x": x,
        "y": y,
        "xshift": gap if right else -gap,
        "text": text,
        "showarrow": False,
        "xanchor": "left" if right else "right",
        "yanchor": "middle",
        "font": {"size": 12, "color": "#1b2631"},
        "align": "left" if right else "right",
    }


def slide_network(plan: Plan, lang: str) -> go.Figure:
    """The co-responsibility network for a slide, without pairs that share a single task (hundreds of faint chords).

    Slides draw its labels at 20 px instead of 12: the plot takes the full width (legend underneath) and the x range
    is widened so the outer labels stay inside the picture. Like the page by default, it draws the busiest agencies.
    """
    fig = network_figure(plan, lang, min_weight=2, top=AGENCY_CHART_TOP, on_page=False)
    low, high = fig.layout.xaxis.range or (None, None)
    if low is not None and high is not None:
        fig.update_xaxes(range=[low * 1.4, high * 1.4], domain=[0, 1])
    # The legend goes under the plot and the note under the legend: placed under the plot as on the page, the
    # note was drawn over the legend's first row.
    note = fig.layout.annotations[-1]
    note.update(yshift=-SLIDE_LEGEND_PX)
    lines = 1 + note.text.count("<br>")
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top"},
        margin={"b": SLIDE_LEGEND_PX + NOTE_LINE_PX * lines + 12},
    )
    return fig


SLIDE_LEGEND_PX = 80  # the network's legend under a slide's plot: up to three rows of kinds


def sections_overview(plan: Plan, lang: str) -> go.Figure:
    """One bar per section: agency assignments (lead + support over its tasks), labelled with its task count."""
    sections = plan.sections_in_order
    sizes = section_sizes(plan)
    fig = go.Figure(
        go.Bar(
            y=[plot_text(section_label(plan, s.id, lang)) for s in sections],
            x=[sizes[s.id] for s in sections],
            orientation="h",
            text=[
                t("registry.sections_overview.bar", lang, tasks=len(plan.tasks_by_section[s.id]), assignments=sizes[s.id]) for s in sections
            ],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [SECTION_COLOURS[i % len(SECTION_COLOURS)] for i in range(len(sections))],
                "line": {"color": "#5d6d7e", "width": 1},
            },
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    apply_style(fig, title=t("registry.sections_overview", lang), height=560)
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)", ticklabelstandoff=8)
    fig.update_xaxes(title_text=t("registry.sections_overview.x", lang), range=[0, max([*sizes.values(), 1]) * 1.6], gridcolor="#e5e8ec")
    fig.update_layout(showlegend=False, margin={"b": 60})
    return fig
