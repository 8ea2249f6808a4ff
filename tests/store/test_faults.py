"""A database that is not there or is locked: the error is SQLAlchemy's DBAPIError (the one the interface catches),
reads go on while SQLite is locked for writing, and a write that failed left nothing behind."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from components import paths
from components.plan.loader import load_plan_file
from components.plan.reports import Period, ProgressStatus, ReportDraft
from components.store import accounts, audit, reports
from components.store.db import is_locked, make_engine
from components.store.migrate import migrate
from tests.postgres import Cluster
from tests.store.conftest import CLIENT, NOW, PASSWORD

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
DRAFT = ReportDraft(task=3, period=Period(2026), stage=None, status=ProgressStatus.on_track, done="推进中")


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/for/sure/dashboard.sqlite3",
        "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",  # port 9 (discard): refused at once
        "postgresql+psycopg://nobody@/none?host=/nonexistent-socket-dir",
    ],
)
def test_an_unreachable_database_raises_dbapi_errors(url):
    engine = make_engine(url)
    with pytest.raises(OperationalError) as raised:
        migrate(engine)
    assert isinstance(raised.value, DBAPIError)
    assert not is_locked(raised.value)
    with pytest.raises(DBAPIError):
        accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW)
    with pytest.raises(DBAPIError):
        reports.accepted_reports(engine, PLAN.meta.doc_number)


def test_a_locked_sqlite_file_refuses_writes_and_still_reads(tmp_path):
    path = tmp_path / "store.sqlite3"
    engine = make_engine(f"sqlite:///{path}", busy_seconds=0.2)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, accounts.Role.reporter, "kjt", by="test", now=NOW)
    token = accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        with pytest.raises(OperationalError) as raised:
            reports.file_report(engine, token, PLAN, DRAFT, client=CLIENT, now=NOW)
        assert is_locked(raised.value)
        assert reports.accepted_reports(engine, PLAN.meta.doc_number) == []  # WAL: readers are not blocked
        assert accounts.current_actor(engine, token, now=NOW).username == "kjt-li"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert reports.file_report(engine, token, PLAN, DRAFT, client=CLIENT, now=NOW) == 1  # nothing half-written before
    engine.dispose()


@pytest.fixture(scope="module")
def restartable():
    """A PostgreSQL cluster of this module's own, so that stopping it disturbs no other test."""
    cluster = Cluster.start()
    yield cluster
    cluster.stop()


def test_a_postgresql_restart_mid_write_leaves_nothing_and_the_same_engine_recovers(restartable, monkeypatch):
    """The server goes away after the report, its version, its event and the audit row were sent but before the commit:
    none of them stays, and the engine the server process already holds works again once PostgreSQL is back."""
    engine = make_engine(restartable.new_database())
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, accounts.Role.reporter, "kjt", by="test", now=NOW)
    token = accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW)
    record = audit.record

    def record_then_stop(session, action, **fields):
        record(session, action, **fields)
        session.flush()  # every row of the report is on the server, inside the open transaction
        restartable.stop_server()

    monkeypatch.setattr(audit, "record", record_then_stop)
    with pytest.raises(OperationalError):
        reports.file_report(engine, token, PLAN, DRAFT, client=CLIENT, now=NOW)
    monkeypatch.setattr(audit, "record", record)
    with pytest.raises(OperationalError):  # still down: the next write fails the same way, with the error pages turn into a message
        reports.file_report(engine, token, PLAN, DRAFT, client=CLIENT, now=NOW)
    restartable.start_server()

    with engine.connect() as connection:
        counts = {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}")) for table in ("reports", "report_versions", "report_events")
        }
        filed = connection.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'report.file'"))
    assert counts == {"reports": 0, "report_versions": 0, "report_events": 0}
    assert filed == 0
    filed_id = reports.file_report(engine, token, PLAN, DRAFT, client=CLIENT, now=NOW)  # no restart of the process needed
    views = reports.reports_for(engine, token, PLAN.meta.doc_number, now=NOW)
    assert [(v.report_id, v.latest.version, v.state.value) for v in views] == [(filed_id, 1, "submitted")]
    engine.dispose()
