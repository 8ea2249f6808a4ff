"""Backing up and restoring the dashboard's database on the command line: one command for SQLite and PostgreSQL.

    python -m components.backup create FILE      # a new file; the dashboard may keep running
    python -m components.backup show FILE        # what a backup holds: engine, schema, rows per table
    python -m components.backup restore FILE     # replaces EVERYTHING in the database; asks first (or --yes)

The database is `--database-url`, else `$DASHBOARD_DATABASE_URL`, else the default SQLite file. A SQLite database
is copied with SQLite's online backup; a PostgreSQL one with pg_dump / pg_restore (`components/store/backup.py`).
A SQLite backup also restores into PostgreSQL (moving from one machine to several). Stop the dashboard before a
restore: what is written while it runs would be lost.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from components.store.accounts import operator
from components.store.backup import BackupError, BackupInfo, create, describe, restore
from components.store.db import database_url


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m components.backup", description="Back up and restore the dashboard's database.")
    main.add_argument("--database-url", help="SQLAlchemy URL (default: $DASHBOARD_DATABASE_URL, else var/dashboard.sqlite3)")
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("create", help="write a backup to a new FILE").add_argument("file", type=Path)
    commands.add_parser("show", help="what a backup FILE holds").add_argument("file", type=Path)
    restore_command = commands.add_parser("restore", help="replace everything in the database with the backup in FILE")
    restore_command.add_argument("file", type=Path)
    restore_command.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    return main


def summary(info: BackupInfo) -> str:
    tables = ", ".join(f"{table} {count}" for table, count in info.rows.items() if table != "alembic_version")
    return f"{info.engine} backup, schema {info.revision}: {tables}"


def where(url: str) -> str:
    """The database named without its password."""
    return make_url(url).render_as_string(hide_password=True)


def confirmed(url: str, stdin, out) -> bool:
    if not stdin.isatty():
        return False
    print(f"This replaces everything in {where(url)} with the backup. Type 'restore' to go on: ", end="", file=out, flush=True)
    return stdin.readline().strip() == "restore"


def run(argv: list[str], stdin=None, out=None) -> int:
    stdin, out = stdin or sys.stdin, out or sys.stdout
    args = parser().parse_args(argv)
    url = args.database_url or database_url()
    try:
        if args.command == "create":
            info = create(url, args.file)
            print(f"backed up {where(url)} to {args.file}\n{summary(info)}", file=out)
        elif args.command == "show":
            print(summary(describe(args.file)), file=out)
        else:
            if not args.yes and not confirmed(url, stdin, out):
                print("refused: nothing restored (confirm at the terminal, or pass --yes)", file=sys.stderr)
                return 1
            info = restore(url, args.file, by=operator())
            print(f"restored {args.file} into {where(url)}\n{summary(info)}", file=out)
    except BackupError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
