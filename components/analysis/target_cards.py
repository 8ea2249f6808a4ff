"""The content of one overview card per target, as plain strings ready to lay out."""

from __future__ import annotations

from dataclasses import dataclass

from components.analysis.targets import Assessment, Status, assess_target, charted_observations, flag_words, format_amount, format_change
from components.i18n import t
from components.plan.model import Plan, QuantityKind, Target


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


def latest_data_year(plan: Plan) -> int:
    """The newest year with a value for any region the targets are set for (the baseline year when there is none)."""
    regions = {target.region for target in plan.targets}
    return max((o.year for o in plan.observations if o.region in regions), default=plan.meta.baseline_year)


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
    flags = flag_words(observation.flags, lang)
    return f"{source.title}" + (f" ({flags})" if flags else "")
