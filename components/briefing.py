"""Briefing mode: a sequence of slides read from YAML, and each slide's content in one language.

The sequence is data (`data/briefings/*.yaml`): for each slide a chart id from
`components.chart_registry.CHARTS`, a title and a one-line takeaway in zh and en.
The file goes through the plan's safe YAML reader (`parse_yaml_mapping`) and a
strict pydantic model, so every problem comes back with its line and path, and an
unknown chart id is a problem, not a crash.

Everything here is pure: the page, the HTML pack and the PowerPoint all call
`briefing_contents` with the plan, the language and the scenario they were given.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import plotly.graph_objects as go
from pydantic import Field, StringConstraints

from components.chart_registry import CHARTS, ChartSpec, Scenario
from components.chart_style import big_type
from components.i18n import t
from components.loader import Problem, validate_yaml
from components.model import Id, Plan, Strict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BRIEFING = ROOT / "data" / "briefings" / "default.yaml"
MAX_SLIDES = 40
MIN_LABEL_PX = 20  # every label on a slide
SLIDE_HEIGHT = {"wide": 620, "square": 800}

OneLine = Annotated[str, StringConstraints(min_length=1, max_length=240, pattern=r"^[^\r\n]+$", strip_whitespace=True)]


class LineText(Strict):
    """A single line in both interface languages (a title or a takeaway)."""

    zh: OneLine
    en: OneLine

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Slide(Strict):
    chart: Id
    title: LineText
    takeaway: LineText


class Briefing(Strict):
    schema_version: Literal[1]
    title: LineText
    slides: Annotated[list[Slide], Field(min_length=1, max_length=MAX_SLIDES)]


@dataclass(frozen=True)
class BriefingResult:
    briefing: Briefing | None
    problems: tuple[Problem, ...]


def load_briefing_text(raw: bytes, file: str = "briefing.yaml", charts: dict[str, ChartSpec] | None = None) -> BriefingResult:
    """Parse and validate briefing bytes; never raises for bad input. Unknown chart ids are problems."""
    charts = CHARTS if charts is None else charts
    validated = validate_yaml(raw, file, Briefing)
    if validated.value is None:
        return BriefingResult(None, validated.problems)
    known = ", ".join(sorted(charts))
    problems = tuple(
        validated.problem_at(("slides", index, "chart"), f"unknown chart {slide.chart!r}; known charts: {known}")
        for index, slide in enumerate(validated.value.slides)
        if slide.chart not in charts
    )
    return BriefingResult(None, problems) if problems else BriefingResult(validated.value, ())


def load_briefing_file(path: str | Path = DEFAULT_BRIEFING, charts: dict[str, ChartSpec] | None = None) -> BriefingResult:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return BriefingResult(None, (Problem(path.name, None, "", f"cannot read file: {error.strerror or error}"),))
    return load_briefing_text(raw, path.name, charts)


# --------------------------------------------------------------------------- slide figures


def _is_footnote(annotation) -> bool:
    """The note `chart_style.apply_style` puts under a chart (paper coordinates, bottom left, pushed down)."""
    return (
        annotation.xref == "paper" and annotation.yref == "paper" and annotation.showarrow is False
        and annotation.x == 0 and annotation.y == 0 and (annotation.yshift or 0) < 0
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


def slide_notices(spec: ChartSpec, scenario: Scenario, lang: str, *, other_plan: bool = False) -> tuple[str, ...]:
    """What every slide says about an active what-if scenario and about a plan the takeaways were not written for."""
    notices = []
    if scenario:
        key = "briefing.scenario.applied" if spec.uses_scenario else "briefing.scenario.unaffected"
        notices.append(t(key, lang, count=len(scenario)))
    if other_plan:
        notices.append(t("briefing.other_plan", lang))
    return tuple(notices)


def slide_content(plan: Plan, slide: Slide, number: int, lang: str, scenario: Scenario, *, other_plan: bool = False) -> SlideContent:
    """One slide in `lang`; `other_plan` says the plan is not the bundled one the takeaways describe (an upload)."""
    spec = CHARTS[slide.chart]
    figure, notes = (presentable(spec.build(plan, lang, scenario), spec.shape) if spec.available(plan) else (None, ()))
    return SlideContent(
        number=number,
        chart_id=slide.chart,
        title=slide.title.get(lang),
        takeaway=slide.takeaway.get(lang),
        source=spec.source(plan, lang),
        notes=notes,
        notices=slide_notices(spec, scenario, lang, other_plan=other_plan),
        figure=figure,
        shape=spec.shape,
    )


def briefing_contents(
    plan: Plan, briefing: Briefing, lang: str, scenario: Scenario | None = None, *, other_plan: bool = False
) -> list[SlideContent]:
    return [slide_content(plan, slide, i + 1, lang, scenario or {}, other_plan=other_plan) for i, slide in enumerate(briefing.slides)]


def plain_text(plotly_text: str) -> str:
    """Plotly label markup (`<br>`, the entities `plot_text` writes) → plain text for captions and exports."""
    text = re.sub(r"<br\s*/?>", " ", plotly_text, flags=re.IGNORECASE)
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    return html.unescape(text)


def counter(index: int, total: int) -> str:
    """The slide counter: "3 / 9"."""
    return f"{index + 1} / {total}"
