"""Progress reports: filing, revising, reviewing and withdrawing them, and reading them back by who may see what.

A report is about one task, one period and one agency. Its versions and its changes of state are rows that
are only ever inserted (`models.APPEND_ONLY`): an edit is a new version, a review or a withdrawal a new event.
Every write function takes the session token, re-reads the acting user and checks the role itself:

| write | reporter | reviewer | admin | not signed in |
| --- | --- | --- | --- | --- |
| file, revise, withdraw, upload a sheet | own agency's tasks (lead or support) only | no | no | no |
| accept, return | no | any report | no | no |

Anyone may read accepted reports (`accepted_reports`); a reporter also sees its agency's other reports, a
reviewer all of them, each with its full history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, case, func, select
from sqlalchemy.orm import Session

from components.plan.model import Plan, Task
from components.plan.progress import Stage
from components.plan.reports import (
    MAX_COMMENT,
    AcceptedReport,
    Period,
    ProgressStatus,
    ReportDraft,
    ReportEventView,
    ReportHistory,
    ReportState,
    ReportVersionView,
    ReportView,
    agency_role,
    draft_problems,
    local_date,
    reporting_periods,
    text_problems,
)
from components.store import audit
from components.store.accounts import Actor, Role, actor_for, refusals_audited, require, utc_now
from components.store.db import reading, writing
from components.store.errors import Changed, Forbidden, Invalid, NotFound, WrongState
from components.store.models import Report, ReportEvent, ReportVersion, User

OPEN = (ReportState.submitted, ReportState.returned)  # states the agency may still change or withdraw


# --- checks shared by the writes ---


def _task(plan: Plan, number: int) -> Task:
    for task in plan.tasks:
        if task.number == number:
            return task
    raise Invalid(f"task {number} is not in plan {plan.meta.doc_number}")


def _may_report(actor: Actor, plan: Plan, number: int) -> Task:
    if actor.role is not Role.reporter or not actor.agency:
        raise Forbidden(f"{actor.username} is a {actor.role.value}: only reporters file reports")
    task = _task(plan, number)
    if agency_role(task, actor.agency) is None:
        raise Forbidden(f"agency {actor.agency} neither leads nor supports task {number}")
    return task


def _may_review(actor: Actor) -> None:
    if actor.role is not Role.reviewer:
        raise Forbidden(f"{actor.username} is a {actor.role.value}: only reviewers accept or return reports")


def _check_draft(draft: object) -> ReportDraft:
    """Checked again here: an object made without its constructor's checks must not reach the database either."""
    try:
        problems = draft_problems(draft) if isinstance(draft, ReportDraft) else ["not a report draft"]
    except AttributeError as missing:
        problems = [str(missing)]
    if problems:
        raise Invalid(f"the report is not valid: {problems}")
    return draft


def _check_period(plan: Plan, period: Period, now: dt.datetime) -> None:
    if period not in reporting_periods(plan, local_date(now)):
        raise Invalid(f"period {period.label} is before the plan or has not begun")


def _check_comment(comment: str | None, *, required: bool) -> str | None:
    comment = (comment or "").strip() or None
    problems = text_problems("comment", comment, limit=MAX_COMMENT, required=required)
    if problems:
        raise Invalid(f"comment: {problems[0].code}")
    return comment


def _locked(session: Session, report_id: int, plan: Plan) -> Report:
    """The report, locked against concurrent reviews and versions (SQLite writers are serialised anyway)."""
    report = session.scalar(select(Report).where(Report.id == report_id).with_for_update())
    if report is None or report.plan_doc_number != plan.meta.doc_number:
        raise NotFound(f"no report {report_id} for plan {plan.meta.doc_number}")
    return report


def _latest_event(session: Session, report_id: int) -> ReportEvent:
    return session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id).order_by(ReportEvent.id.desc()).limit(1)).one()


def _latest_version(session: Session, report_id: int) -> int:
    return session.scalar(select(func.max(ReportVersion.version)).where(ReportVersion.report_id == report_id)) or 0


def _add_version(
    session: Session, report: Report, version: int, draft: ReportDraft, actor: Actor, now: dt.datetime, *, via_sheet: bool
) -> None:
    session.add(
        ReportVersion(
            report_id=report.id,
            version=version,
            stage=draft.stage.value if draft.stage else None,
            status=draft.status.value,
            done=draft.done,
            next_steps=draft.next_steps,
            evidence_link=draft.evidence_link,
            evidence_document=draft.evidence_document,
            via_sheet=via_sheet,
            author_id=actor.user_id,
            created_at=now,
        )
    )
    session.add(
        ReportEvent(report_id=report.id, version=version, state=ReportState.submitted.value, actor_id=actor.user_id, created_at=now)
    )


def _target(report: Report) -> str:
    return f"report {report.id}: task {report.task}, {report.agency}, {report.period}"


# --- writes ---


def file_report(engine: Engine, token: str | None, plan: Plan, draft: ReportDraft, *, client: str, now: dt.datetime | None = None) -> int:
    """A new report (version 1, submitted for review) by the signed-in reporter's agency; returns its id."""
    now = now or utc_now()
    with refusals_audited(engine, "report.file", token, client, now, f"task {draft.task}, {draft.period.label}"):
        _check_draft(draft)
        with writing(engine) as session:
            actor = require(session, token, now)
            _may_report(actor, plan, draft.task)
            _check_period(plan, draft.period, now)
            report = _new_report(session, plan, draft, actor, now)
            _add_version(session, report, 1, draft, actor, now, via_sheet=False)
            audit.record(session, "report.file", at=now, username=actor.username, client=client, target=_target(report))
            return report.id


def _new_report(session: Session, plan: Plan, draft: ReportDraft, actor: Actor, now: dt.datetime) -> Report:
    report = Report(
        plan_doc_number=plan.meta.doc_number,
        task=draft.task,
        agency=actor.agency,
        period=draft.period.label,
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(report)
    session.flush()
    return report


def revise_report(
    engine: Engine, token: str | None, plan: Plan, report_id: int, draft: ReportDraft, *, client: str, now: dt.datetime | None = None
) -> int:
    """A new version of an agency's own report (its task and period stay); it goes back for review. Returns the version."""
    now = now or utc_now()
    with refusals_audited(engine, "report.revise", token, client, now, f"report {report_id}"):
        _check_draft(draft)
        with writing(engine) as session:
            actor = require(session, token, now)
            report = _locked(session, report_id, plan)
            _may_report(actor, plan, report.task)
            if report.agency != actor.agency:
                raise Forbidden(f"report {report_id} belongs to agency {report.agency}")
            if draft.task != report.task or draft.period.label != report.period:
                raise Invalid("a new version keeps the report's task and period")
            if ReportState(_latest_event(session, report.id).state) is ReportState.withdrawn:
                raise WrongState(f"report {report_id} was withdrawn: file a new one")
            version = _latest_version(session, report.id) + 1
            _add_version(session, report, version, draft, actor, now, via_sheet=False)
            audit.record(
                session,
                "report.revise",
                at=now,
                username=actor.username,
                client=client,
                target=_target(report),
                detail=f"version {version}",
            )
            return version


def _decide(
    engine: Engine,
    token: str | None,
    plan: Plan,
    report_id: int,
    version: int,
    state: ReportState,
    comment: str | None,
    *,
    client: str,
    now: dt.datetime | None,
) -> None:
    now = now or utc_now()
    action = f"report.{'accept' if state is ReportState.accepted else 'return'}"
    with refusals_audited(engine, action, token, client, now, f"report {report_id} version {version}"), writing(engine) as session:
        actor = require(session, token, now)
        _may_review(actor)
        comment = _check_comment(comment, required=state is ReportState.returned)
        report = _locked(session, report_id, plan)
        current = ReportState(_latest_event(session, report.id).state)
        if current is not ReportState.submitted:
            raise WrongState(f"report {report_id} is {current.value}, not waiting for review")
        latest = _latest_version(session, report.id)
        if version != latest:
            raise Changed(f"report {report_id} is at version {latest}; version {version} was reviewed")
        session.add(
            ReportEvent(report_id=report.id, version=version, state=state.value, actor_id=actor.user_id, comment=comment, created_at=now)
        )
        audit.record(session, action, at=now, username=actor.username, client=client, target=_target(report), detail=f"version {version}")


def accept_report(
    engine: Engine,
    token: str | None,
    plan: Plan,
    report_id: int,
    version: int,
    comment: str | None = None,
    *,
    client: str,
    now: dt.datetime | None = None,
) -> None:
    """The reviewer accepts the version they read; if a newer one arrived meanwhile, `Changed` is raised instead."""
    _decide(engine, token, plan, report_id, version, ReportState.accepted, comment, client=client, now=now)


def return_report(
    engine: Engine,
    token: str | None,
    plan: Plan,
    report_id: int,
    version: int,
    comment: str,
    *,
    client: str,
    now: dt.datetime | None = None,
) -> None:
    """Sent back to the agency with a comment (required): what is missing or wrong."""
    _decide(engine, token, plan, report_id, version, ReportState.returned, comment, client=client, now=now)


def withdraw_report(
    engine: Engine,
    token: str | None,
    plan: Plan,
    report_id: int,
    comment: str | None = None,
    *,
    client: str,
    now: dt.datetime | None = None,
) -> None:
    """The agency takes back a report that is not accepted; it stays in the history."""
    now = now or utc_now()
    with refusals_audited(engine, "report.withdraw", token, client, now, f"report {report_id}"), writing(engine) as session:
        actor = require(session, token, now)
        report = _locked(session, report_id, plan)
        _may_report(actor, plan, report.task)
        if report.agency != actor.agency:
            raise Forbidden(f"report {report_id} belongs to agency {report.agency}")
        comment = _check_comment(comment, required=False)
        latest = _latest_event(session, report.id)
        if ReportState(latest.state) not in OPEN:
            raise WrongState(f"report {report_id} is {latest.state}; only a submitted or returned report is withdrawn")
        version = _latest_version(session, report.id)
        session.add(
            ReportEvent(
                report_id=report.id,
                version=version,
                state=ReportState.withdrawn.value,
                actor_id=actor.user_id,
                comment=comment,
                created_at=now,
            )
        )
        audit.record(session, "report.withdraw", at=now, username=actor.username, client=client, target=_target(report))


def file_sheet(
    engine: Engine,
    token: str | None,
    plan: Plan,
    period: Period,
    drafts: Sequence[ReportDraft],
    *,
    client: str,
    now: dt.datetime | None = None,
) -> list[int]:
    """An uploaded 台账 sheet's rows, all or none, in one transaction.

    A row on a task where the agency already has an open (submitted or returned) report for the period becomes
    that report's next version; any other row a new report. Returns the report ids, in row order.
    """
    now = now or utc_now()
    with refusals_audited(engine, "report.sheet", token, client, now, f"{len(drafts)} rows, {period.label}"):
        if not all(_check_draft(d).period == period for d in drafts):
            raise Invalid(f"every row must be for {period.label}")
        if len({d.task for d in drafts}) != len(drafts):
            raise Invalid("a task appears in more than one row")
        with writing(engine) as session:
            actor = require(session, token, now)
            _check_period(plan, period, now)
            ids = []
            for draft in drafts:
                _may_report(actor, plan, draft.task)
                report = _open_report(session, plan, actor.agency, draft.task, period)
                if report is None:
                    report = _new_report(session, plan, draft, actor, now)
                    version = 1
                else:
                    version = _latest_version(session, report.id) + 1
                _add_version(session, report, version, draft, actor, now, via_sheet=True)
                ids.append(report.id)
            audit.record(
                session,
                "report.sheet",
                at=now,
                username=actor.username,
                client=client,
                target=f"{actor.agency}, {period.label}",
                detail=f"{len(ids)} rows: reports {ids}"[:500],
            )
            return ids


def _open_report(session: Session, plan: Plan, agency: str, task: int, period: Period) -> Report | None:
    """The agency's newest report on this task and period that is still open, locked for the new version."""
    candidates = session.scalars(
        select(Report)
        .where(Report.plan_doc_number == plan.meta.doc_number, Report.agency == agency, Report.task == task, Report.period == period.label)
        .order_by(Report.id.desc())
        .with_for_update()
    )
    for report in candidates:
        if ReportState(_latest_event(session, report.id).state) in OPEN:
            return report
    return None


# --- reads ---


def _session(bind: Engine | Connection | Session) -> tuple[Session, bool]:
    if isinstance(bind, Session):
        return bind, False
    return Session(bind, expire_on_commit=False), True


def _usernames(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {user_id: name for user_id, name in session.execute(select(User.id, User.username).where(User.id.in_(ids)))}


def _version_view(row: ReportVersion, names: dict[int, str]) -> ReportVersionView:
    return ReportVersionView(
        version=row.version,
        stage=Stage(row.stage) if row.stage else None,
        status=ProgressStatus(row.status),
        done=row.done,
        next_steps=row.next_steps,
        evidence_link=row.evidence_link,
        evidence_document=row.evidence_document,
        author=names.get(row.author_id, "?"),
        created_at=row.created_at,
        via_sheet=row.via_sheet,
    )


def reports_stamp(engine: Engine) -> int:
    """The newest change of state of any report. Events are only ever added, so what is accepted can change only
    when this does: a replica that keys its cache on it sees another replica's acceptance at its next page run."""
    with reading(engine) as session:
        return session.scalar(select(func.max(ReportEvent.id))) or 0


def accepted_reports(bind: Engine | Connection | Session, plan_doc_number: str) -> list[AcceptedReport]:
    """The accepted version of every report on this plan (the newest acceptance, if a later version was accepted again),
    by task, period and agency. What every visitor may see."""
    session, owned = _session(bind)
    try:
        rows = session.execute(
            select(ReportEvent, Report)
            .join(Report, Report.id == ReportEvent.report_id)
            .where(Report.plan_doc_number == plan_doc_number, ReportEvent.state == ReportState.accepted.value)
            .order_by(ReportEvent.id)
        ).all()
        accepted = {report.id: (event, report) for event, report in rows}  # the last acceptance of each report wins
        if not accepted:
            return []
        versions = {
            (v.report_id, v.version): v
            for v in session.scalars(select(ReportVersion).where(ReportVersion.report_id.in_(accepted)))
            if accepted[v.report_id][0].version == v.version
        }
        names = _usernames(session, {e.actor_id for e, _ in accepted.values()} | {v.author_id for v in versions.values()})
        found = []
        for event, report in accepted.values():
            version = versions[(report.id, event.version)]
            found.append(
                AcceptedReport(
                    report_id=report.id,
                    version=event.version,
                    task=report.task,
                    agency=report.agency,
                    period=Period.parse(report.period),
                    stage=Stage(version.stage) if version.stage else None,
                    status=ProgressStatus(version.status),
                    done=version.done,
                    next_steps=version.next_steps,
                    evidence_link=version.evidence_link,
                    evidence_document=version.evidence_document,
                    reported_by=names.get(version.author_id, "?"),
                    reported_at=version.created_at,
                    accepted_by=names.get(event.actor_id, "?"),
                    accepted_at=event.created_at,
                    review_comment=event.comment,
                )
            )
        return sorted(found, key=lambda r: (r.task, r.period.sort_key, r.agency, r.report_id))
    finally:
        if owned:
            session.close()


def _views(session: Session, reports: list[Report]) -> list[ReportView]:
    if not reports:
        return []
    ids = [r.id for r in reports]
    events: dict[int, list[ReportEvent]] = {}
    for event in session.scalars(select(ReportEvent).where(ReportEvent.report_id.in_(ids)).order_by(ReportEvent.id)):
        events.setdefault(event.report_id, []).append(event)
    latest: dict[int, ReportVersion] = {}
    for version in session.scalars(select(ReportVersion).where(ReportVersion.report_id.in_(ids)).order_by(ReportVersion.version)):
        latest[version.report_id] = version
    names = _usernames(session, {e.actor_id for es in events.values() for e in es} | {v.author_id for v in latest.values()})
    views = []
    for report in reports:
        last = events[report.id][-1]
        accepted = [e.version for e in events[report.id] if e.state == ReportState.accepted.value]
        views.append(
            ReportView(
                report_id=report.id,
                task=report.task,
                agency=report.agency,
                period=Period.parse(report.period),
                state=ReportState(last.state),
                latest=_version_view(latest[report.id], names),
                state_by=names.get(last.actor_id, "?"),
                state_at=last.created_at,
                state_comment=last.comment,
                accepted_version=accepted[-1] if accepted else None,
            )
        )
    return views


def _visible(actor: Actor | None, agency: str) -> bool:
    """Beyond accepted versions: a reviewer sees every report, a reporter its own agency's."""
    if actor is None:
        return False
    return actor.role is Role.reviewer or (actor.role is Role.reporter and actor.agency == agency)


def reports_for(engine: Engine, token: str | None, plan_doc_number: str, *, now: dt.datetime | None = None) -> list[ReportView]:
    """Every report the signed-in user may follow (a reviewer: all; a reporter: its agency's), oldest change first.
    Anyone else gets none here: accepted reports are read with `accepted_reports`."""
    now = now or utc_now()
    with reading(engine) as session:
        actor = actor_for(session, token, now, touch=False)
        if actor is None or actor.role not in (Role.reviewer, Role.reporter):
            return []
        query = select(Report).where(Report.plan_doc_number == plan_doc_number)
        if actor.role is Role.reporter:
            query = query.where(Report.agency == actor.agency)
        views = _views(session, list(session.scalars(query.order_by(Report.id))))
    return sorted(views, key=lambda v: (v.state_at, v.report_id))


def _followed(session: Session, actor: Actor | None, plan_doc_number: str, waiting: bool):
    """The reports `actor` may follow, each with its latest change of state, as a query to count or to page through;
    None for a user who follows none. `waiting`: only those whose latest state is submitted."""
    if actor is None or actor.role not in (Role.reviewer, Role.reporter):
        return None
    last = select(ReportEvent.report_id, func.max(ReportEvent.id).label("last")).group_by(ReportEvent.report_id).subquery()
    query = (
        select(Report, ReportEvent.created_at)
        .join(last, last.c.report_id == Report.id)
        .join(ReportEvent, ReportEvent.id == last.c.last)
        .where(Report.plan_doc_number == plan_doc_number)
    )
    if actor.role is Role.reporter:
        query = query.where(Report.agency == actor.agency)
    if waiting:
        query = query.where(ReportEvent.state == ReportState.submitted.value)
    return query


def followed_count(engine: Engine, token: str | None, plan_doc_number: str, *, waiting: bool, now: dt.datetime | None = None) -> int:
    """How many reports `reports_for` would list (only those waiting for review if asked), counted in the database."""
    now = now or utc_now()
    with reading(engine) as session:
        query = _followed(session, actor_for(session, token, now, touch=False), plan_doc_number, waiting)
        return 0 if query is None else session.scalar(select(func.count()).select_from(query.subquery()))


def followed_page(
    engine: Engine,
    token: str | None,
    plan_doc_number: str,
    *,
    waiting: bool,
    newest_first: bool,
    start: int,
    stop: int,
    now: dt.datetime | None = None,
) -> list[ReportView]:
    """Positions `start` to `stop` of what `reports_for` lists (oldest change first, or newest first), read with
    LIMIT: a page of a queue of 10,000 reports reads 20 of them, not all."""
    now = now or utc_now()
    with reading(engine) as session:
        query = _followed(session, actor_for(session, token, now, touch=False), plan_doc_number, waiting)
        if query is None or stop <= start:
            return []
        order = (ReportEvent.created_at.desc(), Report.id.desc()) if newest_first else (ReportEvent.created_at, Report.id)
        reports = list(session.scalars(query.order_by(*order).offset(start).limit(stop - start)))
        return _views(session, reports)


def report_history(
    engine: Engine, token: str | None, plan_doc_number: str, report_id: int, *, now: dt.datetime | None = None
) -> ReportHistory:
    """Every version and change of state, with who and when: for reviewers, and for the report's own agency."""
    now = now or utc_now()
    with reading(engine) as session:
        actor = actor_for(session, token, now, touch=False)
        report = session.get(Report, report_id)
        if report is None or report.plan_doc_number != plan_doc_number:
            raise NotFound(f"no report {report_id}")
        if not _visible(actor, report.agency):
            raise Forbidden("the history of a report is for reviewers and the reporting agency")
        versions = list(session.scalars(select(ReportVersion).where(ReportVersion.report_id == report_id).order_by(ReportVersion.version)))
        events = list(session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id).order_by(ReportEvent.id)))
        names = _usernames(session, {v.author_id for v in versions} | {e.actor_id for e in events})
        return ReportHistory(
            report=_views(session, [report])[0],
            versions=tuple(_version_view(v, names) for v in versions),
            events=tuple(
                ReportEventView(ReportState(e.state), e.version, names.get(e.actor_id, "?"), e.created_at, e.comment) for e in events
            ),
        )


_RANK = {ReportState.accepted: 3, ReportState.submitted: 2, ReportState.returned: 1}


def coverage_states(
    engine: Engine, token: str | None, plan_doc_number: str, period: Period, *, now: dt.datetime | None = None
) -> dict[tuple[str, int], ReportState]:
    """For each (agency, task) with a report for the period, how far the furthest one got, as far as the viewer may see:
    everyone sees which have an accepted report; a reporter also its agency's pending and returned ones, a reviewer all."""
    now = now or utc_now()
    with reading(engine) as session:
        actor = actor_for(session, token, now, touch=False)
        # one row per report, read as plain columns: its latest change of state and whether it was ever accepted
        # (loading every report's events and versions as objects took 5 s for 10,000 reports)
        latest = (
            select(
                ReportEvent.report_id,
                func.max(ReportEvent.id).label("last"),
                func.max(case((ReportEvent.state == ReportState.accepted.value, 1), else_=0)).label("accepted"),
            )
            .group_by(ReportEvent.report_id)
            .subquery()
        )
        rows = session.execute(
            select(Report.agency, Report.task, ReportEvent.state, latest.c.accepted)
            .join(latest, latest.c.report_id == Report.id)
            .join(ReportEvent, ReportEvent.id == latest.c.last)
            .where(Report.plan_doc_number == plan_doc_number, Report.period == period.label)
        ).all()
        states: dict[tuple[str, int], ReportState] = {}
        for agency, task, last, accepted in rows:
            state = ReportState.accepted if accepted else ReportState(last)
            if state is ReportState.withdrawn or (state is not ReportState.accepted and not _visible(actor, agency)):
                continue
            key = (agency, task)
            if key not in states or _RANK[state] > _RANK[states[key]]:
                states[key] = state
    return states
