"""Reports: the life of one (filed, returned, revised, accepted), history kept whole, who sees what, coverage, and
two sessions writing at once. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import event, select

from components import paths
from components.plan.loader import load_plan_file
from components.plan.progress import Stage
from components.plan.reports import Period, ProgressStatus, ReportDraft, ReportState
from components.store import accounts, reports
from components.store.accounts import Role
from components.store.db import reading
from components.store.errors import Changed, Forbidden, Invalid, NotSignedIn, WrongState
from components.store.models import APPEND_ONLY, Report, ReportEvent, ReportVersion
from tests.store.conftest import CLIENT, NOW, make_user

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
DOC = PLAN.meta.doc_number
MINUTE = dt.timedelta(minutes=1)
CHANGE = re.compile(r'\s*(?:UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)  # the table an UPDATE or DELETE changes
FIRST = ReportDraft(
    task=3,
    period=Period(2026),
    stage=Stage.policy_issued,
    status=ProgressStatus.on_track,
    done="印发《园区高质量发展评价办法》",
    next_steps="开展首批评价",
    evidence_link="https://kjt.sc.gov.cn/notice/2026/1.html",
)
SECOND = dataclasses.replace(FIRST, done="印发《园区高质量发展评价办法》并完成首批 12 个园区评价", evidence_document="川科园〔2026〕3号")


def history_rows(engine) -> dict[str, list[tuple]]:
    with reading(engine) as session:
        return {
            model.__tablename__: [
                tuple(getattr(row, c.key) for c in model.__table__.columns) for row in session.scalars(select(model).order_by(model.id))
            ]
            for model in (Report, ReportVersion, ReportEvent)
        }


@pytest.fixture()
def statements(engine):
    """Every SQL statement the engine runs from here on."""
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: seen.append(statement))
    return seen


def test_a_report_from_filing_to_acceptance(engine, tokens, statements):
    kw = {"client": CLIENT}
    report_id = reports.file_report(engine, tokens.kjt, PLAN, FIRST, now=NOW, **kw)
    assert reports.accepted_reports(engine, DOC) == []  # nothing public before review
    after_filing = history_rows(engine)

    reports.return_report(engine, tokens.reviewer, PLAN, report_id, 1, "请补充评价结果", now=NOW + MINUTE, **kw)
    version = reports.revise_report(engine, tokens.kjt, PLAN, report_id, SECOND, now=NOW + 2 * MINUTE, **kw)
    assert version == 2
    with pytest.raises(Changed):  # the reviewer had version 1 open: the newer one must be read first
        reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 1, now=NOW + 3 * MINUTE, **kw)
    reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 2, "同意", now=NOW + 4 * MINUTE, **kw)

    # every earlier row is still there, unchanged: later writes only added rows
    rows = history_rows(engine)
    for table, earlier in after_filing.items():
        assert rows[table][: len(earlier)] == earlier
    assert [len(rows[t]) for t in ("reports", "report_versions", "report_events")] == [1, 2, 4]
    changed = {match.group(1) for s in statements if (match := CHANGE.match(s))}
    assert changed == {"sign_in_sessions"}  # the watcher works: a session's last-seen time is the only row updated
    assert not changed & set(APPEND_ONLY)

    history = reports.report_history(engine, tokens.reviewer, DOC, report_id, now=NOW + 5 * MINUTE)
    assert [(v.version, v.author, v.done) for v in history.versions] == [(1, "kjt-li", FIRST.done), (2, "kjt-li", SECOND.done)]
    assert [(e.state, e.version, e.actor, e.at, e.comment) for e in history.events] == [
        (ReportState.submitted, 1, "kjt-li", NOW, None),
        (ReportState.returned, 1, "fgw-zhao", NOW + MINUTE, "请补充评价结果"),
        (ReportState.submitted, 2, "kjt-li", NOW + 2 * MINUTE, None),
        (ReportState.accepted, 2, "fgw-zhao", NOW + 4 * MINUTE, "同意"),
    ]
    [accepted] = reports.accepted_reports(engine, DOC)
    assert (accepted.report_id, accepted.version, accepted.task, accepted.agency, accepted.period) == (report_id, 2, 3, "kjt", Period(2026))
    assert (accepted.stage, accepted.status, accepted.done, accepted.next_steps) == (
        Stage.policy_issued,
        ProgressStatus.on_track,
        SECOND.done,
        "开展首批评价",
    )
    assert (accepted.evidence_link, accepted.evidence_document) == ("https://kjt.sc.gov.cn/notice/2026/1.html", "川科园〔2026〕3号")
    assert (accepted.reported_by, accepted.reported_at, accepted.accepted_by, accepted.accepted_at) == (
        "kjt-li",
        NOW + 2 * MINUTE,
        "fgw-zhao",
        NOW + 4 * MINUTE,
    )
    assert accepted.review_comment == "同意"
    with reading(engine) as session:  # the pure helper takes a session as well as an engine
        assert reports.accepted_reports(session, DOC) == [accepted]
    assert reports.accepted_reports(engine, "川府发〔2099〕1号") == []


def test_a_new_version_after_acceptance_keeps_the_accepted_one_public(engine, tokens):
    report_id = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 1, client=CLIENT, now=NOW + MINUTE)
    reports.revise_report(engine, tokens.kjt, PLAN, report_id, SECOND, client=CLIENT, now=NOW + 2 * MINUTE)
    [public] = reports.accepted_reports(engine, DOC)
    assert (public.version, public.done) == (1, FIRST.done)  # the pending version 2 is not shown until accepted
    [mine] = reports.reports_for(engine, tokens.kjt, DOC, now=NOW + 3 * MINUTE)
    assert (mine.state, mine.latest.version, mine.accepted_version) == (ReportState.submitted, 2, 1)


def test_withdrawal_is_a_state_not_a_deletion(engine, tokens):
    report_id = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    reports.withdraw_report(engine, tokens.kjt, PLAN, report_id, "重复填报", client=CLIENT, now=NOW + MINUTE)
    history = reports.report_history(engine, tokens.kjt, DOC, report_id, now=NOW + MINUTE)
    assert [e.state for e in history.events] == [ReportState.submitted, ReportState.withdrawn]
    assert history.events[-1].comment == "重复填报"
    assert len(history.versions) == 1
    with pytest.raises(WrongState):
        reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 1, client=CLIENT, now=NOW + 2 * MINUTE)
    with pytest.raises(WrongState):
        reports.revise_report(engine, tokens.kjt, PLAN, report_id, SECOND, client=CLIENT, now=NOW + 2 * MINUTE)
    with pytest.raises(WrongState):
        reports.withdraw_report(engine, tokens.kjt, PLAN, report_id, client=CLIENT, now=NOW + 2 * MINUTE)


def test_review_rules(engine, tokens):
    report_id = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    with pytest.raises(Invalid, match="comment: required"):
        reports.return_report(engine, tokens.reviewer, PLAN, report_id, 1, "   ", client=CLIENT, now=NOW)
    with pytest.raises(Invalid, match="comment: too_long"):
        reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 1, "长" * 1001, client=CLIENT, now=NOW)
    reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 1, client=CLIENT, now=NOW)
    with pytest.raises(WrongState):  # accepted once; a second decision needs a new version
        reports.return_report(engine, tokens.reviewer, PLAN, report_id, 1, "改", client=CLIENT, now=NOW)
    with pytest.raises(WrongState):  # an accepted report is not withdrawn: it is public
        reports.withdraw_report(engine, tokens.kjt, PLAN, report_id, client=CLIENT, now=NOW)


def test_who_sees_what(engine, tokens):
    kjt_report = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    cd_report = reports.file_report(engine, tokens.chengdu, PLAN, dataclasses.replace(FIRST, task=2), client=CLIENT, now=NOW + MINUTE)
    reports.accept_report(engine, tokens.reviewer, PLAN, cd_report, 1, client=CLIENT, now=NOW + 2 * MINUTE)
    at = NOW + 3 * MINUTE
    assert [v.report_id for v in reports.reports_for(engine, tokens.kjt, DOC, now=at)] == [kjt_report]
    assert [v.report_id for v in reports.reports_for(engine, tokens.chengdu, DOC, now=at)] == [cd_report]
    assert [v.report_id for v in reports.reports_for(engine, tokens.reviewer, DOC, now=at)] == [kjt_report, cd_report]
    assert reports.reports_for(engine, tokens.admin, DOC, now=at) == []
    assert reports.reports_for(engine, None, DOC, now=at) == []
    assert [r.report_id for r in reports.accepted_reports(engine, DOC)] == [cd_report]  # what anyone sees
    with pytest.raises(Forbidden):
        reports.report_history(engine, tokens.chengdu, DOC, kjt_report, now=at)
    with pytest.raises(Forbidden):
        reports.report_history(engine, None, DOC, kjt_report, now=at)
    assert reports.report_history(engine, tokens.kjt, DOC, kjt_report, now=at).report.agency == "kjt"


def test_coverage_shows_each_viewer_what_it_may_see(engine, tokens):
    at = NOW + 3 * MINUTE
    pending = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    accepted = reports.file_report(engine, tokens.kjt, PLAN, dataclasses.replace(FIRST, task=4), client=CLIENT, now=NOW)
    reports.accept_report(engine, tokens.reviewer, PLAN, accepted, 1, client=CLIENT, now=NOW + MINUTE)
    returned = reports.file_report(engine, tokens.kjt, PLAN, dataclasses.replace(FIRST, task=5), client=CLIENT, now=NOW)
    reports.return_report(engine, tokens.reviewer, PLAN, returned, 1, "补充", client=CLIENT, now=NOW + MINUTE)
    withdrawn = reports.file_report(engine, tokens.kjt, PLAN, dataclasses.replace(FIRST, task=6), client=CLIENT, now=NOW)
    reports.withdraw_report(engine, tokens.kjt, PLAN, withdrawn, client=CLIENT, now=NOW + MINUTE)
    reports.file_report(engine, tokens.kjt, PLAN, dataclasses.replace(FIRST, task=7, period=Period(2025)), client=CLIENT, now=NOW)
    assert pending and reports.coverage_states(engine, None, DOC, Period(2026), now=at) == {("kjt", 4): ReportState.accepted}
    everything = {("kjt", 3): ReportState.submitted, ("kjt", 4): ReportState.accepted, ("kjt", 5): ReportState.returned}
    assert reports.coverage_states(engine, tokens.kjt, DOC, Period(2026), now=at) == everything
    assert reports.coverage_states(engine, tokens.reviewer, DOC, Period(2026), now=at) == everything
    assert reports.coverage_states(engine, tokens.chengdu, DOC, Period(2026), now=at) == {("kjt", 4): ReportState.accepted}
    assert reports.coverage_states(engine, tokens.kjt, DOC, Period(2025), now=at) == {("kjt", 7): ReportState.submitted}


def run_together(*calls):
    """Start the calls in threads released at the same moment; return their results or exceptions, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (collected for the test to look at)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_sessions_filing_on_the_same_task_at_once_both_keep_their_report(engine, tokens):
    colleague = make_user(engine, "kjt-zhou", Role.reporter, "kjt")
    mine = dataclasses.replace(FIRST, done="李:评价办法已印发")
    theirs = dataclasses.replace(FIRST, done="周:首批园区评价已启动")
    results = run_together(
        lambda: reports.file_report(engine, tokens.kjt, PLAN, mine, client=CLIENT, now=NOW),
        lambda: reports.file_report(engine, colleague, PLAN, theirs, client=CLIENT, now=NOW),
    )
    assert all(isinstance(r, int) for r in results), results
    views = reports.reports_for(engine, tokens.reviewer, DOC, now=NOW)
    assert sorted((v.latest.author, v.latest.done) for v in views) == [("kjt-li", mine.done), ("kjt-zhou", theirs.done)]


def test_two_sessions_revising_one_report_at_once_both_versions_are_kept(engine, tokens):
    colleague = make_user(engine, "kjt-zhou", Role.reporter, "kjt")
    report_id = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    results = run_together(
        lambda: reports.revise_report(engine, tokens.kjt, PLAN, report_id, dataclasses.replace(FIRST, done="李改"), client=CLIENT, now=NOW),
        lambda: reports.revise_report(engine, colleague, PLAN, report_id, dataclasses.replace(FIRST, done="周改"), client=CLIENT, now=NOW),
    )
    assert sorted(results) == [2, 3], results
    history = reports.report_history(engine, tokens.reviewer, DOC, report_id, now=NOW)
    assert [v.version for v in history.versions] == [1, 2, 3]
    assert {v.done for v in history.versions[1:]} == {"李改", "周改"}


def test_two_reviewers_deciding_at_once_one_decision_stands(engine, tokens):
    second = make_user(engine, "fgw-sun", Role.reviewer)
    report_id = reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW)
    results = run_together(
        lambda: reports.accept_report(engine, tokens.reviewer, PLAN, report_id, 1, client=CLIENT, now=NOW),
        lambda: reports.return_report(engine, second, PLAN, report_id, 1, "退回", client=CLIENT, now=NOW),
    )
    assert sorted(type(r).__name__ for r in results) == ["NoneType", "WrongState"], results
    states = [e.state for e in reports.report_history(engine, tokens.reviewer, DOC, report_id, now=NOW).events]
    assert states[0] is ReportState.submitted and len(states) == 2


def test_a_signed_in_reporter_of_a_disabled_account_cannot_write(engine, tokens):
    accounts.disable_user(engine, "kjt-li", by="test", now=NOW)
    with pytest.raises(NotSignedIn):
        reports.file_report(engine, tokens.kjt, PLAN, FIRST, client=CLIENT, now=NOW + MINUTE)
    assert history_rows(engine)["reports"] == []
