"""Backing up and restoring everything people wrote, with each engine's own tools: one file per backup.

- SQLite: SQLite's online backup API copies the database while the dashboard runs (a consistent snapshot, WAL
  included) into a plain, self-contained SQLite file. Restoring copies it back the same way, in one transaction.
- PostgreSQL: `pg_dump --format=custom`. Restoring pipes `pg_restore`'s SQL into `psql --single-transaction`
  after dropping the dashboard's tables, so a restore that fails halfway leaves the database exactly as it was.
  The binaries are Debian's newest (`/usr/lib/postgresql/*/bin`), else those on PATH; pg_dump must be at least
  the server's version.

A SQLite backup also restores into PostgreSQL, for the move from one machine to several: its rows are copied into
tables the migrations make, in one transaction. Every restore keeps the append-only triggers. A backup is checked
before it replaces anything: it must be a dashboard database whose schema revision this version knows, and the
database it replaces must not be newer than this version either. An older backup is migrated to the current schema
after it is restored. After a restore every sign-in session ends (sessions open when the backup was made would
otherwise come back), and the restore itself is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from components.store import audit
from components.store.db import SQLITE_BUSY_SECONDS, make_engine, writing, writing_connection
from components.store.migrate import alembic_config, current_revision, migrate
from components.store.models import Base, SignInSession

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PG_BIN_ROOT = Path("/usr/lib/postgresql")
TOOL_TIMEOUT_SECONDS = 3600
_COPY = re.compile(r"COPY (?:[\w\"]+\.)?\"?(\w+)\"? \(.*\) FROM stdin;$")

# Dropped before a PostgreSQL backup is loaded, in the same transaction: every table of the schema in use (also one
# a newer migration made, which the backup does not hold) and the trigger function of the append-only tables.
_PG_EMPTY_SCHEMA = """
SET client_min_messages = warning;
DO $$
DECLARE found record;
BEGIN
    FOR found IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', found.tablename);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS refuse_change() CASCADE;
"""


class BackupError(Exception):
    """What went wrong, in words for the operator; nothing was replaced."""


@dataclass(frozen=True)
class BackupInfo:
    engine: str  # "sqlite" or "postgresql"
    revision: str | None  # the schema revision (Alembic) of the data in the backup
    rows: dict[str, int]  # rows per table


def engine_name(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups are made for SQLite and PostgreSQL databases, not {name}")
    return name


def file_engine(path: Path) -> str:
    """Which engine made the backup file, from its first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup of the dashboard's database (neither a SQLite file nor a pg_dump archive)")


# --- the schema revision: is it one this version knows? ---


def _known(revision: str | None) -> bool:
    if revision is None:
        return True  # an empty database
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _check_revisions(backup: BackupInfo, url: str, source: Path) -> None:
    if backup.revision is None:
        raise BackupError(f"{source} holds no dashboard schema (no alembic_version): not a backup of the dashboard's database")
    if not _known(backup.revision):
        raise BackupError(
            f"{source} was made by a newer version of the dashboard (schema {backup.revision}, unknown here): "
            "upgrade the dashboard, then restore"
        )
    engine = make_engine(url)
    try:
        live = current_revision(engine)  # None for an empty database (a missing SQLite file is created empty)
    except SQLAlchemyError as error:
        raise BackupError(f"cannot read the database: {str(getattr(error, 'orig', error))[:300]}") from None
    finally:
        engine.dispose()
    if not _known(live):
        raise BackupError(f"the database's schema ({live}) is newer than this version of the dashboard knows: upgrade it first")


# --- SQLite ---


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=SQLITE_BUSY_SECONDS)


def _describe_sqlite(path: Path) -> BackupInfo:
    try:
        connection = _read_only(path)
    except sqlite3.Error as error:
        raise BackupError(f"cannot open {path}: {error}") from None
    try:
        if (check := connection.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            raise BackupError(f"{path} is damaged: {check}")
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        rows = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in sorted(tables)}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] if "alembic_version" in rows else None
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    finally:
        connection.close()
    return BackupInfo("sqlite", revision, rows)


def _create_sqlite(url: str, destination: Path) -> None:
    source = _sqlite_file(url)
    if not source.exists():
        raise BackupError(f"there is no database file at {source}")
    reader = _read_only(source)
    try:
        with sqlite3.connect(destination) as copy:
            reader.backup(copy)  # one step: a consistent snapshot, whatever the dashboard writes meanwhile
            copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file, without -wal or -shm
        copy.close()
    finally:
        reader.close()


def _restore_sqlite(url: str, source: Path) -> None:
    target = _sqlite_file(url)
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    reader = _read_only(source)
    try:
        writer = sqlite3.connect(target, timeout=SQLITE_BUSY_SECONDS)
        try:
            reader.backup(writer)  # every page replaced in one transaction: other connections see all of it or none
        finally:
            writer.close()
    except sqlite3.Error as error:
        raise BackupError(f"the restore failed and changed nothing: {error}") from None
    finally:
        reader.close()


# --- PostgreSQL ---


def _pg_version(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name))


def pg_tools() -> dict[str, str]:
    """pg_dump, pg_restore and psql from one installation: Debian's newest, else the ones on PATH."""
    names = ("pg_dump", "pg_restore", "psql")
    installed = sorted(
        (p.parent for p in PG_BIN_ROOT.glob("*/bin/pg_dump") if all((p.parent / n).exists() for n in names)),
        key=lambda folder: _pg_version(folder / "pg_dump"),
    )
    if installed:
        return {name: str(installed[-1] / name) for name in names}
    found = {name: shutil.which(name) for name in names}
    if all(found.values()):
        return found
    raise BackupError("PostgreSQL's client tools are not installed: apt-get install -y postgresql-client (pg_dump, pg_restore, psql)")


def _quote(value: object) -> str:
    text = str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as a libpq connection string for the command-line tools, and their environment (the password goes
    there, never on a command line that `ps` shows)."""
    parsed = make_url(url)
    keywords: dict[str, object] = {"dbname": parsed.database, "user": parsed.username, "host": parsed.host, "port": parsed.port}
    for name, value in parsed.query.items():
        keywords[name] = value[-1] if isinstance(value, tuple) else value
    conninfo = " ".join(f"{name}={_quote(value)}" for name, value in keywords.items() if value not in (None, ""))
    environment = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    environment.pop("PGPASSWORD", None)
    if parsed.password:
        environment["PGPASSWORD"] = parsed.password
    return conninfo, environment


def _run(command: list[str], environment: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, env=environment, timeout=TOOL_TIMEOUT_SECONDS, check=False, **options)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[-1500:]
        raise BackupError(f"{Path(command[0]).name} failed: {message}")
    return result


def _describe_pg(path: Path) -> BackupInfo:
    tools = pg_tools()
    _run([tools["pg_restore"], "--list", str(path)])  # a readable archive, whole
    rows: dict[str, int] = {}
    revision = None
    with subprocess.Popen(
        [tools["pg_restore"], "--data-only", "--file=-", str(path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as dump:
        table = None
        for raw in dump.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if table is None:
                if copy := _COPY.match(line):
                    table = copy.group(1)
                    rows[table] = 0
            elif line == "\\.":
                table = None
            else:
                rows[table] += 1
                if table == "alembic_version" and revision is None:
                    revision = line.strip()
    if dump.returncode != 0:
        raise BackupError(f"pg_restore could not read {path}")
    return BackupInfo("postgresql", revision, dict(sorted(rows.items())))


def _create_pg(url: str, destination: Path) -> None:
    conninfo, environment = libpq(url)
    _run([pg_tools()["pg_dump"], "--format=custom", "--no-password", f"--file={destination}", f"--dbname={conninfo}"], environment)


def _restore_pg(url: str, source: Path) -> None:
    tools = pg_tools()
    conninfo, environment = libpq(url)
    with tempfile.TemporaryDirectory(prefix="dashboard-restore-") as folder:
        empty = Path(folder) / "empty-schema.sql"
        empty.write_text(_PG_EMPTY_SCHEMA, encoding="utf-8")
        errors = Path(folder) / "pg_restore.err"
        with errors.open("wb") as restore_errors:
            script = subprocess.Popen(
                [tools["pg_restore"], "--no-owner", "--no-privileges", "--file=-", str(source)],
                stdout=subprocess.PIPE,
                stderr=restore_errors,
            )
            loaded = subprocess.run(
                [
                    tools["psql"],
                    "--no-psqlrc",
                    "--quiet",
                    "--no-password",
                    "--set=ON_ERROR_STOP=1",
                    "--single-transaction",  # the tables dropped and the backup loaded: all of it or nothing
                    f"--dbname={conninfo}",
                    f"--file={empty}",
                    "--file=-",
                ],
                stdin=script.stdout,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=environment,
                timeout=TOOL_TIMEOUT_SECONDS,
                check=False,
            )
            script.stdout.close()
            script.wait(timeout=TOOL_TIMEOUT_SECONDS)
        if loaded.returncode != 0 or script.returncode != 0:
            message = (errors.read_text(errors="replace") + loaded.stderr.decode("utf-8", "replace")).strip()[-1500:]
            raise BackupError(f"the restore failed and changed nothing: {message}")


# --- from one machine to several: a SQLite backup into PostgreSQL ---


def _sqlite_into_pg(url: str, source: Path) -> None:
    """The backup is brought to the current schema in a temporary copy; then, in one PostgreSQL transaction, the
    dashboard's tables are dropped, made again by the migrations (triggers included) and filled row by row in the
    order of their foreign keys, and each id sequence is set past the highest id copied."""
    with tempfile.TemporaryDirectory(prefix="dashboard-move-") as folder:
        copy = Path(folder) / "backup.sqlite3"
        shutil.copyfile(source, copy)
        reader, target = make_engine(f"sqlite:///{copy}"), make_engine(url)
        try:
            migrate(reader)
            with reader.connect() as rows_from, writing_connection(target) as connection:
                cursor = connection.connection.cursor()  # the driver's own: the SQL is sent as it is (it has % in it)
                cursor.execute(_PG_EMPTY_SCHEMA)
                cursor.close()
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                for table in Base.metadata.sorted_tables:
                    result = rows_from.execute(select(table)).mappings()
                    while batch := [dict(row) for row in result.fetchmany(1000)]:
                        connection.execute(insert(table), batch)
                    if "id" in table.c and table.c.id.primary_key:
                        connection.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
                            )
                        )
        except SQLAlchemyError as error:
            raise BackupError(f"the restore failed and changed nothing: {str(getattr(error, 'orig', error))[:1000]}") from None
        finally:
            reader.dispose()
            target.dispose()


# --- the three operations ---


def describe(path: Path) -> BackupInfo:
    """What a backup file holds: its engine, schema revision and rows per table (it is read whole, so it is checked too)."""
    return _describe_sqlite(path) if file_engine(path) == "sqlite" else _describe_pg(path)


def create(url: str, destination: Path) -> BackupInfo:
    """A backup of the database at `url` in a new file (never over an existing one), readable by its owner only."""
    engine = engine_name(url)
    if destination.exists():
        raise BackupError(f"{destination} exists already: a backup never replaces a file")
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    old_mask = os.umask(0o077)  # password hashes are in it
    try:
        (_create_sqlite if engine == "sqlite" else _create_pg)(url, partial)
        info = describe(partial)
        partial.replace(destination)
    except sqlite3.Error as error:
        raise BackupError(f"the backup failed: {error}") from None
    finally:
        os.umask(old_mask)
        partial.unlink(missing_ok=True)
    return info


def restore(url: str, source: Path, *, by: str, now: dt.datetime | None = None) -> BackupInfo:
    """Replace everything in the database at `url` with the backup in `source`; returns what the backup held.
    A SQLite backup also restores into PostgreSQL (the move from one machine to several)."""
    engine = engine_name(url)
    kind = file_engine(source)
    if (kind, engine) == ("postgresql", "sqlite"):
        raise BackupError(f"{source} is a PostgreSQL backup: it restores into PostgreSQL only, not into SQLite")
    info = describe(source)
    _check_revisions(info, url, source)
    if kind != engine:
        _sqlite_into_pg(url, source)
    else:
        (_restore_sqlite if engine == "sqlite" else _restore_pg)(url, source)
    now = now or dt.datetime.now(dt.UTC)
    database = make_engine(url)
    try:
        migrate(database)
        with writing(database) as session:
            ended = session.execute(update(SignInSession).where(SignInSession.ended_at.is_(None)).values(ended_at=now)).rowcount
            audit.record(
                session,
                "database.restore",
                at=now,
                username=by,
                client="cli",
                target=source.name[:300],
                detail=f"schema {info.revision}; {sum(n for table, n in info.rows.items() if table != 'alembic_version')} rows; {ended} open sign-in sessions ended",
            )
    finally:
        database.dispose()
    return info
