"""Where a target stands: baselines, required paths, trends and the status word.

All pure arithmetic on plain numbers so each rule can be tested on constructed
cases. Levels and counts grow by compound rates; shares and intensities move
in percentage points; a cumulative target sums annual values over its window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from components.i18n import t
from components.plan.model import Comparator, Flag, Observation, Plan, QuantityKind, Target

TREND_POINTS = 3
ON_PATH_BAND = 0.10  # within ±10 % of the progress the straight path asks for by that year
# Values that are not a final measurement of the level: the recent trend leaves them out, so a
# preliminary latest year is never silently mixed with final ones (it is still charted and judged).
PROVISIONAL_FLAGS = frozenset({Flag.preliminary, Flag.snapshot, Flag.lower_bound})


class Status(str, Enum):
    achieved_early = "achieved_early"  # 提前完成
    achieved = "achieved"  # 已完成 (met in the target year itself)
    ahead = "ahead"  # 快于预期
    on_track = "on_track"  # 符合预期
    behind = "behind"  # 滞后
    no_data = "no_data"  # 无数据


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    provisional: bool = False  # preliminary, a snapshot or a lower bound: not used for the trend


@dataclass(frozen=True)
class TargetSpec:
    """The parts of a target that a what-if edit can change, plus what it needs to be judged."""

    value: float
    target_year: int
    kind: QuantityKind
    comparator: Comparator
    window_start: int | None = None


@dataclass(frozen=True)
class Assessment:
    baseline: Point | None
    latest: Point | None
    progress_share: float | None  # baseline → target, 0..1+ (cumulative: sum so far / target)
    required_change: float | None  # per year from latest to target: rate (levels) or points (shares) or amount (cumulative)
    trend: float | None  # recent change per year, same unit as required_change
    projected: float | None  # value in the target year if the trend holds
    year_reached: int | None  # first year the trend meets the target; None if never within 2100
    status: Status
    expected_now: float | None  # where the straight path says the value should be in the latest year
    trend_years: tuple[int, ...] = ()  # the final values' years the recent trend is computed from (empty: no trend from data)
    left_out: tuple[int, ...] = ()  # provisional years the trend did not use although they are recent


def spec_of(target: Target) -> TargetSpec:
    return TargetSpec(
        value=target.value,
        target_year=target.target_year,
        kind=target.kind,
        comparator=target.comparator,
        window_start=target.window.start if target.window else None,
    )


def charted_observations(observations: list[Observation], indicator: str, region: str) -> list[Observation]:
    """The values charts use (one per year), oldest first; missing years stay missing."""
    return sorted(
        (o for o in observations if o.indicator == indicator and o.region == region and o.charted),
        key=lambda o: o.year,
    )


def is_provisional(observation: Observation) -> bool:
    return bool(PROVISIONAL_FLAGS.intersection(observation.flags))


def charted_points(observations: list[Observation], indicator: str, region: str) -> list[Point]:
    return [Point(o.year, o.value, is_provisional(o)) for o in charted_observations(observations, indicator, region)]


def cumulative_points(annual: list[Point], start: int) -> list[Point]:
    """Running sums from `start`; they stop at the first missing year, because a gap cannot be summed over."""
    by_year = {p.year: p.value for p in annual}
    total = 0.0
    result = []
    year = start
    while year in by_year:
        total += by_year[year]
        result.append(Point(year, round(total, 6)))
        year += 1
    return result


def is_growth_kind(kind: QuantityKind) -> bool:
    """Levels and counts are compared by compound rates; shares by points."""
    return kind in (QuantityKind.level, QuantityKind.count)


def compound_rate(start: float, end: float, years: int) -> float | None:
    if years <= 0 or start <= 0 or end <= 0:
        return None
    return (end / start) ** (1 / years) - 1


def meets(value: float, spec: TargetSpec) -> bool:
    if spec.comparator in (Comparator.exceed, Comparator.cumulative_exceed):
        return value > spec.value
    return value >= spec.value


def path_value(baseline: Point, spec: TargetSpec, year: int) -> float:
    """The straight path from baseline to target: geometric for levels and counts, linear otherwise."""
    span = spec.target_year - baseline.year
    share = (year - baseline.year) / span
    if is_growth_kind(spec.kind) and baseline.value > 0 and spec.value > 0:
        return baseline.value * (spec.value / baseline.value) ** share
    return baseline.value + (spec.value - baseline.value) * share


def recent_trend(points: list[Point], kind: QuantityKind) -> float | None:
    """Average change per year over the last few points: a rate for levels, points (or amount) otherwise."""
    recent = points[-TREND_POINTS:]
    if len(recent) < 2:
        return None
    first, last = recent[0], recent[-1]
    years = last.year - first.year
    if is_growth_kind(kind):
        return compound_rate(first.value, last.value, years)
    return (last.value - first.value) / years


def trend_basis(points: list[Point]) -> tuple[list[Point], list[Point]]:
    """The final values the recent trend uses (the last few) and the provisional ones it leaves out.

    "Left out" are the provisional values the trend would have reached had every value counted (the
    last few points, or anything newer than the oldest value used); older ones are not mentioned.
    """
    used = [p for p in points if not p.provisional][-TREND_POINTS:]
    reach = min([p.year for p in points[-TREND_POINTS:]] + [p.year for p in used[:1]], default=0)
    left_out = [p for p in points if p.provisional and p.year >= reach]
    return used, left_out


def project(latest: Point, change: float, kind: QuantityKind, year: int) -> float:
    steps = year - latest.year
    if is_growth_kind(kind):
        return latest.value * (1 + change) ** steps
    return latest.value + change * steps


def first_year_reaching(latest: Point, change: float, spec: TargetSpec, *, horizon: int = 2100) -> int | None:
    value = latest.value
    for year in range(latest.year + 1, horizon + 1):
        value = value * (1 + change) if is_growth_kind(spec.kind) else value + change
        if meets(value, spec):
            return year
    return None


def required_change(latest: Point, spec: TargetSpec) -> float | None:
    years = spec.target_year - latest.year
    if years <= 0:
        return None
    if is_growth_kind(spec.kind):
        return compound_rate(latest.value, spec.value, years)
    return (spec.value - latest.value) / years


def judge(progress: float | None, expected: float | None, met: bool, latest_year: int | None, target_year: int) -> Status:
    """The status rule, in one place; README and the page explain it in words."""
    if latest_year is None:
        return Status.no_data
    if met:
        return Status.achieved_early if latest_year < target_year else Status.achieved
    if progress is None or expected is None or expected <= 0:
        return Status.no_data
    ratio = progress / expected
    if ratio >= 1 + ON_PATH_BAND:
        return Status.ahead
    if ratio >= 1 - ON_PATH_BAND:
        return Status.on_track
    return Status.behind


def assess(points: list[Point], spec: TargetSpec, baseline_year: int, assumed_change: float | None = None) -> Assessment:
    """Judge one target from its charted series; `assumed_change` replaces the recent trend (a what-if)."""
    if spec.kind is QuantityKind.cumulative:
        return _assess_cumulative(points, spec, assumed_change)
    before = [p for p in points if p.year <= baseline_year]
    baseline = before[-1] if before else (points[0] if points else None)
    latest = points[-1] if points else None
    if latest is None or baseline is None:
        return Assessment(baseline, latest, None, None, None, None, None, Status.no_data, None)
    used, left_out = trend_basis(points)
    data_trend = recent_trend(used, spec.kind)
    trend = assumed_change if assumed_change is not None else data_trend
    projected = project(latest, trend, spec.kind, spec.target_year) if trend is not None and latest.year < spec.target_year else None
    met = meets(latest.value, spec)
    if met:
        reached = next(p.year for p in points if p.year >= baseline.year and meets(p.value, spec))
    else:
        reached = first_year_reaching(latest, trend, spec) if trend is not None else None
    span = spec.value - baseline.value
    progress_share = (latest.value - baseline.value) / span if span else None
    expected_now = None
    made = expected = None
    if latest.year > baseline.year and spec.target_year > baseline.year:
        expected_now = path_value(baseline, spec, min(latest.year, spec.target_year))
        made, expected = latest.value - baseline.value, expected_now - baseline.value
    status = judge(made, expected, met, latest.year, spec.target_year)
    return Assessment(
        baseline,
        latest,
        progress_share,
        required_change(latest, spec),
        trend,
        projected,
        reached,
        status,
        expected_now,
        _years(used) if data_trend is not None else (),
        _years(left_out),
    )


def _years(points: list[Point]) -> tuple[int, ...]:
    return tuple(p.year for p in points)


def _assess_cumulative(annual: list[Point], spec: TargetSpec, assumed_change: float | None) -> Assessment:
    start = spec.window_start if spec.window_start is not None else spec.target_year
    running = cumulative_points(annual, start)
    if not running:
        return Assessment(None, None, None, None, None, None, None, Status.no_data, None)
    latest = running[-1]
    baseline = Point(start - 1, 0.0)
    window_years = spec.target_year - start + 1
    elapsed = latest.year - start + 1
    expected_now = spec.value * elapsed / window_years
    years_left = spec.target_year - latest.year
    needed = (spec.value - latest.value) / years_left if years_left > 0 else None
    in_window = [p for p in annual if start <= p.year <= latest.year]
    used, left_out = trend_basis(in_window or annual)
    data_rate = recent_trend(used, QuantityKind.level)
    rate = assumed_change if assumed_change is not None else data_rate
    last_annual = in_window[-1] if in_window else None
    projected = None
    reached = None
    if rate is not None and last_annual is not None:
        total, value = latest.value, last_annual.value
        for year in range(latest.year + 1, 2101):
            value *= 1 + rate
            total += value
            if year == spec.target_year:
                projected = total
            if reached is None and meets(total, spec):
                reached = year
            if year >= spec.target_year and reached is not None:
                break
    met = meets(latest.value, spec)
    if met:
        reached = next(p.year for p in running if meets(p.value, spec))
    status = judge(latest.value, expected_now, met, latest.year, spec.target_year)
    trend_years = _years(used) if data_rate is not None else ()
    return Assessment(
        baseline, latest, latest.value / spec.value, needed, rate, projected, reached, status, expected_now, trend_years, _years(left_out)
    )


def assess_target(plan: Plan, target: Target, spec: TargetSpec | None = None, assumed_change: float | None = None) -> Assessment:
    points = charted_points(plan.observations, target.indicator, target.region)
    return assess(points, spec or spec_of(target), plan.meta.baseline_year, assumed_change)


def flag_words(flags: Iterable[Flag], lang: str) -> str:
    """An observation's caveats in words ("初步数据、推算值"), as cards, tables and hovers print them."""
    return t("list.separator", lang).join(t(f"flag.{flag.value}", lang) for flag in flags)


def status_words(observation: Observation, lang: str) -> str:
    """An observation's caveats in words, a snapshot with the date it counts at ("截至 2025-09 的时点数、二手来源")."""
    return t("list.separator", lang).join(
        t("card.snapshot_as_of", lang, as_of=observation.as_of)
        if flag is Flag.snapshot and observation.as_of
        else t(f"flag.{flag.value}", lang)
        for flag in observation.flags
    )


def trend_basis_text(plan: Plan, target: Target, result: Assessment, lang: str, *, assumed: bool = False) -> str:
    """Which years the recent trend is computed from, and which recent provisional values it leaves out, in words."""
    if assumed:
        return t("trend.assumed", lang)
    if result.trend_years:
        text = t("trend.years", lang, first=result.trend_years[0], last=result.trend_years[-1])
    else:
        text = t("trend.too_few", lang)
    if result.left_out:
        by_year = {o.year: o for o in charted_observations(plan.observations, target.indicator, target.region)}
        items = [
            t("trend.item", lang, year=year, flags=flag_words([f for f in by_year[year].flags if f in PROVISIONAL_FLAGS], lang))
            for year in result.left_out
        ]
        text += t("trend.left_out", lang, items=t("list.separator", lang).join(items))
    return text


def format_change(value: float | None, kind: QuantityKind, lang: str) -> str:
    if value is None:
        return "—"
    if is_growth_kind(kind):
        return t("unit.rate_per_year", lang, value=f"{value * 100:+.1f}")
    if kind is QuantityKind.cumulative:
        return t("unit.amount_per_year", lang, value=f"{value:,.1f}")
    return t("unit.points_per_year", lang, value=f"{value:+.2f}")


def format_trend(value: float | None, kind: QuantityKind, lang: str) -> str:
    """A cumulative target's trend is the growth rate of its annual amounts."""
    return format_change(value, QuantityKind.level if kind is QuantityKind.cumulative else kind, lang)


def format_amount(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"
