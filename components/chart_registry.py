"""Every presentable chart, by id: the one list the briefing, its exports and the tests share.

A `ChartSpec` names its title (a translation key), where its numbers come from
(a translation key filled with the plan's document number) and a pure builder
`(plan, lang, scenario) -> go.Figure`. Builders never read session state: the
what-if scenario arrives as an argument, in the shape pages/indicators.py builds
(target id → (edited TargetSpec, assumed annual change or None)).

Figure modules that other pages own (agency charts, the site map) are imported
when they exist, so the registry lists exactly the charts this checkout can draw.
"""

from __future__ import annotations

import html
import importlib
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType

import plotly.graph_objects as go

from components.chart_style import FONT_FAMILY, apply_style
from components.i18n import t
from components.model import Plan, SiteKind
from components.progress import TargetSpec
from components.target_figures import contract_figure, indicator_figure
from components.whatif import assumed_change, edited_spec

Scenario = Mapping[str, tuple[TargetSpec, float | None]]
Builder = Callable[[Plan, str, Scenario], go.Figure]

# The map's labels are decluttered for 10 px text at this width; slides draw them at 20 px
# on a figure about 1100 px wide, which is the same crowding as 10 px text at 550 px.
MAP_LABEL_WIDTH = 550


@dataclass(frozen=True)
class ChartSpec:
    title_key: str  # what the chart shows, in the translation table
    build: Builder
    source_key: str | None  # footnote for exports, filled with doc=; None when the figure's own footnote names the source
    uses_scenario: bool = False  # whether a what-if edit can change the figure
    available: Callable[[Plan], bool] = lambda plan: True  # e.g. an uploaded plan without this indicator
    shape: str = "wide"  # "wide" (16:9-ish) or "square": how exports size the image

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)

    def source(self, plan: Plan, lang: str) -> str:
        return t(self.source_key, lang, doc=plan.meta.doc_number) if self.source_key else ""


def scenario_of(plan: Plan, edits: Mapping) -> dict[str, tuple[TargetSpec, float | None]]:
    """Usable what-if edits (target id → TargetEdit) → the scenario figures take, as the indicators page builds it."""
    return {
        target.id: (edited_spec(target, edits[target.id]), assumed_change(target, edits[target.id]))
        for target in plan.targets
        if target.id in edits
    }


# --------------------------------------------------------------------------- indicators

# Regions drawn on each indicator chart. Amounts are not drawn next to the national
# total, which is twenty times larger and would flatten both provinces into the axis.
ALL_REGIONS = ("sichuan", "chongqing", "national")
PROVINCES = ("sichuan", "chongqing")


def _regions(plan: Plan, wanted: tuple[str, ...]) -> list[str]:
    return [r for r in wanted if r in plan.region_by_id]


def _indicator_chart(indicator: str, regions: tuple[str, ...]) -> Builder:
    def build(plan: Plan, lang: str, scenario: Scenario) -> go.Figure:
        return indicator_figure(plan, indicator, _regions(plan, regions), lang, scenario=dict(scenario))

    build.__name__ = f"build_{indicator}"
    return build


def _has_indicator(indicator: str) -> Callable[[Plan], bool]:
    return lambda plan: indicator in plan.indicator_by_id and bool(_regions(plan, ALL_REGIONS))


def _cumulative_target(plan: Plan):
    return next((tg for tg in plan.targets if tg.window is not None and tg.indicator in plan.indicator_by_id), None)


def _build_cumulative(plan: Plan, lang: str, scenario: Scenario) -> go.Figure:
    target = _cumulative_target(plan)
    assert target is not None, "no cumulative target in this plan"
    return contract_figure(plan, target, lang, edited=scenario.get(target.id))


INDICATOR_CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rd_intensity_pct": ("rd_intensity_pct", ALL_REGIONS),
    "rd_expenditure_100m_yuan": ("rd_expenditure_100m_yuan", PROVINCES),
    "hightech_enterprises": ("hightech_enterprises", PROVINCES),
    "tech_contract_turnover_100m_yuan": ("tech_contract_turnover_100m_yuan", PROVINCES),
    "hightech_revenue_share_pct": ("hightech_revenue_share_pct", ALL_REGIONS),
    "tech_progress_contribution_pct": ("tech_progress_contribution_pct", ALL_REGIONS),
    "hv_invention_patents_per_10k": ("hv_invention_patents_per_10k", ALL_REGIONS),
}


def _optional(name: str) -> ModuleType | None:
    """A figure module another page owns; None while it does not exist in this checkout."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _charts() -> dict[str, ChartSpec]:
    charts: dict[str, ChartSpec] = {}
    for chart_id, (indicator, regions) in INDICATOR_CHARTS.items():
        charts[chart_id] = ChartSpec(
            title_key=f"registry.{chart_id}",
            build=_indicator_chart(indicator, regions),
            source_key="registry.source.indicators",
            uses_scenario=True,
            available=_has_indicator(indicator),
        )
    charts["tech_contract_cumulative"] = ChartSpec(
        title_key="registry.tech_contract_cumulative",
        build=_build_cumulative,
        source_key="registry.source.indicators",
        uses_scenario=True,
        available=lambda plan: _cumulative_target(plan) is not None,
    )

    figures = _optional("components.responsibility_figures")
    if figures is not None:
        has_tasks = lambda plan: bool(plan.tasks)  # noqa: E731
        charts["agency_workload"] = ChartSpec(
            "registry.agency_workload", lambda plan, lang, _s: figures.workload_bars(plan, lang), None, available=has_tasks
        )
        charts["agency_leads"] = ChartSpec(
            "registry.agency_leads", lambda plan, lang, _s: figures.workload_bars(plan, lang, lead_only=True), None, available=has_tasks
        )
        charts["agency_section_heatmap"] = ChartSpec(
            "registry.agency_section_heatmap", lambda plan, lang, _s: figures.section_heatmap(plan, lang), "registry.source.tasks", available=has_tasks
        )
        charts["agency_network"] = ChartSpec(
            "registry.agency_network", lambda plan, lang, _s: _network(figures, plan, lang), "registry.source.tasks",
            available=has_tasks, shape="square",
        )
        charts["sections_treemap"] = ChartSpec(
            "registry.sections_treemap", lambda plan, lang, _s: figures.section_treemap(plan, lang), "registry.source.tasks", available=has_tasks
        )

    charts["sections_overview"] = ChartSpec(
        "registry.sections_overview", _build_sections_overview, "registry.source.tasks", available=lambda plan: bool(plan.tasks)
    )

    maps = _optional("components.map_figure")
    words = _optional("components.layout_tables")  # the layout page's words for site kinds and hover labels
    if maps is not None and words is not None:
        charts["site_map"] = ChartSpec(
            "registry.site_map", _build_site_map(maps, words), "registry.source.sites",
            available=lambda plan: any(s.lon is not None for s in plan.sites), shape="square",
        )
        charts["site_hierarchy"] = ChartSpec(
            "registry.site_hierarchy", _build_hierarchy(maps, words), "registry.source.sites",
            available=lambda plan: bool(plan.sites),
        )
    return charts


def _network(figures: ModuleType, plan: Plan, lang: str) -> go.Figure:
    """The co-responsibility network without pairs that share a single task (hundreds of faint chords on a slide).

    Slides draw its labels at 20 px instead of 12: the plot takes the full width (legend underneath) and the x range
    is widened so the outer labels stay inside the picture.
    """
    fig = figures.network_figure(plan, lang, min_weight=2)
    low, high = fig.layout.xaxis.range or (None, None)
    if low is not None and high is not None:
        fig.update_xaxes(range=[low * 1.4, high * 1.4], domain=[0, 1])
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top"}, margin={"b": 10})
    return fig


def _build_site_map(maps: ModuleType, words: ModuleType) -> Builder:
    def build(plan: Plan, lang: str, _scenario: Scenario) -> go.Figure:
        fig = maps.site_map_figure(
            plan.sites, maps.bundled_boundaries(), labels=words.kind_labels(lang), lang=lang, tasks_by_site=plan.tasks_by_site,
            connections=plan.connections, ui=words.map_ui(lang), label_width_px=MAP_LABEL_WIDTH, height=800,
        )
        fig.update_layout(title={"text": t("registry.site_map", lang), "x": 0.01, "xanchor": "left"}, margin={"t": 60})
        return fig

    return build


SECTION_COLOURS = ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5", "#d9d9d9"]


def _build_sections_overview(plan: Plan, lang: str, _scenario: Scenario) -> go.Figure:
    """One bar per section: agency assignments (lead + support over its tasks), labelled with its task count."""
    sections = sorted(plan.sections, key=lambda s: s.number)
    tasks = {s.id: [x for x in plan.tasks if x.section == s.id] for s in sections}
    sizes = [sum(len(x.lead) + len(x.support) for x in tasks[s.id]) for s in sections]
    numbers = [s.numeral if lang == "zh" else str(s.number) for s in sections]
    labels = [html.escape(f"({number}) {s.title.get(lang)}") for number, s in zip(numbers, sections)]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=sizes,
            orientation="h",
            text=[t("registry.sections_overview.bar", lang, tasks=len(tasks[s.id]), assignments=size) for s, size in zip(sections, sizes)],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [SECTION_COLOURS[i % len(SECTION_COLOURS)] for i in range(len(sections))], "line": {"color": "#5d6d7e", "width": 1}},
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    apply_style(fig, title=t("registry.sections_overview", lang), height=560)
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)", ticklabelstandoff=8)
    fig.update_xaxes(title_text=t("registry.sections_overview.x", lang), range=[0, max(sizes + [1]) * 1.6], gridcolor="#e5e8ec")
    fig.update_layout(showlegend=False, margin={"b": 60})
    return fig


ONE_CITY = "west_science_city"  # 西部科学城: the "one city" of 一城多园


def _wrap(text: str, width: int) -> str:
    """Break a label for a tile: CJK text by characters, other text at spaces; plan text is escaped for Plotly."""
    if re.search(r"[\u3400-\u9fff]", text):
        lines = [text[i : i + width] for i in range(0, len(text), width)]
    else:
        lines = textwrap.wrap(text, int(width * 2.9)) or [text]
    return "<br>".join(html.escape(line) for line in lines)


def _build_hierarchy(maps: ModuleType, words: ModuleType) -> Builder:
    """一城多园 as an icicle from the root site outwards: horizontal labels that stay legible at slide size."""

    def build(plan: Plan, lang: str, _scenario: Scenario) -> go.Figure:
        root = ONE_CITY if ONE_CITY in plan.site_by_id else None
        frame = maps.hierarchy_frame(plan.sites, lang=lang, kind_labels=words.kind_labels(lang), root_id=root)
        fig = go.Figure(
            go.Icicle(
                ids=frame["id"].tolist(),
                parents=frame["parent"].tolist(),
                labels=[_wrap(label, 12) for label in frame["label"]],
                customdata=[[html.escape(k)] for k in frame["kind_label"]],
                hovertemplate="<b>%{label}</b><br>%{customdata[0]}<extra></extra>",
                marker={"colors": [maps.KIND_STYLE[SiteKind(k)][1] for k in frame["kind"]], "line": {"color": "white", "width": 2}},
                tiling={"orientation": "h"},
                textinfo="label",
                textfont={"family": FONT_FAMILY, "size": 16},
            )
        )
        fig.update_layout(
            title={"text": t("registry.site_hierarchy", lang), "x": 0.01, "xanchor": "left"},
            height=840, margin={"l": 10, "r": 10, "t": 70, "b": 10}, font={"family": FONT_FAMILY},
        )
        return fig

    return build


CHARTS: dict[str, ChartSpec] = _charts()


def build_chart(chart_id: str, plan: Plan, lang: str, scenario: Scenario | None = None) -> go.Figure:
    return CHARTS[chart_id].build(plan, lang, scenario or {})
