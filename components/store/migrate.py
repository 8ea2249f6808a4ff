"""Bringing a database to the current schema: on every start (a no-op when it is current) and from the command line.

`migrate()` runs all pending migrations in one transaction: if any fails, nothing of any of them stays. Two
replicas starting at once do not both migrate: SQLite's write lock, or a PostgreSQL advisory lock, makes the
second wait and then find nothing to do.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from components.store.db import writing_connection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 1_502_202_213  # any fixed number: the advisory lock all replicas take while migrating


def alembic_config(script_location: Path = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def migrate(engine: Engine, *, script_location: Path = MIGRATIONS) -> None:
    """Bring the schema to head. A database already there is only read (no write lock is taken at start-up)."""
    if current_revision(engine) == head_revision(script_location):
        return
    config = alembic_config(script_location)
    with writing_connection(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(script_location: Path = MIGRATIONS) -> str | None:
    return ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
