"""The progress log's derived tables on a small log built here; the real log's numbers are tested in test_progress_log_data.py."""

from __future__ import annotations

import datetime as dt

import pytest

from components.analysis.assessment import assess_plan
from components.analysis.progress import (
    EvidenceFilter,
    agency_coverage,
    coverage_matrix,
    entries_by_task,
    entries_for_site,
    entry_table,
    filter_entries,
    furthest,
    strip_pinyin_glosses,
    task_evidence,
)
from components.analysis.targets import Status
from components.plan.progress import Entry, ProgressLog, Side, Stage
from components.plan.reports import AcceptedReport, Period, ProgressStatus


def entry(id_: str, tasks: list[int], stage: Stage, date: str, **extra) -> Entry:
    return Entry.model_validate(
        {
            "id": id_,
            "tasks": tasks,
            "stage": stage,
            "event_date": date,
            "side": extra.pop("side", Side.sichuan),
            "summary": {"zh": f"摘要{id_}", "en": f"summary {id_}"},
            "quote": extra.pop("quote", "原文"),
            "source": {"publisher": "四川日报", "title": "标题", "url": "https://example.org/x", **extra.pop("source", {})},
            **extra,
        }
    )


@pytest.fixture()
def log(plan) -> ProgressLog:
    return ProgressLog.model_validate(
        {
            "schema": "progress/1",
            "plan_doc_number": plan.meta.doc_number,
            "as_of": dt.date(2026, 12, 2),
            "entries": [
                entry("a", [5], Stage.unveiled, "2022-11-23", sites=["tianfu_lab"]),
                entry("b", [5, 6], Stage.approved, "2022-01"),
                entry("c", [7], Stage.accepted, "2023-05-10", sites=["lhaaso"], side=Side.joint),
                entry("d", [7], Stage.construction_started, "2023"),
                entry("e", [2], Stage.policy_issued, "2024-01-12", quote="創(chuàng)新"),
                entry("f", [], Stage.activity_held, "2024-03", overall=True),
            ],
        }
    )


def test_entries_by_task_in_date_order_with_shared_entries_under_each_task(log):
    grouped = entries_by_task(log)
    assert [e.id for e in grouped[5]] == ["b", "a"]
    assert [e.id for e in grouped[6]] == ["b"]
    assert [e.id for e in grouped[7]] == ["d", "c"]  # a bare year sorts before its days
    assert set(grouped) == {2, 5, 6, 7}


def test_furthest_stage_prefers_the_ladder_and_its_later_steps():
    assert furthest([Stage.approved, Stage.unveiled]) is Stage.unveiled
    assert furthest([Stage.count_reported, Stage.approved]) is Stage.approved
    assert furthest([Stage.activity_held, Stage.policy_issued]) is Stage.policy_issued
    assert furthest([]) is None


def test_matrix_counts_entries_per_task_and_year(plan, log):
    matrix = coverage_matrix(plan, log)
    assert len(matrix.tasks) == 27
    assert matrix.years == (2022, 2023, 2024, 2025)
    assert matrix.cell(5, 2022).count == 2 and matrix.cell(5, 2022).furthest is Stage.unveiled
    assert matrix.cell(7, 2023).count == 2 and matrix.cell(7, 2023).furthest is Stage.accepted
    assert matrix.cell(1, 2022).count == 0 and matrix.cell(1, 2022).furthest is None
    assert [task.section for task in matrix.tasks] == sorted((t.section for t in matrix.tasks), key=lambda s: plan.section_by_id[s].number)


def test_filters_combine(plan, log):
    def ids(**kw):
        return [e.id for e in filter_entries(plan, log, EvidenceFilter(**kw))]

    assert ids() == ["b", "a", "d", "c", "e", "f"]
    assert ids(stages=frozenset({Stage.accepted})) == ["c"]
    assert ids(years=frozenset({2022})) == ["b", "a"]
    assert ids(sides=frozenset({Side.joint})) == ["c"]
    assert ids(sites=frozenset({"lhaaso"})) == ["c"]
    assert ids(keyword="創新") == ["e"]  # the glosses do not hide a word from the search
    section_of_5 = plan.tasks_in_order[4].section
    assert "a" in ids(sections=frozenset({section_of_5})) and "f" not in ids(sections=frozenset({section_of_5}))
    lead_of_7 = plan.tasks_in_order[6].lead[0]
    assert set(ids(agency=lead_of_7, role="lead")) >= {"c", "d"}


def test_site_milestones_and_agency_coverage(plan, log):
    assert [e.id for e in entries_for_site(log, "lhaaso")] == ["c"]
    lead = plan.tasks_in_order[6].lead[0]
    coverage = agency_coverage(plan, log, lead)
    assert 7 in coverage.with_evidence
    assert set(coverage.with_evidence) | set(coverage.without_evidence) == {t.number for t in plan.tasks if lead in t.lead}


def test_pinyin_glosses_are_stripped_for_display_only():
    assert strip_pinyin_glosses("推動成渝地區(qū)雙城經濟圈建設科技協(xié)同創(chuàng)新") == "推動成渝地區雙城經濟圈建設科技協同創新"
    assert strip_pinyin_glosses("四川大学(华西)") == "四川大学(华西)"  # Chinese in brackets is not a gloss
    assert strip_pinyin_glosses("(a) list") == "(a) list"


def test_entry_table_keeps_the_quote_verbatim_and_dates_at_their_precision(plan, log):
    table = entry_table(plan, log.entries, "en")
    row = table[table["ID"] == "e"].iloc[0]
    assert row["Quote"] == "創(chuàng)新"
    month = table[table["ID"] == "f"].iloc[0]
    assert month["Date"] == "2024-03 (month only)"
    assert month["Tasks"] == "Overall"


def test_assessment_counts_tasks_per_stage_and_keeps_reports_apart(plan, log):
    report = AcceptedReport(
        report_id=1,
        version=1,
        task=9,
        agency=plan.tasks_in_order[8].lead[0],
        period=Period(2025),
        stage=Stage.completed,
        status=ProgressStatus.done,
        done="完成",
        next_steps="",
        evidence_link=None,
        evidence_document=None,
        reported_by="r",
        reported_at=dt.datetime(2026, 1, 5),
        accepted_by="v",
        accepted_at=dt.datetime(2026, 1, 6),
    )
    result = assess_plan(plan, log, [report])
    assert result.tasks_with_evidence == (2, 5, 6, 7)
    assert len(result.tasks_without_evidence) == 23 and 9 in result.tasks_without_evidence  # a report is not public evidence
    assert result.tasks_with_reports == (9,)
    tally = {s.stage: s for s in result.stages}
    assert tally[Stage.approved].tasks_reaching == (5, 6)
    assert tally[Stage.unveiled].tasks_furthest == (5,)
    assert tally[Stage.approved].tasks_furthest == (6,)
    assert result.overall_entries == 1
    assert len(result.targets) == 6
    assert all(outcome.status is not None for outcome in result.targets)
    assert not any(outcome.final for outcome in result.targets if outcome.status is Status.no_data)


def test_task_evidence_lists_every_task_once(plan, log):
    items = task_evidence(plan, log)
    assert sorted(i.task.number for i in items) == list(range(1, 28))
    assert next(i for i in items if i.task.number == 5).furthest_public is Stage.unveiled
