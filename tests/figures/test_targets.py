"""Indicator and contract figures reach Plotly with plan text escaped: a name is text, never markup."""

from __future__ import annotations

import json

from components.analysis.whatif import overlay_of
from components.figures.targets import contract_figure, indicator_figure
from components.plan.model import Plan, TargetEdit

SPAN = '<span style="font-size:90px;color:red">X</span>'
LINK = '<a href="https://example.org/">y</a>'


def hostile_plan(plan_data: dict) -> Plan:
    """Markup in every region, indicator, unit, target, related target set, window assumption and source title."""
    for region in plan_data["regions"]:
        region["name"]["zh"] += SPAN
    for indicator in plan_data["indicators"]:
        indicator["name"]["zh"] += LINK
        indicator["unit"]["zh"] += SPAN
    for target in plan_data["targets"]:
        target["name"]["zh"] += LINK
        if "window" in target:
            target["window"]["assumption"]["zh"] += SPAN
    for related in plan_data["related_targets"]:
        related["target_set"]["zh"] += LINK
    for source in plan_data["sources"]:
        source["title"] += SPAN
    return Plan.model_validate(plan_data)


def figure_text(fig) -> str:
    return json.dumps(fig.to_dict(), ensure_ascii=False, default=str)  # fig.to_json() would hide "<" as \u003c


def test_plan_text_in_indicator_and_contract_figures_is_shown_as_text(plan_data):
    """A `<span style>` drew large red text over the chart and `<a href>` added outside links (legend, title, axis, hover)."""
    hostile = hostile_plan(plan_data)
    edits = {target.id: TargetEdit(target_year=2027) for target in hostile.targets}
    overlay = overlay_of(hostile, edits)
    figures = [
        indicator_figure(hostile, indicator.id, [region.id for region in hostile.regions], "zh", overlay=overlay)
        for indicator in hostile.indicators
    ]
    figures += [contract_figure(hostile, target, "zh", edited=overlay.get(target.id)) for target in hostile.targets if target.window]
    assert len(figures) == len(hostile.indicators) + 1
    for fig in figures:
        text = figure_text(fig)
        assert "<span" not in text and "<a " not in text
        assert "&lt;span style" in text
    rd = indicator_figure(hostile, "rd_intensity_pct", ["sichuan"], "zh")
    assert rd.layout.title.text == (
        '全社会研发投入强度&lt;a href="https://example.org/"&gt;y&lt;/a&gt;(%&lt;span style="font-size:90px;color:red"&gt;X&lt;/span&gt;)'
    )
    names = {trace.name for trace in rd.data}
    assert '四川&lt;span style="font-size:90px;color:red"&gt;X&lt;/span&gt;' in names


def test_the_unvalidated_what_if_charts_are_what_plotly_validation_makes_of_them(plan):
    """Indicator and contract charts skip Plotly's validation (`style.trusted_figure`, for the edit's speed):
    every one of them, both languages, plain and edited, must come out of validation unchanged, and a
    misspelt property would not (validation refuses it)."""
    import plotly.graph_objects as go

    regions = [region.id for region in plan.regions]
    edited = overlay_of(
        plan, {target.id: TargetEdit(value=target.value * 1.3, target_year=target.target_year + 2) for target in plan.targets}
    )
    figures = []
    for lang in ("zh", "en"):
        for overlay in (None, edited):
            figures += [indicator_figure(plan, indicator.id, regions, lang, overlay=overlay) for indicator in plan.indicators]
            windowed = [target for target in plan.targets if target.window]
            figures += [contract_figure(plan, target, lang, edited=overlay.get(target.id) if overlay else None) for target in windowed]
    assert len(figures) == 4 * (len(plan.indicators) + 1)
    for fig in figures:
        made = fig.to_dict()
        assert made["layout"].pop("template") is None  # drawn as it is, with no theme (`style.self_styled_figure`)
        validated = go.Figure(made)
        validated.layout.template = None  # a figure made without one is given the default template
        assert validated.to_dict() == made
