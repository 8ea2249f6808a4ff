"""Store fixtures: a migrated database on each engine, the accounts every role test needs, a fixed clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher

from components.store import accounts
from components.store.accounts import Role
from components.store.db import make_engine
from components.store.migrate import migrate

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Chengdu; 2026-Q4 has begun
PASSWORD = "correct horse battery"
CLIENT = "10.0.0.7"


@pytest.fixture()
def engine(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@dataclass(frozen=True)
class Tokens:
    """A signed-in session of each kind of user: 科技厅 (kjt) and 成都 (chengdu) reporters, a reviewer, an admin."""

    kjt: str
    chengdu: str
    reviewer: str
    admin: str


def make_user(engine, name: str, role: Role, agency: str | None = None) -> str:
    accounts.add_user(engine, name, PASSWORD, role, agency, by="test", now=NOW)
    token = accounts.sign_in(engine, name, PASSWORD, CLIENT, now=NOW)
    assert token
    return token


@pytest.fixture()
def tokens(engine) -> Tokens:
    return Tokens(
        kjt=make_user(engine, "kjt-li", Role.reporter, "kjt"),
        chengdu=make_user(engine, "cd-wang", Role.reporter, "chengdu"),
        reviewer=make_user(engine, "fgw-zhao", Role.reviewer),
        admin=make_user(engine, "admin", Role.admin),
    )


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """argon2id with small costs: the throttle tests sign in dozens of times. The real parameters are checked by
    `test_passwords_are_stored_as_argon2id_hashes`; the dummy hash follows whichever hasher is in use."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()
