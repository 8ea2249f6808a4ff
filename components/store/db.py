"""Opening the database: SQLite in a file by default, PostgreSQL (or any SQLAlchemy URL) from `DASHBOARD_DATABASE_URL`.

Reads and writes go through `reading()` and `writing()`, so every transaction starts the same way on both engines.
SQLite gets the settings that make it behave like a server database here: transactional DDL (Python's sqlite3
module would otherwise commit before each CREATE TABLE, and a failed migration would leave half a schema),
foreign keys, WAL (readers are not blocked by a writer) and `BEGIN IMMEDIATE` for writes (two writers queue
for the lock instead of one failing at once with "database is locked" when it upgrades a read lock).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from components import paths

DATABASE_URL_ENV = "DASHBOARD_DATABASE_URL"
SQLITE_BUSY_SECONDS = 5.0  # how long a SQLite writer waits for another writer before "database is locked"
CONNECT_TIMEOUT_SECONDS = 5  # how long to wait for a PostgreSQL server that does not answer
_IMMEDIATE = "dashboard_write"  # execution option: this transaction will write


def database_url() -> str:
    """`$DASHBOARD_DATABASE_URL`, else the SQLite file in the repository's git-ignored `var/` folder."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or f"sqlite:///{paths.DEFAULT_DATABASE}"


def make_engine(url: str, *, busy_seconds: float = SQLITE_BUSY_SECONDS) -> Engine:
    """An engine for `url`. The default SQLite file's folder is created; any other location must exist."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if parsed.get_driver_name() in {"psycopg", "psycopg2"} else {}
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    if parsed.database and os.path.abspath(parsed.database) == str(paths.DEFAULT_DATABASE):
        paths.DATABASE_DIR.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": busy_seconds, "check_same_thread": False})
    file_backed = bool(parsed.database) and parsed.database != ":memory:"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the driver issues no BEGIN or COMMIT of its own: `_on_begin` does
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
        if file_backed:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(_IMMEDIATE) else "BEGIN")

    return engine


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only transaction."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction: everything in it is committed together or not at all."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.connection(execution_options={_IMMEDIATE: True})
        yield session


@contextmanager
def writing_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one write transaction, for work below the ORM (migrations)."""
    with engine.connect() as connection:
        connection.execution_options(**{_IMMEDIATE: True})
        with connection.begin():
            yield connection


def is_locked(error: DBAPIError) -> bool:
    """SQLite's "database is locked" or PostgreSQL's lock timeout: busy, not down."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "lock timeout" in text or "could not obtain lock" in text
