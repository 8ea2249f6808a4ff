"""The end-of-plan assessment: how each target and task stood when the public record was last read.

Every number here is counted from `plan.yaml` (targets, observations) and `progress.yaml` (entries):
a target's status is `analysis/targets.assess_target`'s, a task's stages are its entries' stages.
A target whose target-year figure is not in the data keeps its latest status and says so; a task
without entries is listed as "no public evidence found", never as not done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from components.analysis.progress import STAGE_ORDER, TaskEvidence, furthest, task_evidence
from components.analysis.targets import Assessment, Status, assess_target, charted_observations, flag_words, format_amount
from components.i18n import t
from components.plan.model import Flag, Plan, Target
from components.plan.progress import ProgressLog, Stage
from components.plan.reports import AcceptedReport


@dataclass(frozen=True)
class TargetOutcome:
    """A target's status at the end of the plan, or its latest status while the target-year figure is missing."""

    target: Target
    result: Assessment
    final: bool  # the target year's own figure is in the data
    latest_flags: tuple[Flag, ...]  # caveats of the latest figure (preliminary, snapshot, derived …)

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def latest_year(self) -> int | None:
        return self.result.latest.year if self.result.latest else None


@dataclass(frozen=True)
class StageTally:
    """Tasks with at least one public entry of this stage, and tasks for which it is the furthest stage reached."""

    stage: Stage
    tasks_reaching: tuple[int, ...]
    tasks_furthest: tuple[int, ...]


@dataclass(frozen=True)
class PlanAssessment:
    targets: tuple[TargetOutcome, ...]
    tasks: tuple[TaskEvidence, ...]
    stages: tuple[StageTally, ...]  # in STAGE_ORDER, furthest last
    overall_entries: int

    @property
    def tasks_with_evidence(self) -> tuple[int, ...]:
        return tuple(item.task.number for item in self.tasks if item.has_public_evidence)

    @property
    def tasks_without_evidence(self) -> tuple[int, ...]:
        return tuple(item.task.number for item in self.tasks if not item.has_public_evidence)

    @property
    def tasks_with_reports(self) -> tuple[int, ...]:
        return tuple(item.task.number for item in self.tasks if item.reports)

    @property
    def targets_final(self) -> tuple[TargetOutcome, ...]:
        return tuple(outcome for outcome in self.targets if outcome.final)

    @property
    def targets_missing_final(self) -> tuple[TargetOutcome, ...]:
        """The data gaps on the targets' side: no figure for the target year yet."""
        return tuple(outcome for outcome in self.targets if not outcome.final)


def target_outcome(plan: Plan, target: Target) -> TargetOutcome:
    result = assess_target(plan, target)
    final = result.latest is not None and result.latest.year >= target.target_year
    flags: list[Flag] = []
    if result.latest is not None:
        # a cumulative figure carries the caveats of every annual value summed into it
        first = target.window.start if target.window else result.latest.year
        for observation in charted_observations(plan.observations, target.indicator, target.region):
            if first <= observation.year <= result.latest.year:
                flags += [flag for flag in observation.flags if flag not in flags]
    return TargetOutcome(target, result, final, tuple(flags))


def assess_plan(plan: Plan, log: ProgressLog | None, reports: Sequence[AcceptedReport] = ()) -> PlanAssessment:
    tasks = task_evidence(plan, log, reports)
    # each task's stages and furthest stage once, not once per stage (11 × 2,700 tasks on the 100× plan)
    seen = [(item.task.number, {e.stage for e in item.entries}, furthest(e.stage for e in item.entries)) for item in tasks]
    tallies = []
    for stage in STAGE_ORDER:
        reaching = tuple(number for number, stages, _ in seen if stage in stages)
        at_most = tuple(number for number, _, top in seen if top is stage)
        tallies.append(StageTally(stage, reaching, at_most))
    overall = sum(1 for entry in (log.entries if log else ()) if entry.overall)
    return PlanAssessment(tuple(target_outcome(plan, target) for target in plan.targets), tuple(tasks), tuple(tallies), overall)


def targets_table(plan: Plan, assessment: PlanAssessment, lang: str) -> pd.DataFrame:
    """One row per target: its wording, the latest figure with its year and caveats, the status, and whether it is final."""
    rows = []
    for outcome in assessment.targets:
        target, result = outcome.target, outcome.result
        indicator = plan.indicator_by_id[target.indicator]
        unit = indicator.unit.get(lang)
        if result.latest is None:
            latest = "—"
        elif target.window is not None:
            value = format_amount(result.latest.value, indicator.decimals)
            latest = t("assessment.latest_cumulative", lang, value=value, unit=unit, start=target.window.start, year=result.latest.year)
        else:
            latest = t(
                "assessment.latest", lang, value=format_amount(result.latest.value, indicator.decimals), unit=unit, year=result.latest.year
            )
        if outcome.final:
            standing = t("assessment.final", lang, year=target.target_year)
        elif outcome.latest_year is None:
            standing = t("assessment.no_figure", lang)
        else:
            standing = t("assessment.not_final", lang, target_year=target.target_year, year=outcome.latest_year)
        rows.append(
            [
                target.name.get(lang),
                _wording(target, lang),
                t("assessment.value", lang, value=f"{target.value:,g}", unit=unit, year=target.target_year),
                latest,
                flag_words(outcome.latest_flags, lang) or "—",
                t(f"status.{result.status.value}", lang),
                standing,
            ]
        )
    columns = [
        t("col.target", lang),
        t("col.comparator", lang),
        t("assessment.col.target", lang),
        t("assessment.col.latest", lang),
        t("assessment.col.caveats", lang),
        t("assessment.col.status", lang),
        t("assessment.col.standing", lang),
    ]
    return pd.DataFrame(rows, columns=columns)


def _wording(target: Target, lang: str) -> str:
    """The comparator as the plan words it (左右, 达到, 超过, 累计超过); in English with its meaning in front."""
    return target.comparator_text if lang == "zh" else f"{t(f'comparator.{target.comparator.value}', lang)} ({target.comparator_text})"


def stages_table(assessment: PlanAssessment, lang: str) -> pd.DataFrame:
    """Per stage: how many tasks have at least one entry of it, and for how many it is the furthest reached, with their numbers."""
    rows = [
        [
            t(f"stage.{tally.stage.value}", lang),
            len(tally.tasks_reaching),
            "、".join(map(str, tally.tasks_reaching)) or "—",
            len(tally.tasks_furthest),
        ]
        for tally in reversed(assessment.stages)
    ]
    columns = [
        t("progress.col.stage", lang),
        t("assessment.col.reaching", lang),
        t("assessment.col.tasks", lang),
        t("assessment.col.furthest", lang),
    ]
    return pd.DataFrame(rows, columns=columns)


def data_gaps(plan: Plan, assessment: PlanAssessment, lang: str) -> list[str]:
    """The gaps in plain words: targets without their target-year figure, latest figures with caveats, tasks without public evidence."""
    gaps = [
        t("assessment.gap.target", lang, name=o.target.name.get(lang), target_year=o.target.target_year, year=o.latest_year)
        if o.latest_year is not None
        else t("assessment.gap.no_figure", lang, name=o.target.name.get(lang))
        for o in assessment.targets_missing_final
    ]
    gaps += [
        t("assessment.gap.caveat", lang, name=o.target.name.get(lang), caveats=flag_words(o.latest_flags, lang))
        for o in assessment.targets
        if o.latest_flags
    ]
    gaps += [
        t("assessment.gap.task", lang, number=item.task.number, title=item.task.title.get(lang))
        for item in assessment.tasks
        if not item.entries
    ]
    return gaps
