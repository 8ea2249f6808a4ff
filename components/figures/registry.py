"""Every presentable chart, by id: the one list the briefing, its exports and the tests share.

A `ChartSpec` names its title (a translation key), where its numbers come from
(a translation key filled with the plan's document number) and a pure builder
`(plan, lang, inputs) -> go.Figure`. Builders never read session state: the
what-if overlay (`analysis/whatif.overlay_of`) and the progress log arrive in `ChartInputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import plotly.graph_objects as go

from components.analysis.progress import coverage_matrix
from components.analysis.responsibility import AGENCY_CHART_TOP
from components.analysis.whatif import Overlay
from components.figures.progress import coverage_heatmap
from components.figures.responsibility import section_heatmap, section_treemap, sections_overview, slide_network, workload_bars
from components.figures.site_map import slide_site_map
from components.figures.site_tree import hierarchy_icicle
from components.figures.targets import contract_figure, indicator_figure
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import ProgressLog


@dataclass(frozen=True)
class ChartInputs:
    """What a chart may draw besides the plan: the what-if overlay, and the progress log when the plan has one."""

    overlay: Overlay = field(default_factory=dict)
    progress: ProgressLog | None = None


Builder = Callable[[Plan, str, ChartInputs], go.Figure]


@dataclass(frozen=True)
class ChartSpec:
    title_key: str  # what the chart shows, in the translation table
    build: Builder
    source_key: str | None  # footnote for exports, filled with doc=; None when the figure's own footnote names the source
    uses_overlay: bool = False  # whether a what-if edit can change the figure
    available: Callable[[Plan], bool] = lambda plan: True  # e.g. an uploaded plan without this indicator
    uses_progress: bool = False  # drawn from the progress log: unavailable for a plan without one
    shape: str = "wide"  # "wide" (16:9-ish) or "square": how exports size the image

    def can_draw(self, plan: Plan, inputs: ChartInputs) -> bool:
        return self.available(plan) and (inputs.progress is not None or not self.uses_progress)

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)

    def source(self, plan: Plan, lang: str) -> str:
        return t(self.source_key, lang, doc=plan.meta.doc_number) if self.source_key else ""


# --------------------------------------------------------------------------- indicators

# Regions drawn on each indicator chart. Amounts are not drawn next to the national
# total, which is twenty times larger and would flatten both provinces into the axis.
ALL_REGIONS = ("sichuan", "chongqing", "national")
PROVINCES = ("sichuan", "chongqing")


def _regions(plan: Plan, wanted: tuple[str, ...]) -> list[str]:
    return [r for r in wanted if r in plan.region_by_id]


def _indicator_chart(indicator: str, regions: tuple[str, ...]) -> Builder:
    def build(plan: Plan, lang: str, inputs: ChartInputs) -> go.Figure:
        return indicator_figure(plan, indicator, _regions(plan, regions), lang, overlay=inputs.overlay)

    build.__name__ = f"build_{indicator}"
    return build


def _has_indicator(indicator: str) -> Callable[[Plan], bool]:
    return lambda plan: indicator in plan.indicator_by_id and bool(_regions(plan, ALL_REGIONS))


def _cumulative_target(plan: Plan):
    return next((tg for tg in plan.targets if tg.window is not None and tg.indicator in plan.indicator_by_id), None)


def _build_cumulative(plan: Plan, lang: str, inputs: ChartInputs) -> go.Figure:
    target = _cumulative_target(plan)
    assert target is not None, "no cumulative target in this plan"
    return contract_figure(plan, target, lang, edited=inputs.overlay.get(target.id))


INDICATOR_CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rd_intensity_pct": ("rd_intensity_pct", ALL_REGIONS),
    "rd_expenditure_100m_yuan": ("rd_expenditure_100m_yuan", PROVINCES),
    "hightech_enterprises": ("hightech_enterprises", PROVINCES),
    "tech_contract_turnover_100m_yuan": ("tech_contract_turnover_100m_yuan", PROVINCES),
    "hightech_revenue_share_pct": ("hightech_revenue_share_pct", ALL_REGIONS),
    "tech_progress_contribution_pct": ("tech_progress_contribution_pct", ALL_REGIONS),
    "hv_invention_patents_per_10k": ("hv_invention_patents_per_10k", ALL_REGIONS),
}


def _plan_only(build: Callable[[Plan, str], go.Figure]) -> Builder:
    """A chart that no what-if edit changes and that does not draw the progress log."""
    return lambda plan, lang, _inputs: build(plan, lang)


def _build_progress_matrix(plan: Plan, lang: str, inputs: ChartInputs) -> go.Figure:
    assert inputs.progress is not None, "no progress log for this plan"
    return coverage_heatmap(plan, coverage_matrix(plan, inputs.progress), lang)


def _has_tasks(plan: Plan) -> bool:
    return bool(plan.tasks)


def _charts() -> dict[str, ChartSpec]:
    charts: dict[str, ChartSpec] = {}
    for chart_id, (indicator, regions) in INDICATOR_CHARTS.items():
        charts[chart_id] = ChartSpec(
            title_key=f"registry.{chart_id}",
            build=_indicator_chart(indicator, regions),
            source_key="registry.source.indicators",
            uses_overlay=True,
            available=_has_indicator(indicator),
        )
    charts["tech_contract_cumulative"] = ChartSpec(
        title_key="registry.tech_contract_cumulative",
        build=_build_cumulative,
        source_key="registry.source.indicators",
        uses_overlay=True,
        available=lambda plan: _cumulative_target(plan) is not None,
    )
    # A slide draws the busiest agencies, as the page does by default; its note points to the page for the rest.
    slide = {"top": AGENCY_CHART_TOP, "on_page": False}
    charts["agency_workload"] = ChartSpec(
        "registry.agency_workload", _plan_only(partial(workload_bars, **slide)), None, available=_has_tasks
    )
    charts["agency_leads"] = ChartSpec(
        "registry.agency_leads", _plan_only(partial(workload_bars, lead_only=True, **slide)), None, available=_has_tasks
    )
    charts["agency_section_heatmap"] = ChartSpec(
        "registry.agency_section_heatmap", _plan_only(partial(section_heatmap, **slide)), "registry.source.tasks", available=_has_tasks
    )
    charts["agency_network"] = ChartSpec(
        "registry.agency_network", _plan_only(slide_network), "registry.source.tasks", available=_has_tasks, shape="square"
    )
    charts["sections_treemap"] = ChartSpec(
        "registry.sections_treemap", _plan_only(section_treemap), "registry.source.tasks", available=_has_tasks
    )
    charts["sections_overview"] = ChartSpec(
        "registry.sections_overview", _plan_only(sections_overview), "registry.source.tasks", available=_has_tasks
    )
    charts["site_map"] = ChartSpec(
        "registry.site_map",
        _plan_only(slide_site_map),
        "registry.source.sites",
        available=lambda plan: any(s.lon is not None for s in plan.sites),
        shape="square",
    )
    charts["site_hierarchy"] = ChartSpec(
        "registry.site_hierarchy", _plan_only(hierarchy_icicle), "registry.source.sites", available=lambda plan: bool(plan.sites)
    )
    charts["progress_matrix"] = ChartSpec(
        "registry.progress_matrix", _build_progress_matrix, None, available=_has_tasks, uses_progress=True, shape="square"
    )
    return charts


CHARTS: dict[str, ChartSpec] = _charts()
