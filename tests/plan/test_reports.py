"""The report values the store and the pages share: periods, drafts (checked however they are made), coverage."""

from __future__ import annotations

import datetime as dt

import pytest

from components.plan.reports import (
    DraftProblem,
    InvalidDraft,
    Period,
    ProgressStatus,
    ReportDraft,
    ReportState,
    agency_role,
    coverage_rows,
    coverage_summary,
    local_date,
    make_draft,
    reporting_periods,
)


def test_period_labels_round_trip_and_order_by_end():
    assert [Period.parse(x) for x in ("2025", "2025-Q3")] == [Period(2025), Period(2025, 3)]
    assert Period(2025, 3).label == "2025-Q3"
    for bad in ("2025-Q5", "25", "2025 Q1", "２０２５", "", "2025-q1"):
        with pytest.raises(ValueError):
            Period.parse(bad)
    ordered = sorted([Period(2026, 1), Period(2025), Period(2025, 4), Period(2025, 1)], key=lambda p: p.sort_key)
    assert ordered == [Period(2025, 1), Period(2025, 4), Period(2025), Period(2026, 1)]


def test_reporting_periods_run_from_the_plan_start_to_the_quarter_under_way(plan):
    periods = reporting_periods(plan, dt.date(2026, 12, 2))
    assert periods[:6] == [Period(2026), Period(2026, 4), Period(2026, 3), Period(2026, 2), Period(2026, 1), Period(2025)]
    assert periods[-1] == Period(2022, 1)
    assert len(periods) == 5 * 5  # 2022–2026, each a year and four quarters
    assert reporting_periods(plan, dt.date(2026, 2, 1))[:2] == [Period(2026), Period(2026, 1)]


def test_the_day_is_the_day_in_sichuan():
    assert local_date(dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)) == dt.date(2026, 1, 1)


def test_a_draft_is_trimmed_and_its_problems_are_all_reported():
    draft, problems = make_draft(task=3, period=Period(2026), stage=None, status=ProgressStatus.done, done="  完成  ", evidence_link=" ")
    assert problems == [] and draft.done == "完成" and draft.evidence_link is None
    draft, problems = make_draft(
        task=3,
        period=Period(2026),
        stage=None,
        status=None,
        done="x" * 2001,
        next_steps="a\x00b",
        evidence_link="ftp://x",
        evidence_document="一行\n两行",
    )
    assert draft is None
    assert problems == [
        DraftProblem("status", "required"),
        DraftProblem("done", "too_long", 2000),
        DraftProblem("next_steps", "control"),
        DraftProblem("evidence_document", "control"),
        DraftProblem("evidence_link", "bad_link"),
    ]


def test_a_draft_cannot_be_made_invalid_by_calling_the_class():
    with pytest.raises(InvalidDraft):
        ReportDraft(task=0, period=Period(2026), stage=None, status=ProgressStatus.done, done="x")
    with pytest.raises(InvalidDraft):
        ReportDraft(task=3, period=Period(2026), stage="built", status=ProgressStatus.done, done="x")


def test_coverage_counts_each_agencys_tasks(plan):
    states = {("chengdu", 1): ReportState.accepted, ("chengdu", 2): ReportState.returned, ("kjt", 3): ReportState.submitted}
    assert [(r.task, r.role, r.state) for r in coverage_rows(plan, "chengdu", states)] == [
        (1, "support", ReportState.accepted),
        (2, "lead", ReportState.returned),
        (5, "support", None),
    ]
    summary = {s.agency: s for s in coverage_summary(plan, states)}
    assert (summary["chengdu"].tasks, summary["chengdu"].accepted, summary["chengdu"].returned, summary["chengdu"].missing) == (3, 1, 1, 1)
    assert summary["kjt"].missing == 25
    assert [s.agency for s in coverage_summary(plan, states)][:2] == ["kjt", "cities"]  # the most tasks without a report first
    task = next(t for t in plan.tasks if t.number == 2)
    assert [agency_role(task, a) for a in ("kjt", "fgw", "gat")] == ["lead", "support", None]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "//outside.example/x",
        'http://a.example/x"onmouseover="alert(1)',
        "http://a.example/<script>",
        "http://a.example/a b",
        "http://a.example\\@outside.example/",
        " javascript:alert(1)",
    ],
)
def test_an_evidence_link_is_http_or_https_and_nothing_else(link):
    _, problems = make_draft(task=3, period=Period(2026), stage=None, status=ProgressStatus.done, done="完成", evidence_link=link)
    assert DraftProblem("evidence_link", "bad_link") in problems


def test_plain_http_and_https_links_with_brackets_are_kept_as_typed():
    for link in ("http://kjt.sc.gov.cn/a.html", "https://example.org/a_(b)*c*[d]?q=1&r=2#x"):
        draft, problems = make_draft(task=3, period=Period(2026), stage=None, status=ProgressStatus.done, done="完成", evidence_link=link)
        assert problems == [] and draft.evidence_link == link


@pytest.mark.parametrize("mark", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2068", "\u2069", "\x1b", "\r"])
def test_direction_overrides_and_control_characters_are_refused_in_every_text(mark):
    """An unclosed right-to-left override turns the rest of a line around wherever it is shown ("Trojan Source")."""
    _, problems = make_draft(
        task=3,
        period=Period(2026),
        stage=None,
        status=ProgressStatus.done,
        done=f"已完成{mark}exe.txt",
        next_steps=f"下一步{mark}推进",
        evidence_document=f"文号{mark}3号",
    )
    assert problems == [
        DraftProblem("done", "control"),
        DraftProblem("next_steps", "control"),
        DraftProblem("evidence_document", "control"),
    ]


def test_the_coverage_summary_counts_what_each_agencys_own_rows_count(plan):
    """The one-pass grouping gives every agency exactly its `coverage_rows`, whatever the states."""
    states = {}
    for i, task in enumerate(plan.tasks_in_order):
        for agency in [*task.lead, *task.support]:
            states[(agency, task.number)] = list(ReportState)[i % 3] if i % 4 else None
    states = {key: state for key, state in states.items() if state is not None and state is not ReportState.withdrawn}
    summary = coverage_summary(plan, states)
    assert len(summary) == sum(1 for a in plan.agencies if coverage_rows(plan, a.id, states))
    for s in summary:
        rows = coverage_rows(plan, s.agency, states)
        assert s.tasks == len(rows)
        assert (s.accepted, s.submitted, s.returned) == tuple(
            sum(1 for r in rows if r.state is state) for state in (ReportState.accepted, ReportState.submitted, ReportState.returned)
        )
    assert sum(s.accepted + s.submitted + s.returned for s in summary) > 0
