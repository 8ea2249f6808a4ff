"""The indicator view as plain query parameters, so a link reopens the same chart and what-if values.

Only plain text goes into a URL (never pickled objects); everything read back
is checked against the plan, and whatever does not fit is dropped with a note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from components.analysis.whatif import check_edit
from components.plan.model import Plan, TargetEdit

MAX_PARAM_LENGTH = 2000


@dataclass(frozen=True)
class ViewState:
    indicator: str | None = None
    regions: tuple[str, ...] | None = None
    edits: dict[str, TargetEdit] = field(default_factory=dict)


def _number(text: str) -> float | None:
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def encode_edits(edits: dict[str, TargetEdit]) -> str:
    """`id:value:year:growth` joined by `;`, empty parts for what is not edited."""
    return ";".join(f"{target_id}:{_fmt(e.value)}:{e.target_year or ''}:{_fmt(e.growth_pct)}" for target_id, e in sorted(edits.items()))


def encode_view(view: ViewState) -> dict[str, str]:
    params: dict[str, str] = {}
    if view.indicator:
        params["indicator"] = view.indicator
    if view.regions is not None:
        params["regions"] = ",".join(view.regions)
    if view.edits:
        params["whatif"] = encode_edits(view.edits)
    return params


def decode_view(params: dict[str, str], plan: Plan) -> tuple[ViewState, list[str]]:
    """Read a view back; returns what was usable and the names of parameters that were ignored."""
    ignored: list[str] = []
    indicator = params.get("indicator")
    if indicator is not None and indicator not in plan.indicator_by_id:
        ignored.append("indicator")
        indicator = None
    regions: tuple[str, ...] | None = None
    if "regions" in params:
        wanted = [r for r in params["regions"].split(",") if r]
        regions = tuple(r for r in wanted if r in plan.region_by_id)
        if len(regions) != len(wanted) or not regions:
            ignored.append("regions")
            regions = regions or None
    edits: dict[str, TargetEdit] = {}
    raw = params.get("whatif", "")
    if len(raw) > MAX_PARAM_LENGTH:
        ignored.append("whatif")
        raw = ""
    targets = {target.id: target for target in plan.targets}
    for item in filter(None, raw.split(";")):
        try:
            target_id, value, year, growth = item.split(":")
            edit = TargetEdit(value=_number(value), target_year=int(year) if year else None, growth_pct=_number(growth))
        except (ValueError, TypeError):
            ignored.append("whatif")
            continue
        if target_id not in targets or check_edit(plan, targets[target_id], edit):
            ignored.append("whatif")
            continue
        edits[target_id] = edit
    return ViewState(indicator, regions, edits), sorted(set(ignored))


MAX_TASK_DIGITS = 6


def task_number_param(text: str | None, plan: Plan) -> int | None:
    """`?task=N` from a link: a task number of this plan, else None (`²`, `①` and 5,000-digit numbers included)."""
    if not text or len(text) > MAX_TASK_DIGITS or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if any(task.number == number for task in plan.tasks) else None
