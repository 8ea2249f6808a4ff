"""The briefing file (`data/briefings/*.yaml`): a sequence of slides, each a chart id with a title and a takeaway in zh and en.

It goes through the plan's safe YAML reader and a strict pydantic model, so every
problem comes back with its line and path, and an unknown chart id is a problem, not a crash.
The known chart ids are passed in (`figures/registry.CHARTS`): this layer does not know the figures.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from components.paths import DEFAULT_BRIEFING
from components.plan.loader import Problem, Validated, read_file, validate_yaml
from components.plan.model import Id, Strict, Text

MAX_SLIDES = 40
MAX_BYTES = 1024 * 1024

OneLine = Annotated[str, StringConstraints(min_length=1, max_length=240, pattern=r"^[^\r\n]+$", strip_whitespace=True)]


class LineText(Text):
    """A single line in both interface languages (a title or a takeaway)."""

    zh: OneLine
    en: OneLine


class Slide(Strict):
    chart: Id
    title: LineText
    takeaway: LineText


class Briefing(Strict):
    schema_version: Literal[1]
    title: LineText
    slides: Annotated[list[Slide], Field(min_length=1, max_length=MAX_SLIDES)]


def load_briefing_text(raw: bytes, file: str, charts: Collection[str]) -> Validated[Briefing]:
    """Parse and validate briefing bytes; never raises for bad input. Chart ids not in `charts` are problems."""
    validated = validate_yaml(raw, file, Briefing)
    if validated.value is None:
        return validated
    known = ", ".join(sorted(charts))
    problems = tuple(
        validated.problem_at(("slides", index, "chart"), f"unknown chart {slide.chart!r}; known charts: {known}")
        for index, slide in enumerate(validated.value.slides)
        if slide.chart not in charts
    )
    return Validated(None, problems, validated.lines, file) if problems else validated


def load_briefing_file(charts: Collection[str], path: str | Path = DEFAULT_BRIEFING) -> Validated[Briefing]:
    raw = read_file(path, MAX_BYTES)
    if isinstance(raw, Problem):
        return Validated(None, (raw,))
    return load_briefing_text(raw, Path(path).name, charts)
