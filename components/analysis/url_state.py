"""The indicator view as plain query parameters, so a link reopens the same chart and what-if values.

Only plain text goes into a URL (never pickled objects); everything read back
is checked against the plan, and whatever does not fit is dropped with a note.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from components.analysis.responsibility import ROLE_CHOICES, RoleChoice
from components.analysis.whatif import check_edit
from components.plan.model import Plan, TargetEdit
from components.plan.progress import Side, Stage

MAX_PARAM_LENGTH = 2000
MAX_KEYWORD = 100  # the keyword box takes at most this many characters


@dataclass(frozen=True)
class ViewState:
    indicator: str | None = None
    regions: tuple[str, ...] | None = None
    edits: dict[str, TargetEdit] = field(default_factory=dict)


_URL_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d{1,3})?", re.ASCII)  # what `_fmt` writes, nothing more
_URL_YEAR = re.compile(r"\d{4}", re.ASCII)


def _number(text: str) -> float | None:
    """A number as `_fmt` writes it: `float()` alone also takes `nan`, `1_0`, `٣` and spaces."""
    if not text:
        return None
    value = float(text) if _URL_NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _year(text: str) -> int | None:
    if not text:
        return None
    if not _URL_YEAR.fullmatch(text):
        raise ValueError(text)
    return int(text)


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
    if "regions" in params:  # once each, known ones only: `sichuan,` repeated 50,000 times drew 50,000 lines
        regions = _listed(params, "regions", plan.region_by_id, ignored) or None
        if regions is None:
            ignored.append("regions")
    edits: dict[str, TargetEdit] = {}
    raw = params.get("whatif", "")
    if len(raw) > MAX_PARAM_LENGTH:
        ignored.append("whatif")
        raw = ""
    targets = {target.id: target for target in plan.targets}
    for item in filter(None, raw.split(";")):
        try:
            target_id, value, year, growth = item.split(":")
            edit = TargetEdit(value=_number(value), target_year=_year(year), growth_pct=_number(growth))
        except (ValueError, TypeError):
            ignored.append("whatif")
            continue
        if edit == TargetEdit():  # `id:::` changes nothing: not counted as a changed target
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


PROGRESS_VIEWS = ("matrix", "timeline", "entries", "agencies")
MAX_LIST_ITEMS = 50


@dataclass(frozen=True)
class ProgressView:
    """The progress page's view: which part is shown, the timeline's task, the agency looked at and the filters."""

    view: str = "matrix"
    task: int | None = None
    sections: tuple[str, ...] = ()
    agency: str | None = None
    role: RoleChoice = "any"
    sites: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()
    years: tuple[int, ...] = ()
    sides: tuple[Side, ...] = ()
    keyword: str = ""


def encode_progress_view(view: ProgressView) -> dict[str, str]:
    """Only what differs from the default view goes into the link."""
    params = {
        "view": view.view if view.view != "matrix" else "",
        "task": str(view.task) if view.task is not None else "",
        "section": ",".join(view.sections),
        "agency": view.agency or "",
        "role": view.role if view.role != "any" else "",
        "site": ",".join(view.sites),
        "stage": ",".join(stage.value for stage in view.stages),
        "year": ",".join(map(str, view.years)),
        "side": ",".join(side.value for side in view.sides),
        "q": view.keyword,
    }
    return {key: value for key, value in params.items() if value}


def _listed(params: dict[str, str], key: str, known: Collection[str], ignored: list[str]) -> tuple[str, ...]:
    """A comma list of known values; a list that is too long or names unknown values is noted as ignored (in part or whole)."""
    raw = params.get(key, "")
    items = [item for item in raw.split(",") if item] if len(raw) <= MAX_PARAM_LENGTH else None
    if items is None or len(items) > MAX_LIST_ITEMS:
        ignored.append(key)
        return ()
    kept = tuple(dict.fromkeys(item for item in items if item in known))
    if len(kept) != len(set(items)):
        ignored.append(key)
    return kept


def decode_progress_view(params: dict[str, str], plan: Plan) -> tuple[ProgressView, list[str]]:
    """Read the progress view back from a link, keeping only values this plan knows; returns the names of parameters ignored."""
    ignored: list[str] = []
    view = params.get("view", "matrix")
    if view not in PROGRESS_VIEWS:
        ignored.append("view")
        view = "matrix"
    task = task_number_param(params.get("task"), plan)
    if params.get("task") and task is None:
        ignored.append("task")
    agency = params.get("agency") or None
    if agency is not None and agency not in plan.agency_by_id:
        ignored.append("agency")
        agency = None
    role = params.get("role", "any")
    if role not in ROLE_CHOICES:
        ignored.append("role")
        role = "any"
    years = _listed(params, "year", {str(year) for year in range(2000, 2101)}, ignored)
    keyword = params.get("q", "")
    if len(keyword) > MAX_KEYWORD:
        ignored.append("q")
        keyword = ""
    chosen = ProgressView(
        view=view,
        task=task,
        sections=_listed(params, "section", plan.section_by_id, ignored),
        agency=agency,
        role=role,
        sites=_listed(params, "site", plan.site_by_id, ignored),
        stages=tuple(Stage(value) for value in _listed(params, "stage", {stage.value for stage in Stage}, ignored)),
        years=tuple(int(year) for year in years),
        sides=tuple(Side(value) for value in _listed(params, "side", {side.value for side in Side}, ignored)),
        keyword=keyword,
    )
    return chosen, sorted(set(ignored))
