"""`python -m components.accounts`, run as an administrator would (a subprocess, the password on standard input),
against SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from components import paths
from components.accounts import run
from components.store import accounts, audit
from components.store.db import DATABASE_URL_ENV, make_engine, reading
from components.store.models import User

PASSWORD = "correct horse battery"


def cli(url: str, *args: str, password: str | None = None, env_url: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ}
    command = [sys.executable, "-m", "components.accounts"]
    if env_url:
        env[DATABASE_URL_ENV] = url
    else:
        command += ["--database-url", url]
    return subprocess.run(
        [*command, *args],
        cwd=paths.ROOT,
        env=env,
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_add_list_disable_reset(db_url, capsys):
    """Adding and resetting read the password from standard input in a real subprocess; listing and disabling run
    in-process through the same `run` (a subprocess each would only add start-up time)."""
    added = cli(db_url, "add", "kjt-li", "--role", "reporter", "--agency", "kjt", password=PASSWORD)
    assert (added.returncode, added.stdout, added.stderr) == (0, "added kjt-li (reporter, kjt)\n", "")
    assert cli(db_url, "add", "fgw-zhao", "--role", "reviewer", password=PASSWORD, env_url=True).returncode == 0

    engine = make_engine(db_url)
    token = accounts.sign_in(engine, "kjt-li", PASSWORD, "test")
    assert token
    assert run(["--database-url", db_url, "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["user", "role", "agency", "disabled", "last", "sign-in", "(UTC)"]
    assert [line.split()[:4] for line in listing[1:]] == [["fgw-zhao", "reviewer", "-", "no"], ["kjt-li", "reporter", "kjt", "no"]]
    assert listing[1].split()[4] == "never" and listing[2].split()[4] != "never"
    with reading(engine) as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "kjt-li"))
    assert stored.startswith("$argon2id$")
    assert "argon2" not in "\n".join(listing) and PASSWORD not in "\n".join(listing)

    assert cli(db_url, "reset-password", "kjt-li", password="another secret 123").returncode == 0
    assert accounts.current_actor(engine, token) is None  # the open session ended
    assert accounts.sign_in(engine, "kjt-li", "another secret 123", "test")
    assert run(["--database-url", db_url, "disable", "kjt-li"]) == 0
    assert capsys.readouterr().out == "disabled kjt-li\n"
    assert accounts.sign_in(engine, "kjt-li", "another secret 123", "test2") is None
    assert [r.disabled for r in accounts.list_users(engine)] == [False, True]
    assert run(["--database-url", db_url, "audit", "--limit", "3"]) == 0
    log = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[3:5] for line in log] == [["sign_in", "REFUSED"], ["user.disable", "ok"], ["sign_in", "ok"]]
    assert log[0].endswith("disabled") and log[1].split("  ")[5] == "kjt-li"
    actions = [(e.action, e.target, e.username.startswith("cli:")) for e in reversed(audit.entries(engine)) if e.action.startswith("user.")]
    assert actions == [
        ("user.add", "kjt-li", True),
        ("user.add", "fgw-zhao", True),
        ("user.reset_password", "kjt-li", True),
        ("user.disable", "kjt-li", True),
    ]
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["add", "x-user", "--role", "reporter", "--agency", "no-such-agency"], PASSWORD, "'no-such-agency' is not an agency id"),
        (["add", "x-user", "--role", "reporter"], PASSWORD, "a reporter needs --agency"),
        (["add", "x-user", "--role", "reviewer"], "short", "a password is 10–256 characters"),
        (["add", "x-user", "--role", "reviewer"], "", "a password is 10–256 characters"),
        (["add", "Bad Name", "--role", "reviewer"], PASSWORD, "a user name is"),
        (["disable", "nobody"], None, "no user 'nobody'"),
    ],
)
def test_refusals_name_the_reason_and_change_nothing(tmp_path, capsys, args, password, message):
    """In-process (`run`), the same code the command runs: a subprocess per case would only add start-up time."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert run(["--database-url", url, *args], stdin=io.StringIO("" if password is None else password + "\n")) == 1
    assert message in capsys.readouterr().err
    assert accounts.list_users(make_engine(url)) == []


def test_a_password_is_never_an_argument():
    result = subprocess.run(
        [sys.executable, "-m", "components.accounts", "add", "x", "--role", "admin", "--password", "secret"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "unrecognized arguments: --password" in result.stderr


def test_an_unreachable_database_is_an_error_message(capsys):
    assert run(["--database-url", "sqlite:////nonexistent-folder/for/sure/db.sqlite3", "list"]) == 1
    assert capsys.readouterr().err.startswith("database error: unable to open database file")


def test_the_audit_log_never_sends_a_typed_name_s_control_characters_to_the_terminal(tmp_path, capsys):
    """A sign-in name is stored as typed (that is what the audit log is for); printed, its escape sequences and
    direction overrides are spelled out instead of clearing the screen or turning the line around."""
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    engine = make_engine(url)
    run(["--database-url", url, "list"])
    hostile = "\x1b[2J\x1b]0;pwned\x07admin\u202etxt.exe"
    assert accounts.sign_in(engine, hostile, "wrong password!", "10.0.0.1") is None
    capsys.readouterr()
    assert run(["--database-url", url, "audit", "--limit", "1"]) == 0
    line = capsys.readouterr().out
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert "\\x1b[2j\\x1b]0;pwned\\x07admin\\u202etxt.exe" in line  # lower-cased as every name is
    engine.dispose()
