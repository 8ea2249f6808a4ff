"""Figures for targets and indicator series: data in, Plotly figure out.

Gaps stay gaps (a missing year breaks the line), values that are secondary,
derived or otherwise flagged get hollow markers, and every point's hover names
its source.
"""

from __future__ import annotations

import plotly.graph_objects as go

from components.analysis.targets import (
    Point,
    TargetSpec,
    assess_target,
    charted_observations,
    charted_points,
    cumulative_points,
    path_value,
    project,
    spec_of,
    status_words,
)
from components.analysis.whatif import EditedTarget, Overlay
from components.figures.style import (
    REGION_COLOURS,
    SCENARIO_COLOUR,
    TARGET_COLOUR,
    VALUE_AXIS_LEFT,
    plot_text,
    self_styled_figure,
    styled_layout,
    trace,
    year_axis,
)
from components.i18n import t
from components.plan.model import Observation, Plan, QuantityKind, Target

HOLLOW_FLAGS = {"secondary", "derived", "preliminary", "year_inferred", "different_definition", "snapshot", "lower_bound"}


def with_gaps(years: list[int], *columns: list) -> tuple[list, ...]:
    """Insert a None between non-consecutive years so Plotly breaks the line instead of bridging the gap."""
    out: list[list] = [[] for _ in range(len(columns) + 1)]
    previous = None
    for i, year in enumerate(years):
        if previous is not None and year - previous > 1:
            for column in out:
                column.append(None)
        out[0].append(year)
        for column, source in zip(out[1:], columns):
            column.append(source[i])
        previous = year
    return tuple(out)


def _hover_source(plan: Plan, obs: Observation, lang: str) -> str:
    source = plan.source_by_id[obs.source]
    flags = status_words(obs, lang)
    derivation = f"<br>{t('hover.derivation', lang)}: {plot_text(obs.derivation.get(lang))}" if obs.derivation else ""
    flag_text = f"<br>{t('hover.flags', lang)}: {flags}" if flags else ""
    return f"{t('hover.source', lang)}: {plot_text(source.title)}{flag_text}{derivation}"


def series_trace(plan: Plan, indicator: str, region: str, lang: str) -> dict:
    observations = charted_observations(plan.observations, indicator, region)
    decimals = plan.indicator_by_id[indicator].decimals
    years, values, symbols, hovers = with_gaps(
        [o.year for o in observations],
        [o.value for o in observations],
        ["circle-open" if {f.value for f in o.flags} & HOLLOW_FLAGS else "circle" for o in observations],
        [_hover_source(plan, o, lang) for o in observations],
    )
    name = plot_text(plan.region_by_id[region].name.get(lang))
    return trace(
        "scatter",
        x=years,
        y=values,
        mode="lines+markers",
        name=name,
        connectgaps=False,
        line={"color": REGION_COLOURS.get(region, "#34495e"), "width": 3},
        marker={"size": 10, "symbol": [s or "circle" for s in symbols], "line": {"width": 2}},
        customdata=[h or "" for h in hovers],
        hovertemplate=f"{name} %{{x}}: %{{y:,.{decimals}f}}<br>%{{customdata}}<extra></extra>",
    )


def _line(years: list[int], values: list[float], name: str, colour: str, dash: str, decimals: int) -> dict:
    return trace(
        "scatter",
        x=years,
        y=values,
        mode="lines",
        name=name,
        line={"color": colour, "dash": dash, "width": 2},
        hovertemplate=f"{name} %{{x}}: %{{y:,.{decimals}f}}<extra></extra>",
    )


def path_trace(baseline: Point, spec: TargetSpec, name: str, colour: str, decimals: int) -> dict:
    """The straight path from the baseline to the target that the status rules measure progress against."""
    years = list(range(baseline.year, spec.target_year + 1))
    return _line(years, [path_value(baseline, spec, year) for year in years], name, colour, "dash", decimals)


def target_marker(
    year: int,
    value: float,
    name: str,
    colour: str,
    decimals: int,
    symbol: str = "star",
    *,
    text_position: str = "top center",
    group: str | None = None,
    show_legend: bool = True,
) -> dict:
    return trace(
        "scatter",
        x=[year],
        y=[value],
        mode="markers+text",
        name=name,
        legendgroup=group,
        showlegend=show_legend,
        text=[f"{value:,.{decimals}f}"],
        textposition=text_position,
        marker={"symbol": symbol, "size": 18, "color": colour, "line": {"width": 1, "color": "white"}},
        hovertemplate=f"{name}: %{{y:,.{decimals}f}} (%{{x}})<extra></extra>",
    )


def projection_trace(latest: Point, change: float, spec: TargetSpec, name: str, colour: str, decimals: int) -> dict:
    """The latest value carried forward at the recent trend (or the assumed change of a what-if edit)."""
    years = list(range(latest.year, spec.target_year + 1))
    return _line(years, [project(latest, change, spec.kind, year) for year in years], name, colour, "dot", decimals)


def indicator_figure(
    plan: Plan,
    indicator: str,
    regions: list[str],
    lang: str,
    *,
    overlay: Overlay | None = None,
    show_related: bool = True,
) -> go.Figure:
    """One indicator over all years with data, the plan's target and path, later target sets, and the what-if overlay."""
    info = plan.indicator_by_id[indicator]
    decimals = info.decimals
    traces: list[dict] = []  # the figure is made from the whole list at the end: add_trace one by one took twice as long
    years: list[int] = []
    for region in regions:
        series = series_trace(plan, indicator, region, lang)
        traces.append(series)
        years += [y for y in series["x"] if y is not None]
    targets = [tg for tg in plan.targets if tg.indicator == indicator and tg.region in regions and tg.kind is not QuantityKind.cumulative]
    for target in targets:
        spec = spec_of(target)
        result = assess_target(plan, target)
        region_name = plot_text(plan.region_by_id[target.region].name.get(lang))
        label = t("chart.plan_target", lang, region=region_name, year=spec.target_year)
        traces.append(target_marker(spec.target_year, spec.value, label, TARGET_COLOUR, max(decimals, 1), text_position="bottom center"))
        years.append(spec.target_year)
        if result.baseline is not None and result.baseline.year < spec.target_year:
            traces.append(path_trace(result.baseline, spec, t("chart.required_path", lang), TARGET_COLOUR, decimals))
        if result.latest is not None and result.trend is not None and result.latest.year < spec.target_year:
            name = t("chart.trend_projection_years", lang, first=result.trend_years[0], last=result.trend_years[-1])
            traces.append(projection_trace(result.latest, result.trend, spec, name, "#95a5a6", decimals))
        if overlay and target.id in overlay:
            edited, change = overlay[target.id]
            edited_result = assess_target(plan, target, edited, change)
            traces.append(
                target_marker(
                    edited.target_year, edited.value, t("chart.scenario_target", lang), SCENARIO_COLOUR, max(decimals, 1), "star-diamond"
                )
            )
            years.append(edited.target_year)
            if result.baseline is not None and result.baseline.year < edited.target_year:
                traces.append(path_trace(result.baseline, edited, t("chart.scenario_path", lang), SCENARIO_COLOUR, decimals))
            if edited_result.latest is not None and edited_result.trend is not None and edited_result.latest.year < edited.target_year:
                traces.append(
                    projection_trace(
                        edited_result.latest, edited_result.trend, edited, t("chart.scenario_projection", lang), SCENARIO_COLOUR, decimals
                    )
                )
    if show_related:
        shown: set[str] = set()
        for related in plan.related_targets:
            if related.indicator == indicator and related.region in regions:
                name = plot_text(f"{related.target_set.get(lang)} ({plan.region_by_id[related.region].name.get(lang)})")
                traces.append(
                    target_marker(
                        related.target_year,
                        related.value,
                        name,
                        REGION_COLOURS.get(related.region, "#555"),
                        max(decimals, 1),
                        "diamond-open",
                        text_position="middle right",
                        group=name,
                        show_legend=name not in shown,
                    )
                )
                shown.add(name)
                years.append(related.target_year)
    unit = plot_text(info.unit.get(lang))
    title = t("chart.indicator_title", lang, name=plot_text(info.name.get(lang)), unit=unit)
    layout = styled_layout({}, title=title, y_title=unit, source_note=t("chart.source_note", lang), left=VALUE_AXIS_LEFT)
    return self_styled_figure(traces, year_axis(layout, min(years), max(years)) if years else layout)


def contract_figure(plan: Plan, target: Target, lang: str, *, edited: EditedTarget | None = None) -> go.Figure:
    """Annual turnover as bars and the running sum over the assumed window against the cumulative target."""
    info = plan.indicator_by_id[target.indicator]
    observations = charted_observations(plan.observations, target.indicator, target.region)
    traces: list[dict] = []  # one figure from the whole list, as in indicator_figure
    traces.append(
        trace(
            "bar",
            x=[o.year for o in observations],
            y=[o.value for o in observations],
            name=t("chart.annual_value", lang),
            marker={
                "color": REGION_COLOURS.get(target.region, "#555"),
                "pattern": {"shape": ["/" if {f.value for f in o.flags} & HOLLOW_FLAGS else "" for o in observations]},
            },
            customdata=[_hover_source(plan, o, lang) for o in observations],
            hovertemplate="%{x}: %{y:,.1f}<br>%{customdata}<extra></extra>",
        )
    )
    spec = spec_of(target)
    assert target.window is not None
    running = cumulative_points(charted_points(plan.observations, target.indicator, target.region), target.window.start)
    traces.append(
        trace(
            "scatter",
            x=[p.year for p in running],
            y=[p.value for p in running],
            mode="lines+markers",
            name=t("chart.cumulative", lang, start=target.window.start),
            line={"color": "#1f2933", "width": 3},
            hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
        )
    )
    traces.append(
        trace(
            "scatter",
            x=[target.window.start - 0.4, spec.target_year + 0.4],
            y=[spec.value, spec.value],
            mode="lines",
            name=t("chart.cumulative_target", lang, value=f"{spec.value:,.0f}", year=spec.target_year),
            line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
            hoverinfo="skip",
        )
    )
    if edited is not None:
        edited_spec = edited.spec
        traces.append(
            trace(
                "scatter",
                x=[target.window.start - 0.4, edited_spec.target_year + 0.4],
                y=[edited_spec.value, edited_spec.value],
                mode="lines",
                name=t("chart.scenario_target", lang),
                line={"color": SCENARIO_COLOUR, "width": 2, "dash": "dot"},
                hoverinfo="skip",
            )
        )
    note = f"{t('chart.window_note', lang)}: {plot_text(target.window.assumption.get(lang))}"
    unit = plot_text(info.unit.get(lang))
    title = t("chart.indicator_title", lang, name=plot_text(target.name.get(lang)), unit=unit)
    layout = styled_layout({}, title=title, y_title=unit, source_note=note, height=500, left=VALUE_AXIS_LEFT)
    first = min([o.year for o in observations] + [target.window.start])
    return self_styled_figure(
        traces, year_axis(layout, first, max(spec.target_year, edited.spec.target_year if edited else spec.target_year))
    )


def sparkline(plan: Plan, target: Target) -> go.Figure:
    """The small trend line on a target card."""
    points = charted_points(plan.observations, target.indicator, target.region)
    if target.kind is QuantityKind.cumulative and target.window is not None:
        points = cumulative_points(points, target.window.start)
    years, values = with_gaps([p.year for p in points], [p.value for p in points])
    layout = {
        "height": 110,
        "margin": {"l": 0, "r": 0, "t": 5, "b": 0},
        "showlegend": False,
        "plot_bgcolor": "white",
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    fig = go.Figure(
        [
            trace(
                "scatter",
                x=years,
                y=values,
                mode="lines+markers",
                connectgaps=False,
                line={"color": REGION_COLOURS["sichuan"]},
                hoverinfo="x+y",
            )
        ],
        layout,
    )
    fig.add_trace(
        trace(
            "scatter",
            x=[target.target_year],
            y=[target.value],
            mode="markers",
            marker={"symbol": "star", "size": 12, "color": TARGET_COLOUR},
            hoverinfo="x+y",
        )
    )
    return fig
