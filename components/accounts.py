"""Managing accounts on the command line (an administrator's job; the web pages never create or change accounts).

    python -m components.accounts add USER --role reporter|reviewer|admin [--agency AGENCY_ID] [--plan PATH]
    python -m components.accounts list
    python -m components.accounts disable USER
    python -m components.accounts reset-password USER
    python -m components.accounts audit [--limit N]

The password is read from the terminal (twice, not echoed), or as one line of standard input when that is not a
terminal (`printf '%s\\n' "$PW" | python -m components.accounts add ...`); never from an argument, where it would
stay in the shell history and the process list. `--agency` must be an agency id of the plan (the bundled plan
unless `--plan`). The database is `--database-url`, else `$DASHBOARD_DATABASE_URL`, else the default SQLite file;
it is created and migrated if needed. Every change is written to the audit log as `cli:<os user>`.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from components.paths import BUNDLED_PLAN
from components.plan.loader import load_plan_file
from components.store import accounts, audit
from components.store.accounts import MAX_PASSWORD, MIN_PASSWORD, Role
from components.store.db import database_url, make_engine
from components.store.errors import Invalid
from components.store.migrate import migrate


def printable(text: str) -> str:
    """Text anyone could type (a sign-in name goes into the audit log as typed) as a terminal should show it: control
    and direction characters spelled out (`\x1b`, `\u202e`), never sent to the terminal to act on."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def read_password(stdin) -> str:
    if stdin.isatty():
        first = getpass.getpass(f"Password ({MIN_PASSWORD}–{MAX_PASSWORD} characters): ")
        if getpass.getpass("Once more: ") != first:
            raise Invalid("the two passwords differ")
        return first
    line = stdin.readline(MAX_PASSWORD + 2)
    return line[:-1] if line.endswith("\n") else line


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m components.accounts", description="Manage the dashboard's accounts.")
    main.add_argument("--database-url", help="SQLAlchemy URL (default: $DASHBOARD_DATABASE_URL, else var/dashboard.sqlite3)")
    commands = main.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account; the password is read from the terminal or standard input")
    add.add_argument("user")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--agency", help="the reporter's agency: an agency id of the plan, e.g. kjt")
    add.add_argument("--plan", default=str(BUNDLED_PLAN), help="the plan whose agency ids are valid (default: the bundled plan)")
    commands.add_parser("list", help="every account: user, role, agency, disabled, last sign-in (never a password hash)")
    disable = commands.add_parser("disable", help="stop an account signing in; its open sessions end at once")
    disable.add_argument("user")
    reset = commands.add_parser("reset-password", help="a new password, read like `add` does; open sessions end")
    reset.add_argument("user")
    log = commands.add_parser("audit", help="the newest entries of the audit log: every write and every sign-in")
    log.add_argument("--limit", type=int, default=50)
    return main


def _agencies(plan_path: str) -> set[str]:
    result = load_plan_file(Path(plan_path))
    if result.value is None:
        raise Invalid(f"the plan {plan_path} does not validate (python -m components.validate {plan_path})")
    return set(result.value.agency_by_id)


def run(argv: list[str], stdin=None, out=None) -> int:
    stdin, out = stdin or sys.stdin, out or sys.stdout
    args = parser().parse_args(argv)
    engine = make_engine(args.database_url or database_url())
    by = accounts.operator()
    try:
        migrate(engine)
        if args.command == "add":
            if args.agency is not None and args.agency not in _agencies(args.plan):
                raise Invalid(f"{args.agency!r} is not an agency id of {args.plan}")
            accounts.add_user(engine, args.user, read_password(stdin), Role(args.role), args.agency, by=by)
            print(f"added {accounts.normalise_username(args.user)} ({args.role}{', ' + args.agency if args.agency else ''})", file=out)
        elif args.command == "list":
            print(f"{'user':<24} {'role':<9} {'agency':<12} {'disabled':<8} last sign-in (UTC)", file=out)
            for row in accounts.list_users(engine):
                last = row.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if row.last_sign_in_at else "never"
                print(
                    f"{row.username:<24} {row.role.value:<9} {row.agency or '-':<12} {'yes' if row.disabled else 'no':<8} {last}", file=out
                )
        elif args.command == "audit":
            for entry in audit.entries(engine, limit=max(1, min(args.limit, 100_000))):
                outcome = "ok" if entry.ok else "REFUSED"
                fields = [entry.at.strftime("%Y-%m-%d %H:%M:%S"), entry.username or "-", entry.client or "-", entry.action, outcome]
                print(printable("  ".join(fields + [entry.target or "", entry.detail or ""]).rstrip()), file=out)
        elif args.command == "disable":
            accounts.disable_user(engine, args.user, by=by)
            print(f"disabled {accounts.normalise_username(args.user)}", file=out)
        else:
            accounts.reset_password(engine, args.user, read_password(stdin), by=by)
            print(f"new password set for {accounts.normalise_username(args.user)}", file=out)
    except Invalid as refused:
        print(f"refused: {refused}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"database error: {str(getattr(error, 'orig', error))[:300]}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
