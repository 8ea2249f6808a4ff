"""What-if edits of target values: parsing what people type, refusing impossible values, and the side-by-side view.

An edit never touches the plan; it is applied on top of it as a `TargetSpec`
so the same `progress.assess` judges the official plan and the scenario.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from components.analysis.targets import (
    Assessment,
    Status,
    TargetSpec,
    assess_target,
    charted_points,
    format_amount,
    format_change,
    format_trend,
    is_growth_kind,
    spec_of,
    trend_basis_text,
)
from components.i18n import t
from components.plan.model import Plan, QuantityKind, Target, TargetEdit

YEARS_AFTER_PLAN = 25  # a what-if target year may lie at most this long after the plan's period ends
ABSURD_FACTOR = 100
GROWTH_LIMITS = {"rate": (-100.0, 200.0), "points": (-20.0, 20.0)}  # % a year; percentage points a year


@dataclass(frozen=True)
class EditProblem:
    """A refusal shown next to the field: `key` is a translation key, `values` fill it in."""

    field: str
    key: str
    values: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None
    problem: str | None  # translation key


_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # full-width forms → ASCII
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+", re.ASCII)
_WHOLE = re.compile(r"[+-]?\d{1,6}", re.ASCII)


def _as_typed(text: str | None) -> str:
    """Full-width digits and signs as ASCII, spaces gone; other look-alikes (², ①, Arabic-Indic digits) stay and are refused."""
    return (text or "").translate(_FULL_WIDTH).strip().replace(" ", "").replace("\u00a0", "")


def parse_number(text: str) -> ParsedNumber:
    """Numbers as officials type them: full-width digits, thousands separators, a trailing % or 万.

    A comma only separates thousands (16,000); `2,5` is refused with a note rather than read as 25
    or guessed to be 2.5. Exponents, NaN and infinities are not numbers here.
    """
    cleaned = _as_typed(text)
    if not cleaned:
        return ParsedNumber(None, "whatif.err.empty")
    multiplier = 1.0
    if cleaned[-1] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[cleaned[-1]]
        cleaned = cleaned[:-1]
    cleaned = cleaned.removesuffix("%")
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned):
            return ParsedNumber(None, "whatif.err.decimal_comma" if _DECIMAL_COMMA.fullmatch(cleaned) else "whatif.err.not_number")
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.fullmatch(cleaned):
        return ParsedNumber(None, "whatif.err.not_number")
    value = float(cleaned) * multiplier
    if not math.isfinite(value):
        return ParsedNumber(None, "whatif.err.not_number")
    return ParsedNumber(value, None)


def parse_year(text: str) -> ParsedNumber:
    """A target year as typed: whole ASCII or full-width digits; `2024.5` is refused as not a whole year."""
    cleaned = _as_typed(text)
    if not cleaned:
        return ParsedNumber(None, "whatif.err.empty")
    if _WHOLE.fullmatch(cleaned):
        return ParsedNumber(int(cleaned), None)
    if "." in cleaned and _PLAIN.fullmatch(cleaned):
        return ParsedNumber(None, "whatif.err.year_whole")
    return ParsedNumber(None, "whatif.err.not_number")


def target_year_range(plan: Plan) -> tuple[int, int]:
    """Target years a what-if edit may name: from the plan's first year to YEARS_AFTER_PLAN years after its last.

    The rule comes from the plan's own years, so a target without any data still has bounds
    (no 5, 1900 or -99999), and every accepted year fits the scenario file's year type.
    """
    return plan.meta.period_start, min(plan.meta.period_end + YEARS_AFTER_PLAN, 2100)


def last_actual_year(plan: Plan, target: Target) -> int | None:
    points = charted_points(plan.observations, target.indicator, target.region)
    return points[-1].year if points else None


def check_edit(plan: Plan, target: Target, edit: TargetEdit) -> list[EditProblem]:
    """Why an edit cannot be applied; empty when it can."""
    problems: list[EditProblem] = []
    kind = target.kind
    if edit.value is not None:
        points = charted_points(plan.observations, target.indicator, target.region)
        scale = max([abs(target.value)] + [abs(p.value) for p in points])
        if edit.value < 0:
            problems.append(EditProblem("value", "whatif.err.negative"))
        elif edit.value == 0:
            problems.append(EditProblem("value", "whatif.err.zero"))
        elif kind is QuantityKind.share and edit.value > 100:
            problems.append(EditProblem("value", "whatif.err.share_over_100"))
        elif edit.value > scale * ABSURD_FACTOR:
            problems.append(EditProblem("value", "whatif.err.absurd", {"limit": f"{scale * ABSURD_FACTOR:,.0f}"}))
    if edit.target_year is not None:
        last = last_actual_year(plan, target)
        earliest, latest = target_year_range(plan)
        if last is not None and edit.target_year < last:
            problems.append(EditProblem("target_year", "whatif.err.year_before_actual", {"year": last}))
        elif target.window is not None and edit.target_year < target.window.start:
            problems.append(EditProblem("target_year", "whatif.err.year_before_window", {"year": target.window.start}))
        elif edit.target_year < earliest:
            problems.append(EditProblem("target_year", "whatif.err.year_before_plan", {"year": earliest}))
        elif edit.target_year > latest:
            problems.append(EditProblem("target_year", "whatif.err.year_too_late", {"year": latest}))
    if edit.growth_pct is not None:
        low, high = GROWTH_LIMITS["points" if kind is QuantityKind.share else "rate"]
        if not low < edit.growth_pct <= high:
            problems.append(EditProblem("growth_pct", "whatif.err.growth_absurd", {"low": low, "high": high}))
    return problems


def edited_spec(target: Target, edit: TargetEdit | None) -> TargetSpec:
    official = spec_of(target)
    if edit is None:
        return official
    return TargetSpec(
        value=edit.value if edit.value is not None else official.value,
        target_year=edit.target_year if edit.target_year is not None else official.target_year,
        kind=official.kind,
        comparator=official.comparator,
        window_start=official.window_start,
    )


def assumed_change(target: Target, edit: TargetEdit | None) -> float | None:
    """Growth as typed (% or points per year) → the unit `progress.assess` works in."""
    if edit is None or edit.growth_pct is None:
        return None
    if is_growth_kind(target.kind) or target.kind is QuantityKind.cumulative:
        return edit.growth_pct / 100
    return edit.growth_pct


class EditedTarget(NamedTuple):
    """A target as a what-if edit leaves it: the spec that is judged and the annual change assumed instead of the trend."""

    spec: TargetSpec
    assumed_change: float | None


Overlay = Mapping[str, EditedTarget]  # target id → its edited form: what figures draw on top of the plan


def overlay_of(plan: Plan, edits: Mapping[str, TargetEdit]) -> dict[str, EditedTarget]:
    """Usable edits → the overlay that figures draw; the one place edits turn into specs."""
    return {
        target.id: EditedTarget(edited_spec(target, edits[target.id]), assumed_change(target, edits[target.id]))
        for target in plan.targets
        if target.id in edits
    }


def assess_with_edit(plan: Plan, target: Target, edit: TargetEdit | None) -> Assessment:
    return assess_target(plan, target, edited_spec(target, edit), assumed_change(target, edit))


def usable_edits(plan: Plan, edits: dict[str, TargetEdit]) -> dict[str, TargetEdit]:
    """Only edits for targets this plan has and that pass every check; the rest are ignored, never half-applied."""
    targets = {target.id: target for target in plan.targets}
    return {target_id: edit for target_id, edit in edits.items() if target_id in targets and not check_edit(plan, targets[target_id], edit)}


def comparison_table(plan: Plan, scenarios: dict[str, dict[str, TargetEdit]], lang: str) -> pd.DataFrame:
    """One row per target and scenario, the official plan first: the same measures side by side."""
    rows = []
    for target in plan.targets:
        decimals = plan.indicator_by_id[target.indicator].decimals
        for name, edits in scenarios.items():
            edit = edits.get(target.id)
            spec = edited_spec(target, edit)
            result = assess_with_edit(plan, target, edit)
            met = result.status in (Status.achieved_early, Status.achieved)
            rows.append(
                {
                    t("col.target", lang): target.name.get(lang),
                    t("col.scenario", lang): name,
                    t("col.target_value", lang): f"{spec.value:,g} ({spec.target_year})",
                    t("col.required", lang): t("whatif.met", lang) if met else format_change(result.required_change, target.kind, lang),
                    t("col.trend", lang): format_trend(result.trend, target.kind, lang),
                    t("col.trend_basis", lang): trend_basis_text(
                        plan, target, result, lang, assumed=edit is not None and edit.growth_pct is not None
                    ),
                    t("col.projected", lang): format_amount(result.projected, decimals),
                    t("col.year_reached", lang): str(result.year_reached) if result.year_reached else "—",
                    t("col.status", lang): t(f"status.{result.status.value}", lang),
                }
            )
    return pd.DataFrame(rows)
