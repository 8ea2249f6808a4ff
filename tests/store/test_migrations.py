"""Migrations: the schema matches the models, all pending migrations run in one transaction (a failure leaves the
database as it was), the append-only tables refuse UPDATE and DELETE, and `alembic upgrade head` works for an operator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from components import paths
from components.store import accounts
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import MIGRATIONS, current_revision, head_revision, migrate
from components.store.models import APPEND_ONLY, Base
from tests.store.conftest import NOW, PASSWORD

BROKEN_MIGRATION = '''"""A migration that fails half-way: it creates a table and adds a column, changes data, then raises."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("users", sa.Column("nickname", sa.String(20)))
    op.execute("UPDATE users SET password_hash = 'overwritten'")
    raise RuntimeError("migration 0002 fails on purpose")


def downgrade() -> None:
    pass
'''


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_the_migrated_schema_is_the_models_schema(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert differences == []
    assert current_revision(engine) == head_revision() == "0001"
    assert tables(engine) == {table.name for table in Base.metadata.sorted_tables} | {"alembic_version"}


def test_migrating_twice_changes_nothing(engine):
    accounts.add_user(engine, "admin", PASSWORD, Role.admin, None, by="test", now=NOW)
    migrate(engine)
    assert [u.username for u in accounts.list_users(engine)] == ["admin"]


@pytest.fixture()
def broken_scripts(tmp_path):
    """A copy of the real migrations with a failing 0002 added."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0002_broken.py").write_text(BROKEN_MIGRATION, encoding="utf-8")
    return scripts


def test_a_failed_migration_of_a_new_database_leaves_it_empty(db_url, broken_scripts):
    engine = make_engine(db_url)
    with pytest.raises(RuntimeError, match="fails on purpose"):
        migrate(engine, script_location=broken_scripts)
    assert tables(engine) == set()  # not even 0001's tables or alembic_version: one transaction for all
    engine.dispose()


def test_a_failed_migration_leaves_the_schema_and_data_as_they_were(db_url, broken_scripts):
    engine = make_engine(db_url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    columns_before = [c["name"] for c in inspect(engine).get_columns("users")]
    with pytest.raises(RuntimeError, match="fails on purpose"):
        migrate(engine, script_location=broken_scripts)
    engine.dispose()  # a fresh look, nothing cached
    engine = make_engine(db_url)
    assert "half_done" not in tables(engine)
    assert [c["name"] for c in inspect(engine).get_columns("users")] == columns_before
    assert current_revision(engine) == "0001"
    assert [(u.username, u.role) for u in accounts.list_users(engine)] == [("kjt-li", Role.reporter)]
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, "test", now=NOW)  # the password hash was not overwritten
    engine.dispose()


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_tables_refuse_update_and_delete(engine, tokens, table):
    """Even a connection that bypasses the application cannot rewrite history."""
    from components.plan.loader import load_plan_file
    from components.plan.reports import Period, ProgressStatus, ReportDraft
    from components.store import reports

    plan = load_plan_file(paths.BUNDLED_PLAN).value
    draft = ReportDraft(task=2, period=Period(2026), stage=None, status=ProgressStatus.on_track, done="建设推进中")
    reports.file_report(engine, tokens.kjt, plan, draft, client="test", now=NOW)
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() >= 1


def test_alembic_command_line_upgrades_the_database_of_the_environment(db_url):
    """What an operator runs: `alembic upgrade head` from the repository root, the URL in DASHBOARD_DATABASE_URL."""
    env = {**os.environ, DATABASE_URL_ENV: db_url}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    engine = make_engine(db_url)
    assert current_revision(engine) == "0001"
    assert "report_versions" in tables(engine)
    engine.dispose()
