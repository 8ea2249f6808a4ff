"""The permission matrix: every kind of caller × every write, called directly on the store as a forged request would
(no page, no hidden button), on SQLite and PostgreSQL. A refused write changes nothing and is audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import itertools

import pytest
from sqlalchemy import select

from components import paths
from components.plan.loader import load_plan_file
from components.plan.model import TargetEdit
from components.plan.reports import Period, ProgressStatus, ReportDraft
from components.plan.scenarios import make_scenario
from components.store import accounts, audit, reports, scenarios
from components.store.accounts import Role
from components.store.db import make_engine, reading
from components.store.errors import Forbidden, Invalid, NotSignedIn, StoreError
from components.store.migrate import migrate
from components.store.models import Report, ReportEvent, ReportVersion, SavedScenario
from tests.store.conftest import CLIENT, NOW, PASSWORD

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
OK = "allowed"
PERIOD = Period(2026)
# Task 3: 科技厅 (kjt) leads; 成都 (chengdu) has no part in it.
DRAFT = ReportDraft(task=3, period=PERIOD, stage=None, status=ProgressStatus.on_track, done="园区评价办法已印发")
NEWER = dataclasses.replace(DRAFT, done="园区评价办法已印发,首批评价完成")

CALLERS = ("anonymous", "forged_token", "expired_session", "disabled_account", "reporter_kjt", "reporter_chengdu", "reviewer", "admin")
WRITES = ("file", "revise", "withdraw", "sheet", "accept", "return", "save_scenario", "delete_others_scenario")
ONLY = {  # who may do each write; everyone else is refused with the error named
    "file": {"reporter_kjt"},
    "revise": {"reporter_kjt"},
    "withdraw": {"reporter_kjt"},
    "sheet": {"reporter_kjt"},
    "accept": {"reviewer"},
    "return": {"reviewer"},
    "save_scenario": {"reporter_kjt", "reporter_chengdu", "reviewer", "admin"},
    "delete_others_scenario": {"admin"},
}
SIGNED_OUT = {"anonymous", "forged_token", "expired_session", "disabled_account"}


def expected(caller: str, write: str) -> str | type[StoreError]:
    if caller in ONLY[write]:
        return OK
    return NotSignedIn if caller in SIGNED_OUT else Forbidden


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    """One database per engine for the whole matrix: each test acts on a report of its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'store.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    engine = make_engine(url)
    migrate(engine)
    tokens = {"anonymous": None, "forged_token": "x" * 43}
    for name, role, agency in [
        ("kjt-li", Role.reporter, "kjt"),
        ("cd-wang", Role.reporter, "chengdu"),
        ("fgw-zhao", Role.reviewer, None),
        ("admin", Role.admin, None),
        ("kjt-old", Role.reporter, "kjt"),
        ("kjt-idle", Role.reporter, "kjt"),
        ("owner", Role.reviewer, None),
    ]:
        accounts.add_user(engine, name, PASSWORD, role, agency, by="test", now=NOW - dt.timedelta(hours=3))
    sign_in = lambda name, at=NOW: accounts.sign_in(engine, name, PASSWORD, CLIENT, now=at)  # noqa: E731
    tokens |= {"reporter_kjt": sign_in("kjt-li"), "reporter_chengdu": sign_in("cd-wang"), "reviewer": sign_in("fgw-zhao")}
    tokens |= {"admin": sign_in("admin"), "owner": sign_in("owner")}
    tokens["disabled_account"] = sign_in("kjt-old")
    accounts.disable_user(engine, "kjt-old", by="test", now=NOW)
    tokens["expired_session"] = sign_in("kjt-idle", NOW - dt.timedelta(hours=2))  # idle since: far past 30 minutes
    yield engine, tokens
    engine.dispose()


_names = itertools.count()


def attempt(engine, tokens, caller: str, write: str):
    """Set up what the write acts on (as its rightful owner), then try the write as `caller`."""
    token = tokens[caller]
    kw = {"client": CLIENT, "now": NOW}
    if write in ("revise", "withdraw", "accept", "return"):
        report_id = reports.file_report(engine, tokens["reporter_kjt"], PLAN, DRAFT, **kw)
    if write == "file":
        return lambda: reports.file_report(engine, token, PLAN, DRAFT, **kw)
    if write == "revise":
        return lambda: reports.revise_report(engine, token, PLAN, report_id, NEWER, **kw)
    if write == "withdraw":
        return lambda: reports.withdraw_report(engine, token, PLAN, report_id, **kw)
    if write == "sheet":
        return lambda: reports.file_sheet(engine, token, PLAN, PERIOD, [DRAFT], **kw)
    if write == "accept":
        return lambda: reports.accept_report(engine, token, PLAN, report_id, 1, **kw)
    if write == "return":
        return lambda: reports.return_report(engine, token, PLAN, report_id, 1, "请补充佐证材料", **kw)
    name = f"情景{next(_names)}"
    scenario = make_scenario(name, PLAN, {"rd_intensity": TargetEdit(value=2.9)}, saved_at=NOW)
    if write == "save_scenario":
        return lambda: scenarios.save(engine, token, scenario, **kw)
    scenarios.save(engine, tokens["owner"], scenario, **kw)
    return lambda: scenarios.delete(engine, token, PLAN.meta.doc_number, name, **kw)


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table a write could touch, in full."""
    found = {}
    with reading(engine) as session:
        for model in (Report, ReportVersion, ReportEvent, SavedScenario):
            rows = session.scalars(select(model).order_by(model.id))
            found[model.__tablename__] = [tuple(getattr(row, c.key) for c in model.__table__.columns) for row in rows]
    return found


@pytest.mark.parametrize(("caller", "write"), list(itertools.product(CALLERS, WRITES)))
def test_permission_matrix(world, caller, write):
    engine, tokens = world
    act = attempt(engine, tokens, caller, write)
    before = snapshot(engine)
    outcome = expected(caller, write)
    if outcome == OK:
        act()
        assert snapshot(engine) != before
        assert audit.entries(engine, limit=1)[0].ok
        return
    with pytest.raises(outcome):
        act()
    assert snapshot(engine) == before, "a refused write changed the database"
    refusal = audit.entries(engine, limit=1)[0]
    assert (refusal.ok, refusal.client) == (False, CLIENT)
    assert refusal.detail.startswith(outcome.code)
    assert refusal.username == {"reporter_kjt": "kjt-li", "reporter_chengdu": "cd-wang", "reviewer": "fgw-zhao", "admin": "admin"}.get(
        caller
    )


def test_the_matrix_covers_every_write_function():
    """Every function of the store that acts for a signed-in user (a token and a client address) is in the matrix."""
    writes = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in (reports, scenarios)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and value.__module__ == module.__name__
        and {"token", "client"} <= set(inspect.signature(value).parameters)
    }
    assert writes == {
        "reports.file_report",
        "reports.revise_report",
        "reports.withdraw_report",
        "reports.file_sheet",
        "reports.accept_report",
        "reports.return_report",
        "scenarios.save",
        "scenarios.delete",
    }
    assert len(WRITES) == len(writes)


def test_a_reporter_cannot_change_another_agencys_report_on_a_shared_task(world):
    """Task 2 is led by 科技厅, 成都 and 绵阳 together: 成都 may report on it, but not in 科技厅's name."""
    engine, tokens = world
    draft = dataclasses.replace(DRAFT, task=2)
    report_id = reports.file_report(engine, tokens["reporter_kjt"], PLAN, draft, client=CLIENT, now=NOW)
    before = snapshot(engine)
    with pytest.raises(Forbidden, match="belongs to agency kjt"):
        reports.revise_report(
            engine, tokens["reporter_chengdu"], PLAN, report_id, dataclasses.replace(draft, done="改写"), client=CLIENT, now=NOW
        )
    with pytest.raises(Forbidden):
        reports.withdraw_report(engine, tokens["reporter_chengdu"], PLAN, report_id, client=CLIENT, now=NOW)
    assert snapshot(engine) == before
    own = reports.file_report(engine, tokens["reporter_chengdu"], PLAN, draft, client=CLIENT, now=NOW)
    with reading(engine) as session:
        assert session.get(Report, own).agency == "chengdu"  # the agency comes from the account, never from the request


def test_a_supporting_agency_may_report(world):
    """Task 1 is led by 省发展改革委; 成都 supports it."""
    engine, tokens = world
    report_id = reports.file_report(engine, tokens["reporter_chengdu"], PLAN, dataclasses.replace(DRAFT, task=1), client=CLIENT, now=NOW)
    assert report_id > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task": 999}, "task 999 is not in plan"),
        ({"period": Period(2027)}, "has not begun"),
        ({"period": Period(2026, 4)}, None),  # the quarter under way: allowed
        ({"period": Period(2021)}, "before the plan"),
    ],
)
def test_forged_tasks_and_periods_are_refused(world, change, message):
    engine, tokens = world
    draft = dataclasses.replace(DRAFT, **change)
    if message is None:
        assert reports.file_report(engine, tokens["reporter_kjt"], PLAN, draft, client=CLIENT, now=NOW)
        return
    before = snapshot(engine)
    with pytest.raises(Invalid, match=message):
        reports.file_report(engine, tokens["reporter_kjt"], PLAN, draft, client=CLIENT, now=NOW)
    assert snapshot(engine) == before


def test_a_draft_made_without_its_checks_is_refused(world):
    engine, tokens = world
    forged = object.__new__(ReportDraft)
    for field, value in {**{f.name: getattr(DRAFT, f.name) for f in dataclasses.fields(DRAFT)}, "done": "x" * 100_000}.items():
        object.__setattr__(forged, field, value)
    before = snapshot(engine)
    with pytest.raises(Invalid, match="too_long"):
        reports.file_report(engine, tokens["reporter_kjt"], PLAN, forged, client=CLIENT, now=NOW)
    with pytest.raises(Invalid, match="not a report draft"):
        reports.file_sheet(engine, tokens["reporter_kjt"], PLAN, PERIOD, [{"task": 3}], client=CLIENT, now=NOW)
    assert snapshot(engine) == before
