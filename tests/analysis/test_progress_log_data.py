"""The progress views on the real log (data/progress.yaml): exact counts an official would read off the pages."""

from __future__ import annotations

from components.analysis.assessment import assess_plan, data_gaps, stages_table, targets_table
from components.analysis.progress import (
    EvidenceFilter,
    agency_coverage_table,
    coverage_matrix,
    entries_for_site,
    filter_entries,
    section_matrix,
    task_evidence,
)
from components.analysis.targets import assess_target
from components.plan.progress import Side, Stage

ENTRIES_PER_TASK = {
    1: 2, 2: 2, 3: 1, 4: 1, 5: 14, 6: 8, 7: 8, 8: 2, 9: 3, 10: 5, 11: 3, 12: 2, 13: 2, 14: 1,
    15: 2, 16: 1, 17: 8, 18: 4, 19: 3, 20: 7, 21: 2, 22: 2, 23: 1, 24: 2, 25: 1, 26: 3, 27: 2,
}  # fmt: skip


def test_every_task_has_its_entries_and_task_5_reaches_completed(plan, progress_log):
    evidence = {item.task.number: item for item in task_evidence(plan, progress_log)}
    assert {n: len(item.entries) for n, item in evidence.items()} == ENTRIES_PER_TASK
    assert evidence[5].furthest_public is Stage.completed
    assert evidence[7].furthest_public is Stage.accepted
    assert evidence[23].furthest_public is Stage.call_opened
    assert evidence[25].furthest_public is Stage.activity_held


def test_matrix_rows_of_tasks_5_to_7(plan, progress_log):
    matrix = coverage_matrix(plan, progress_log)
    assert matrix.years == (2022, 2023, 2024, 2025, 2026)

    def row(number):
        return [(matrix.cell(number, y).count, matrix.cell(number, y).furthest) for y in matrix.years]

    assert row(5) == [
        (3, Stage.completed),
        (7, Stage.topped_out),
        (1, Stage.approved),
        (2, Stage.count_reported),
        (1, Stage.count_reported),
    ]
    assert row(6) == [(2, Stage.approved), (4, Stage.completed), (2, Stage.completed), (0, None), (0, None)]
    assert row(7) == [(0, None), (5, Stage.accepted), (1, Stage.approved), (2, Stage.count_reported), (0, None)]
    assert sum(cell.count for cell in matrix.cells.values()) == sum(ENTRIES_PER_TASK.values())


def test_filters_on_the_real_log(plan, progress_log):
    accepted = filter_entries(plan, progress_log, EvidenceFilter(stages=frozenset({Stage.accepted})))
    assert [e.id for e in accepted] == ["innovative-counties-accepted-2022", "lhaaso-accepted-2023"]
    assert len(filter_entries(plan, progress_log, EvidenceFilter(sides=frozenset({Side.chongqing})))) == 1
    assert len(filter_entries(plan, progress_log, EvidenceFilter(years=frozenset({2023})))) == 29
    lhaaso = filter_entries(plan, progress_log, EvidenceFilter(sites=frozenset({"lhaaso"})))
    assert [(e.event_date, e.published, e.tasks) for e in lhaaso] == [("2023-05-10", "2023-05-11", [7])]


def test_site_milestones(progress_log):
    assert [e.id for e in entries_for_site(progress_log, "lhaaso")] == ["lhaaso-accepted-2023"]
    assert [e.id for e in entries_for_site(progress_log, "tianfu_lab")] == [
        "tianfu-lab-system-in-operation-2022",
        "tianfu-jiangxi-jincheng-labs-in-operation-2022",
        "key-labs-restructured-2023",
        "jincheng-lab-first-teams-2023",
    ]


def test_lead_agencies_and_their_evidence(plan, progress_log):
    table = agency_coverage_table(plan, progress_log, "zh")
    first = table.iloc[0]
    assert (first["单位"], first["牵头任务数"], first["未见公开证据的任务"]) == ("科技厅", 20, "—")
    assert table["牵头任务数"].sum() == sum(len(task.lead) for task in plan.tasks)


def test_assessment_of_the_real_log(plan, progress_log):
    result = assess_plan(plan, progress_log)
    assert result.tasks_with_evidence == tuple(task.number for tasks in plan.tasks_by_section.values() for task in tasks)
    assert result.tasks_without_evidence == ()
    assert result.overall_entries == 6
    furthest = {tally.stage: tally.tasks_furthest for tally in result.stages}
    assert furthest[Stage.accepted] == (4, 7)
    assert furthest[Stage.completed] == (5, 6, 11, 17)
    assert furthest[Stage.construction_started] == (20,)
    assert sum(len(tasks) for tasks in furthest.values()) == 27
    for outcome in result.targets:
        assert outcome.status is assess_target(plan, outcome.target).status
        assert outcome.final == (outcome.latest_year == outcome.target.target_year)
    table = stages_table(result, "en")
    assert list(table.iloc[0]) == ["Passed acceptance", 2, "4、7", 2]
    assert len(targets_table(plan, result, "en")) == 6
    assert not any("no public evidence" in gap for gap in data_gaps(plan, result, "en"))


def test_the_section_matrix_counts_each_entry_once_per_section_and_year(plan, progress_log):
    matrix = section_matrix(plan, progress_log)
    assert matrix.sections == (("s1", 4), ("s2", 4), ("s3", 3), ("s4", 4), ("s5", 4), ("s6", 2), ("s7", 3), ("s8", 3))
    assert matrix.years == (2022, 2023, 2024, 2025, 2026)
    s2 = [(matrix.cell("s2", year).count, matrix.cell("s2", year).furthest) for year in matrix.years]
    assert s2 == [(5, Stage.completed), (13, Stage.accepted), (5, Stage.completed), (2, Stage.count_reported), (1, Stage.count_reported)]
    on_s2_in_2023 = [e for e in progress_log.entries if set(e.tasks) & {5, 6, 7, 8} and e.date.startswith("2023")]
    assert len(on_s2_in_2023) == 13  # an entry on two of the section's tasks counts once
    assert matrix.cell("s7", 2022).count == 0 and matrix.cell("s7", 2022).furthest is None
    tasks = [task for task in plan.tasks if task.section in ("s3", "s7")]
    assert section_matrix(plan, progress_log, tasks=tasks).sections == (("s3", 3), ("s7", 3))
