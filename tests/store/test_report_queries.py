"""The review queue's counted and paged queries and the coverage aggregate give what reading every report gives."""

from __future__ import annotations

from components.plan.reports import ReportState
from components.store import accounts, reports
from components.store.db import make_engine
from scripts.synthetic_plan import SEED_PASSWORD, SEED_REVIEWER, seed_reports
from tests.store.conftest import CLIENT

RANK = {ReportState.accepted: 3, ReportState.submitted: 2, ReportState.returned: 1}


def seeded(db_url, plan):
    assert seed_reports(db_url, plan, 200) == {"accepted": 100, "returned": 40, "revised": 20, "submitted": 40}
    engine = make_engine(db_url)
    return engine, accounts.sign_in(engine, SEED_REVIEWER, SEED_PASSWORD, CLIENT)


def test_the_count_and_the_pages_equal_the_whole_list(db_url, plan):
    engine, reviewer = seeded(db_url, plan)
    doc = plan.meta.doc_number
    every = reports.reports_for(engine, reviewer, doc)
    waiting = [v for v in every if v.state is ReportState.submitted]
    assert reports.followed_count(engine, reviewer, doc, waiting=False) == len(every) == 200
    assert reports.followed_count(engine, reviewer, doc, waiting=True) == len(waiting) == 40 + 20
    paged = []
    for start in range(0, 70, 7):
        paged += reports.followed_page(engine, reviewer, doc, waiting=True, newest_first=False, start=start, stop=start + 7)
    assert paged == waiting  # the queue, oldest first, whole views
    newest = reports.followed_page(engine, reviewer, doc, waiting=False, newest_first=True, start=0, stop=25)
    assert newest == list(reversed(every))[:25]
    assert reports.followed_count(engine, None, doc, waiting=False) == 0
    assert reports.followed_page(engine, None, doc, waiting=False, newest_first=True, start=0, stop=25) == []
    engine.dispose()


def test_the_coverage_aggregate_equals_the_states_of_every_report(db_url, plan):
    engine, reviewer = seeded(db_url, plan)
    doc = plan.meta.doc_number
    every = reports.reports_for(engine, reviewer, doc)
    periods = {v.period for v in every}
    assert len(periods) > 1
    for period in periods:
        expected: dict[tuple[str, int], ReportState] = {}
        for view in (v for v in every if v.period == period):
            state = ReportState.accepted if view.accepted_version is not None else view.state
            key = (view.agency, view.task)
            if key not in expected or RANK[state] > RANK[expected[key]]:
                expected[key] = state
        assert reports.coverage_states(engine, reviewer, doc, period) == expected
        public = {key: state for key, state in expected.items() if state is ReportState.accepted}
        assert reports.coverage_states(engine, None, doc, period) == public
    engine.dispose()
