"""Backups: back up, wipe (or change), restore, and compare every row of every table, on SQLite and PostgreSQL; the
append-only triggers and the id sequences survive; what may not be restored is refused and changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import threading
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from components import backup as cli
from components.plan.reports import Period, ProgressStatus, ReportDraft
from components.plan.scenarios import make_scenario
from components.store import accounts, reports, scenarios
from components.store import backup as backup_module
from components.store.accounts import Role
from components.store.backup import BackupError, create, describe, restore
from components.store.db import make_engine
from components.store.migrate import migrate
from components.store.models import APPEND_ONLY
from tests.store.conftest import CLIENT, NOW, PASSWORD, Tokens, make_user
from tests.store.test_reports import FIRST, PLAN, SECOND

USERS = (("kjt-li", Role.reporter, "kjt"), ("cd-wang", Role.reporter, "chengdu"), ("fgw-zhao", Role.reviewer), ("admin", Role.admin))
LATER = NOW + dt.timedelta(minutes=10)
RESTORED = NOW + dt.timedelta(minutes=20)


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for name, table in sorted(metadata.tables.items())
        }


def write_everything(engine, tokens) -> None:
    """Something in every table: reports in each state, a sheet, scenarios, failed and good sign-ins, a marker."""
    kw = {"client": CLIENT, "now": NOW}
    first = reports.file_report(engine, tokens.kjt, PLAN, FIRST, **kw)
    reports.return_report(engine, tokens.reviewer, PLAN, first, 1, "请补充佐证", **kw)
    reports.revise_report(engine, tokens.kjt, PLAN, first, SECOND, **kw)
    reports.accept_report(engine, tokens.reviewer, PLAN, first, 2, "同意", **kw)
    other = reports.file_report(engine, tokens.chengdu, PLAN, dataclasses.replace(FIRST, task=5, done="成都片区\n第二行"), **kw)
    reports.withdraw_report(engine, tokens.chengdu, PLAN, other, "重复填报", **kw)
    sheet = [ReportDraft(task=n, period=Period(2026, 4), stage=None, status=ProgressStatus.behind, done=f"台账第 {n} 行") for n in (1, 2)]
    reports.file_sheet(engine, tokens.kjt, PLAN, Period(2026, 4), sheet, **kw)
    scenarios.save(engine, tokens.kjt, make_scenario("高目标 A", PLAN, {}, saved_at=NOW), **kw)
    assert accounts.sign_in(engine, "kjt-li", "wrong password!", CLIENT, now=NOW) is None
    assert accounts.sign_in(engine, "nobody-here", "wrong password!", CLIENT, now=NOW) is None
    scenarios.import_files(engine, Path("/nonexistent-scenario-folder"), now=NOW)  # the marker row


def wipe(engine) -> None:
    """Nothing left: the SQLite file deleted, or every table of the PostgreSQL database dropped."""
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)
    else:
        with make_engine(url.render_as_string(hide_password=False)).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def assert_restored(before: dict, after: dict, backup_file: Path) -> None:
    """Every table as it was, but for what a restore adds: open sign-in sessions end, and one audit row says so."""
    restored_at = RESTORED.replace(tzinfo=None)  # as the reflected column returns it: naive UTC
    assert after["sign_in_sessions"] == [row[:-1] + (row[-1] or restored_at,) for row in before["sign_in_sessions"]]
    open_before = sum(1 for row in before["sign_in_sessions"] if row[-1] is None)
    assert open_before > 0
    assert after["audit_log"][:-1] == before["audit_log"]
    entry = after["audit_log"][-1]
    assert entry[4:6] == ("database.restore", backup_file.name)
    assert entry[7].endswith(f"{open_before} open sign-in sessions ended")
    rest = set(before) - {"sign_in_sessions", "audit_log"}
    assert {name: after[name] for name in rest} == {name: before[name] for name in rest}


def append_only_holds(engine, rows: dict[str, list[tuple]]) -> None:
    """The triggers came back with the tables: deleting from any append-only table that holds rows fails."""
    tables = [table for table in APPEND_ONLY if rows[table]]
    assert tables
    for table in tables:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(f"DELETE FROM {table}"))


@pytest.mark.parametrize("then", ["wipe", "change"])
def test_back_up_then_wipe_or_change_then_restore_gives_every_row_back(engine, tokens, tmp_path, then):
    write_everything(engine, tokens)
    before = snapshot(engine)
    assert all(before[name] for name in before if name != "alembic_version"), "every table should hold something"
    backup_file = tmp_path / "dashboard.backup"
    info = create(url_of(engine), backup_file)
    assert info.revision == "0001"
    assert info.rows == {name: len(rows) for name, rows in before.items()}
    assert os.stat(backup_file).st_mode & 0o777 == 0o600  # password hashes are in it

    if then == "wipe":
        wipe(engine)
    else:  # written after the backup: gone after the restore
        reports.file_report(engine, tokens.chengdu, PLAN, dataclasses.replace(FIRST, task=2), client=CLIENT, now=LATER)
        accounts.add_user(engine, "late-user", PASSWORD, accounts.Role.reviewer, None, by="test", now=LATER)
    restore(url_of(engine), backup_file, by="test", now=RESTORED)

    after = snapshot(engine)
    assert_restored(before, after, backup_file)
    append_only_holds(engine, after)
    token = accounts.sign_in(engine, "cd-wang", PASSWORD, CLIENT, now=RESTORED)  # the sessions ended: sign in again
    new_id = reports.file_report(engine, token, PLAN, dataclasses.replace(FIRST, task=2), client=CLIENT, now=RESTORED)
    assert new_id == max(row[0] for row in before["reports"]) + 1  # ids go on from the backup's (PostgreSQL's sequences too)


def test_a_backup_made_while_people_write_is_consistent(engine, tokens, tmp_path):
    """The copy is one snapshot: every report in it has its version and its event, whatever was being written."""
    stop = threading.Event()

    def keep_filing() -> None:
        task = 0
        while not stop.is_set() and task < 200:
            task += 1
            reports.file_report(engine, tokens.kjt, PLAN, dataclasses.replace(FIRST, done=f"并发写入 {task}"), client=CLIENT, now=NOW)

    writer = threading.Thread(target=keep_filing)
    writer.start()
    try:
        info = create(url_of(engine), tmp_path / "during.backup")
    finally:
        stop.set()
        writer.join()
    assert info.rows["reports"] == info.rows["report_versions"] == info.rows["report_events"]
    assert info.rows["audit_log"] >= info.rows["reports"]


def test_what_may_not_be_restored_is_refused_and_changes_nothing(engine, tokens, tmp_path):
    write_everything(engine, tokens)
    url = url_of(engine)
    good = tmp_path / "good.backup"
    create(url, good)
    with pytest.raises(BackupError, match="exists already"):
        create(url, good)
    before = snapshot(engine)

    newer_db = tmp_path / "newer.backup"  # a backup from a dashboard version with a schema this one does not know
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    create(url, newer_db)
    with pytest.raises(BackupError, match="newer than this version"):  # the database itself is newer now
        restore(url, good, by="test")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(BackupError, match="made by a newer version"):
        restore(url, newer_db, by="test")

    not_a_backup = tmp_path / "plan.yaml"
    not_a_backup.write_text("meta: {}\n", encoding="utf-8")
    with pytest.raises(BackupError, match="not a backup"):
        restore(url, not_a_backup, by="test")
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(BackupError):
        restore(url, truncated, by="test")
    assert snapshot(engine) == before


def test_a_postgresql_backup_is_not_restored_into_sqlite(postgres, tmp_path):
    pg_url = postgres.new_database()
    engine = make_engine(pg_url)
    migrate(engine)
    engine.dispose()
    create(pg_url, tmp_path / "pg.backup")
    with pytest.raises(BackupError, match="restores into PostgreSQL only"):
        restore(f"sqlite:///{tmp_path / 'one.sqlite3'}", tmp_path / "pg.backup", by="test")


def test_a_sqlite_backup_moves_into_postgresql_row_for_row(postgres, tmp_path):
    """From one machine to several: every row of every table arrives, the triggers hold, ids go on after the copied ones."""
    sqlite_engine = make_engine(f"sqlite:///{tmp_path / 'one-machine.sqlite3'}")
    migrate(sqlite_engine)
    tokens = Tokens(*(make_user(sqlite_engine, *user) for user in USERS))
    write_everything(sqlite_engine, tokens)
    before = snapshot(sqlite_engine)
    create(url_of(sqlite_engine), tmp_path / "one-machine.backup")
    sqlite_engine.dispose()

    pg_engine = make_engine(postgres.new_database())
    migrate(pg_engine)
    accounts.add_user(pg_engine, "already-here", PASSWORD, accounts.Role.reviewer, None, by="test", now=NOW)  # replaced
    restore(url_of(pg_engine), tmp_path / "one-machine.backup", by="test", now=RESTORED)
    after = snapshot(pg_engine)
    assert_restored(before, after, tmp_path / "one-machine.backup")
    append_only_holds(pg_engine, after)
    token = accounts.sign_in(pg_engine, "cd-wang", PASSWORD, CLIENT, now=RESTORED)
    new_id = reports.file_report(pg_engine, token, PLAN, dataclasses.replace(FIRST, task=2), client=CLIENT, now=RESTORED)
    assert new_id == max(row[0] for row in before["reports"]) + 1
    pg_engine.dispose()


def test_postgresql_round_trip_as_an_owner_who_is_not_a_superuser(postgres, tmp_path):
    """The usual production set-up: the dashboard's role owns its database and nothing more."""
    with psycopg.connect(host=str(postgres.socket_dir), port=postgres.port, user="postgres", dbname="postgres", autocommit=True) as admin:
        admin.execute("CREATE ROLE dashboard LOGIN PASSWORD 'secret-pw'")
        admin.execute("CREATE DATABASE owned_by_dashboard OWNER dashboard")
    url = make_url(postgres.url("owned_by_dashboard")).set(username="dashboard", password="secret-pw").render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, accounts.Role.reporter, "kjt", by="test", now=NOW)
    before = snapshot(engine)
    create(url, tmp_path / "owned.backup")
    wipe(engine)
    restore(url, tmp_path / "owned.backup", by="test", now=RESTORED)
    after = snapshot(engine)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}
    append_only_holds(engine, after)
    engine.dispose()


def test_the_command_line_asks_before_it_restores(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, accounts.Role.reporter, "kjt", by="test", now=NOW)
    out = io.StringIO()
    assert cli.run(["--database-url", url, "create", str(tmp_path / "cli.backup")], out=out) == 0
    assert "users 1" in out.getvalue() and "schema 0001" in out.getvalue()
    assert cli.run(["show", str(tmp_path / "cli.backup")], out=io.StringIO()) == 0
    accounts.add_user(engine, "later", PASSWORD, accounts.Role.reviewer, None, by="test", now=NOW)
    assert cli.run(["--database-url", url, "restore", str(tmp_path / "cli.backup")], stdin=io.StringIO("restore\n")) == 1  # not a terminal
    assert [u.username for u in accounts.list_users(engine)] == ["kjt-li", "later"]
    assert cli.run(["--database-url", url, "restore", "--yes", str(tmp_path / "cli.backup")], out=io.StringIO()) == 0
    assert [u.username for u in accounts.list_users(engine)] == ["kjt-li"]
    assert describe(tmp_path / "cli.backup").rows["users"] == 1
    engine.dispose()


def test_a_postgresql_restore_that_fails_halfway_changes_nothing(postgres, tmp_path, monkeypatch):
    """The tables are dropped and the backup loaded in one transaction: an error after the drop rolls all of it back."""
    url = postgres.new_database()
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, accounts.Role.reporter, "kjt", by="test", now=NOW)
    create(url, tmp_path / "good.backup")
    accounts.add_user(engine, "later", PASSWORD, accounts.Role.reviewer, None, by="test", now=NOW)
    before = snapshot(engine)
    monkeypatch.setattr(backup_module, "_PG_EMPTY_SCHEMA", backup_module._PG_EMPTY_SCHEMA + "SELECT 1 / 0;\n")
    with pytest.raises(BackupError, match="changed nothing: .*division by zero"):
        restore(url, tmp_path / "good.backup", by="test")
    assert snapshot(engine) == before
    engine.dispose()
