"""Tables for the home page: the plan at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from components.analysis.responsibility import section_label
from components.analysis.targets import format_amount, status_words
from components.i18n import t
from components.plan.model import Plan


@dataclass(frozen=True)
class PlanCounts:
    targets: int
    sections: int
    tasks: int
    agencies: int
    sites: int


def plan_counts(plan: Plan) -> PlanCounts:
    return PlanCounts(
        targets=len(plan.targets),
        sections=len(plan.sections),
        tasks=len(plan.tasks),
        agencies=len(plan.agencies),
        sites=len(plan.sites),
    )


def targets_table(plan: Plan, lang: str) -> pd.DataFrame:
    rows = []
    for target in plan.targets:
        indicator = plan.indicator_by_id[target.indicator]
        rows.append(
            {
                t("col.target", lang): target.name.get(lang),
                t("col.comparator", lang): target.comparator_text if lang == "zh" else t(f"comparator.{target.comparator.value}", lang),
                t("col.value", lang): format_amount(target.value, _decimals_of(target.value)),
                t("col.unit", lang): indicator.unit.get(lang),
                t("col.year", lang): str(target.target_year),
            }
        )
    return pd.DataFrame(rows)


def _decimals_of(value: float) -> int:
    text = f"{value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def section_table(plan: Plan, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {t("col.section", lang): section_label(plan, section.id, lang), t("col.tasks", lang): len(plan.tasks_by_section[section.id])}
            for section in plan.sections_in_order
        ]
    )


def observations_table(plan: Plan, indicator: str, regions: Sequence[str], lang: str) -> pd.DataFrame:
    """Every value for the indicator, charted or not, with its source and caveats."""
    rows = []
    for obs in sorted(plan.observations, key=lambda o: (o.region, o.year)):
        if obs.indicator != indicator or obs.region not in regions:
            continue
        source = plan.source_by_id[obs.source]
        notes = [
            status_words(obs, lang),
            obs.derivation.get(lang) if obs.derivation else "",
            obs.note.get(lang) if obs.note else "",
        ]
        rows.append(
            {
                t("col.region", lang): plan.region_by_id[obs.region].name.get(lang),
                t("col.year", lang): obs.year,
                t("col.value", lang): obs.value,
                t("col.flags", lang): t("list.clause_separator", lang).join(note for note in notes if note),
                t("col.charted", lang): "✓" if obs.charted else "—",
                t("col.decision", lang): obs.decision.get(lang) if obs.decision else "",
                t("col.source", lang): f"{source.publisher}:{source.title}",
                t("col.read_at", lang): source.read_at or "",
            }
        )
    return pd.DataFrame(rows)
