"""Each briefing slide's content in one language: its chart made presentable, its title, takeaway, notes and notices.

Everything here is pure: the page, the HTML pack and the PowerPoint all take the
`SlideContent` list that `deck_for` builds from the plan, the language and the what-if overlay they were given.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from components.analysis.whatif import Overlay
from components.figures.registry import CHARTS, ChartInputs, ChartSpec
from components.figures.style import big_type
from components.i18n import t
from components.plan.briefing_file import Briefing, Slide
from components.plan.model import Plan

MIN_LABEL_PX = 20  # every label on a slide
SLIDE_HEIGHT = {"wide": 620, "square": 800}


def _is_footnote(annotation) -> bool:
    """The note `figures/style.apply_style` puts under a chart (paper coordinates, bottom left, pushed down)."""
    return (
        annotation.xref == "paper"
        and annotation.yref == "paper"
        and annotation.showarrow is False
        and annotation.x == 0
        and annotation.y == 0
        and (annotation.yshift or 0) < 0
    )


def presentable(fig: go.Figure, shape: str = "wide") -> tuple[go.Figure, tuple[str, ...]]:
    """A copy for a slide: labels at least 20 px, titles larger, the footnote lifted out as text.

    Footnotes become text under the slide (they would run off a slide at 20 px);
    they are returned so the page and the exports can print them.
    """
    fig = go.Figure(fig)  # a copy: the caller's figure is left as it was
    notes = tuple(a.text for a in fig.layout.annotations if _is_footnote(a))
    fig.layout.annotations = [a for a in fig.layout.annotations if not _is_footnote(a)]
    big_type(fig)
    for annotation in fig.layout.annotations:
        if (annotation.font.size or 0) < MIN_LABEL_PX:
            annotation.font.size = MIN_LABEL_PX
    for trace in fig.data:
        for attribute in ("textfont", "insidetextfont", "outsidetextfont"):
            font = getattr(trace, attribute, None) if attribute in trace else None
            if font is not None and font.size is not None and _smaller(font.size):
                font.size = MIN_LABEL_PX
    fig.update_layout(uniformtext={"minsize": MIN_LABEL_PX, "mode": "hide"})
    margin = fig.layout.margin
    fig.update_layout(
        height=max(fig.layout.height or 0, SLIDE_HEIGHT.get(shape, SLIDE_HEIGHT["wide"])),
        margin={"b": min(margin.b if margin.b is not None else 80, 110), "t": max(margin.t or 0, 80)},
        hoverlabel={"font": {"size": 18}},
    )
    return fig, notes


def _smaller(size) -> bool:
    if isinstance(size, (list, tuple)):
        return any(s is not None and s < MIN_LABEL_PX for s in size)
    return size < MIN_LABEL_PX


@dataclass(frozen=True)
class SlideContent:
    """One slide in one language, ready for the page, the HTML pack or the PowerPoint."""

    number: int  # 1-based
    chart_id: str
    title: str
    takeaway: str
    source: str
    notes: tuple[str, ...]  # the chart's own footnotes (how to read it, where its numbers come from)
    notices: tuple[str, ...]  # what the viewer must know first: an active what-if scenario, another plan than the bundled one
    figure: go.Figure | None  # None when this plan lacks the chart's data
    shape: str


def slide_notices(spec: ChartSpec, overlay: Overlay, lang: str, *, other_plan: bool = False) -> tuple[str, ...]:
    """What every slide says about an active what-if scenario and about a plan the takeaways were not written for."""
    notices = []
    if overlay:
        key = "briefing.scenario.applied" if spec.uses_overlay else "briefing.scenario.unaffected"
        notices.append(t(key, lang, count=len(overlay)))
    if other_plan:
        notices.append(t("briefing.other_plan", lang))
    return tuple(notices)


def slide_content(plan: Plan, slide: Slide, number: int, lang: str, inputs: ChartInputs, *, other_plan: bool = False) -> SlideContent:
    """One slide in `lang`; `other_plan` says the plan is not the bundled one the takeaways describe (an upload)."""
    spec = CHARTS[slide.chart]
    figure, notes = presentable(spec.build(plan, lang, inputs), spec.shape) if spec.can_draw(plan, inputs) else (None, ())
    return SlideContent(
        number=number,
        chart_id=slide.chart,
        title=slide.title.get(lang),
        takeaway=slide.takeaway.get(lang),
        source=spec.source(plan, lang),
        notes=notes,
        notices=slide_notices(spec, inputs.overlay, lang, other_plan=other_plan),
        figure=figure,
        shape=spec.shape,
    )


Progress = Callable[[int, int, str], None]  # (done, total, title of the slide being made)


@dataclass(frozen=True)
class Deck:
    """A briefing ready for export: the plan it describes, its title and slides in one language, and what its cover says."""

    plan: Plan
    title: str
    slides: tuple[SlideContent, ...]
    lang: str
    exported: dt.date
    scenario_count: int = 0  # targets changed by the what-if overlay the slides were drawn with


def deck_for(
    plan: Plan,
    briefing: Briefing,
    lang: str,
    inputs: ChartInputs,
    *,
    exported: dt.date,
    other_plan: bool = False,
    progress: Progress | None = None,
) -> Deck:
    """Every slide of the briefing in `lang`, drawn with the inputs; `progress` hears of each slide before it is drawn."""
    total = len(briefing.slides)
    slides = []
    for number, slide in enumerate(briefing.slides, start=1):
        if progress:
            progress(number, total, slide.title.get(lang))
        slides.append(slide_content(plan, slide, number, lang, inputs, other_plan=other_plan))
    return Deck(plan, briefing.title.get(lang), tuple(slides), lang, exported, len(inputs.overlay))


def plain_text(plotly_text: str) -> str:
    """Plotly label markup (`<br>`, the entities `plot_text` writes) → plain text for captions and exports."""
    text = re.sub(r"<br\s*/?>", " ", plotly_text, flags=re.IGNORECASE)
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    return html.unescape(text)


def counter(index: int, total: int) -> str:
    """The slide counter: "3 / 9"."""
    return f"{index + 1} / {total}"
