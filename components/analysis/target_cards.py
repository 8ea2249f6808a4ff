"""The content of one overview card per target, as plain strings ready to lay out."""

from __future__ import annotations

from dataclasses import dataclass

from components.analysis.targets import (
    Assessment,
    Status,
    assess_target,
    charted_observations,
    format_amount,
    format_change,
    status_words,
)
from components.i18n import t
from components.plan.model import Flag, Observation, Plan, QuantityKind, Target

# The order a card explains a value's caveats in: what most changes how to read the number first.
CAVEAT_ORDER: tuple[Flag, ...] = (
    Flag.snapshot,
    Flag.preliminary,
    Flag.lower_bound,
    Flag.derived,
    Flag.year_inferred,
    Flag.different_definition,
    Flag.secondary,
)


@dataclass(frozen=True)
class TargetCard:
    target_id: str
    title: str
    target: str
    latest: str
    latest_source: str
    baseline: str
    progress: str
    required: str
    status: Status
    status_label: str
    freshness: str
    caveats: tuple[str, ...]  # what kind of number the latest value is, in words (preliminary, a snapshot, derived…)
    newer: str  # a newer value that is not charted (e.g. a mid-year count), in words; empty when there is none


def latest_data_year(plan: Plan) -> int:
    """The newest year with a charted value for any region the targets are set for (the baseline year when there is none).

    An uncharted value (a mid-year count, say) does not make the data "run to" its year.
    """
    regions = {target.region for target in plan.targets}
    return max((o.year for o in plan.observations if o.region in regions and o.charted), default=plan.meta.baseline_year)


def card_for(plan: Plan, target: Target, lang: str, result: Assessment | None = None) -> TargetCard:
    result = result or assess_target(plan, target)
    indicator = plan.indicator_by_id[target.indicator]
    unit = indicator.unit.get(lang)
    decimals = indicator.decimals
    target_text = t(f"card.target.{target.comparator.value}", lang, value=f"{target.value:,g}", unit=unit, year=target.target_year)
    if result.latest is None:
        latest = t("card.no_value", lang)
        source = ""
    else:
        label = "card.latest_cumulative" if target.kind is QuantityKind.cumulative else "card.latest"
        latest = t(label, lang, value=format_amount(result.latest.value, decimals), unit=unit, year=result.latest.year)
        source = _latest_source(plan, target, result.latest.year, lang)
    baseline = (
        t("card.baseline", lang, value=format_amount(result.baseline.value, decimals), year=result.baseline.year)
        if result.baseline is not None and target.kind is not QuantityKind.cumulative
        else t("card.window", lang, start=target.window.start, end=target.window.end)
        if target.window
        else ""
    )
    progress = "—" if result.progress_share is None else t("card.progress", lang, share=f"{result.progress_share * 100:.0f}")
    if result.status in (Status.achieved_early, Status.achieved):
        required = t("card.required_none", lang)
    else:
        required = t("card.required", lang, change=format_change(result.required_change, target.kind, lang))
    return TargetCard(
        target_id=target.id,
        title=target.name.get(lang),
        target=target_text,
        latest=latest,
        latest_source=source,
        baseline=baseline,
        progress=progress,
        required=required,
        status=result.status,
        status_label=t(f"status.{result.status.value}", lang),
        freshness=freshness_note(result, target.target_year, lang),
        caveats=caveats(plan, target, result, lang),
        newer=newer_uncharted(plan, target, result, lang),
    )


def caveats(plan: Plan, target: Target, result: Assessment, lang: str) -> tuple[str, ...]:
    """The latest value's status in words, then its own note; for a cumulative total, which of its years carry which caveat."""
    if result.latest is None:
        return ()
    charted = charted_observations(plan.observations, target.indicator, target.region)
    if target.kind is QuantityKind.cumulative and target.window is not None:
        summed = [o for o in charted if target.window.start <= o.year <= result.latest.year]
        sentences = []
        for flag in CAVEAT_ORDER:
            years = [str(o.year) for o in summed if flag in o.flags]
            if years:
                sentences.append(
                    t("card.caveat_sum", lang, years=t("list.separator", lang).join(years), flag=t(f"flag.{flag.value}", lang))
                )
        return (*sentences, *(_note(o, lang) for o in summed if o.note is not None))
    latest = next(o for o in charted if o.year == result.latest.year)
    notes = (_note(latest, lang),) if latest.note is not None else ()
    return (*(_caveat(latest, flag, lang) for flag in CAVEAT_ORDER if flag in latest.flags), *notes)


def _note(observation: Observation, lang: str) -> str:
    """A value's own note (e.g. what its derivation assumes), with its year."""
    assert observation.note is not None
    return t("card.note", lang, year=observation.year, note=observation.note.get(lang))


def _caveat(observation: Observation, flag: Flag, lang: str) -> str:
    return t(f"card.caveat.{flag.value}", lang, year=observation.year, as_of=observation.as_of or "—")


def newer_observation(plan: Plan, target: Target, result: Assessment) -> Observation | None:
    """The newest value that is kept off the chart but is newer than the latest charted one."""
    after = result.latest.year if result.latest is not None else plan.meta.baseline_year
    newer = [
        o for o in plan.observations if o.indicator == target.indicator and o.region == target.region and not o.charted and o.year > after
    ]
    return max(newer, key=lambda o: (o.year, o.as_of or ""), default=None)


def newer_uncharted(plan: Plan, target: Target, result: Assessment, lang: str) -> str:
    """The newest uncharted value newer than the latest charted one, in words: current, but said for what it is."""
    observation = newer_observation(plan, target, result)
    if observation is None:
        return ""
    indicator = plan.indicator_by_id[target.indicator]
    details = status_words(observation, lang)
    return t(
        "card.newer",
        lang,
        year=observation.year,
        value=format_amount(observation.value, indicator.decimals),
        unit=indicator.unit.get(lang),
        details=details or "—",
    )


def freshness_note(result: Assessment, target_year: int, lang: str) -> str:
    """Say plainly when the target year's own figure is not in the data yet, instead of projecting silently."""
    if result.latest is None:
        return t("card.fresh_none", lang)
    if result.latest.year < target_year:
        return t("card.fresh_missing", lang, target_year=target_year, year=result.latest.year)
    return ""


def _latest_source(plan: Plan, target: Target, year: int, lang: str) -> str:
    observation = next(o for o in charted_observations(plan.observations, target.indicator, target.region) if o.year == year)
    source = plan.source_by_id[observation.source]
    flags = status_words(observation, lang)
    return f"{source.title}" + (f" ({flags})" if flags else "")
