"""The chart registry: every presentable chart by id, built in both languages without session state, and the overlay only where it belongs."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
import streamlit

from components.analysis.whatif import overlay_of, usable_edits
from components.figures.registry import CHARTS, ChartInputs
from components.plan.model import TargetEdit

REQUIRED_CHARTS = {
    "rd_intensity_pct", "rd_expenditure_100m_yuan", "hightech_enterprises", "tech_contract_turnover_100m_yuan",
    "tech_contract_cumulative", "hightech_revenue_share_pct", "tech_progress_contribution_pct", "hv_invention_patents_per_10k",
    "agency_workload", "agency_section_heatmap", "agency_network", "sections_treemap", "site_map", "site_hierarchy",
}  # fmt: skip
ONLINE_TRACES = {"scattergeo", "choropleth", "scattermap", "scattermapbox", "choroplethmap", "densitymap"}


def test_registry_names_every_presentable_chart():
    assert set(CHARTS) >= REQUIRED_CHARTS


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_every_chart_builds_in_both_languages_without_session_state(chart_id, plan, progress_log, monkeypatch):
    class NoSession:
        def __getattr__(self, name):
            raise AssertionError("a figure builder read st.session_state")

        def __getitem__(self, key):
            raise AssertionError("a figure builder read st.session_state")

    monkeypatch.setattr(streamlit, "session_state", NoSession())
    spec = CHARTS[chart_id]
    inputs = ChartInputs(progress=progress_log)
    assert spec.can_draw(plan, inputs)
    figures = {lang: spec.build(plan, lang, inputs) for lang in ("zh", "en")}
    for fig in figures.values():
        assert isinstance(fig, go.Figure) and fig.data
        assert not {trace.type for trace in fig.data} & ONLINE_TRACES, "geo and tile traces fetch base maps from the internet"
    assert figures["zh"].layout.title.text != figures["en"].layout.title.text
    assert spec.title("zh") != spec.title("en")


def test_overlay_reaches_indicator_charts_only(plan):
    edits = usable_edits(plan, {"hightech_enterprises": TargetEdit(value=20000, target_year=2026)})
    overlay = overlay_of(plan, edits)
    assert set(overlay) == {"hightech_enterprises"}
    fig = CHARTS["hightech_enterprises"].build(plan, "zh", ChartInputs(overlay))
    star = next(tr for tr in fig.data if tr.name == "情景目标")
    assert (list(star.x), list(star.y)) == ([2026], [20000])
    plain = CHARTS["hightech_enterprises"].build(plan, "zh", ChartInputs())
    assert not any(tr.name == "情景目标" for tr in plain.data)
    assert not CHARTS["agency_workload"].uses_overlay and CHARTS["hightech_enterprises"].uses_overlay


def test_cumulative_chart_takes_the_overlay(plan):
    overlay = overlay_of(plan, usable_edits(plan, {"tech_contract_turnover": TargetEdit(value=7000)}))
    fig = CHARTS["tech_contract_cumulative"].build(plan, "en", ChartInputs(overlay))
    assert any(tr.name == "Scenario target" and max(tr.y) == 7000 for tr in fig.data)


def test_registry_skips_charts_a_plan_cannot_draw(plan):
    smaller = plan.model_copy(update={"observations": [], "targets": [tg for tg in plan.targets if tg.window is None], "sites": []})
    assert not CHARTS["tech_contract_cumulative"].available(smaller)
    assert not CHARTS["site_map"].available(smaller)
    assert CHARTS["rd_intensity_pct"].available(smaller)


def test_agency_slides_draw_the_busiest_40_and_point_to_the_page_for_the_rest(plan):
    """340 agencies on one slide could not be read: a slide draws the busiest 40, as the page does by default. Its
    note names the Agencies page, not the page's control ("pick more above"), which a slide does not have."""
    from components.plan.loader import load_plan_text
    from scripts.synthetic_plan import dump, scaled_plan

    large = load_plan_text(dump(scaled_plan(3)), "plan-3x.yaml").value  # 68 agencies
    bars = CHARTS["agency_workload"].build(large, "en", ChartInputs())
    assert len(bars.data[0].y) == 40
    assert bars.layout.annotations[-1].text.startswith(
        "The chart shows the 40 busiest of 68 agencies; the Agencies page lists them all.<br>"
    )
    leads = CHARTS["agency_leads"].build(large, "zh", ChartInputs())
    assert len(leads.data[0].y) == 20 and "<br>" not in leads.layout.annotations[-1].text  # 20 agencies lead a task: all drawn
    heat = CHARTS["agency_section_heatmap"].build(large, "zh", ChartInputs())
    assert len(heat.data[0].y) == 40
    assert heat.layout.annotations[-1].text.startswith("图中只显示承担任务最多的 40 个单位(共 68 个);“责任单位”页列出全部。<br>")
    network = CHARTS["agency_network"].build(large, "en", ChartInputs())
    nodes = [a for tr in network.data if tr.mode == "markers" and tr.customdata is not None for a in tr.customdata]
    assert len(nodes) == 40
    assert "(the Agencies page shows more)" in network.layout.annotations[-1].text
    # The bundled plan's 34 agencies are all drawn, with the notes they had.
    assert len(CHARTS["agency_workload"].build(plan, "zh", ChartInputs()).data[0].y) == 34
    assert CHARTS["agency_network"].build(plan, "zh", ChartInputs()).layout.annotations[-1].text.startswith("圆点大小")
