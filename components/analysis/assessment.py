"""The end-of-plan assessment: how each target and task stood when the public record was last read.

Every number here is counted from `plan.yaml` (targets, observations) and `progress.yaml` (entries):
a target's status is `analysis/targets.assess_target`'s, a task's stages are its entries' stages.
A target whose target-year figure is not in the data keeps its latest status and says so; a task
without entries is listed as "no public evidence found", never as not done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from components.analysis.progress import STAGE_ORDER, TaskEvidence, furthest, task_evidence
from components.analysis.targets import Assessment, Status, assess_target, charted_observations
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
    tallies = []
    for stage in STAGE_ORDER:
        reaching = tuple(item.task.number for item in tasks if any(e.stage is stage for e in item.entries))
        at_most = tuple(item.task.number for item in tasks if item.entries and furthest(e.stage for e in item.entries) is stage)
        tallies.append(StageTally(stage, reaching, at_most))
    overall = sum(1 for entry in (log.entries if log else ()) if entry.overall)
    return PlanAssessment(tuple(target_outcome(plan, target) for target in plan.targets), tuple(tasks), tuple(tallies), overall)
