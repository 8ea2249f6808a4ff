"""Sign-in under a burst: 50 attempts at once, in parallel threads, against one name or from one address. Exactly as
many attempts are checked as the throttle allows (no race lets more through), each attempt is audited, and an
unknown name costs the same argon2 work and gets the same answer as a real one. On SQLite and PostgreSQL.

The work is counted (argon2 verifications and the parameters of the hashes checked), never timed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import func, select

from components.store import accounts, audit
from components.store.accounts import POLICY, Role
from components.store.db import reading
from components.store.models import SignInAttempt
from tests.store.conftest import NOW, PASSWORD

BURST = 50
ADDRESS = "203.0.113.9"


class CountingHasher(PasswordHasher):
    """The tests' quick argon2id, remembering the parameters of every hash it verified."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked: list[tuple[int, int, int]] = []
        self._lock = threading.Lock()

    def verify(self, hash, password):  # noqa: A002 (argon2-cffi's own parameter name)
        parameters = extract_parameters(hash if isinstance(hash, str) else hash.decode())
        with self._lock:
            self.checked.append((parameters.time_cost, parameters.memory_cost, parameters.parallelism))
        return super().verify(hash, password)


@pytest.fixture()
def hasher(monkeypatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(accounts, "HASHER", counting)
    accounts._dummy_hash.cache_clear()
    yield counting
    accounts._dummy_hash.cache_clear()


def burst(engine, names: list[str], password: str, client: str) -> list[str | None]:
    """Every attempt released at the same moment, each in its own thread; the clock is the same for all of them."""
    start = threading.Barrier(len(names))

    def attempt(name: str) -> str | None:
        start.wait()
        return accounts.sign_in(engine, name, password, client, now=NOW)

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return list(pool.map(attempt, names))


def attempts(engine, **where) -> int:
    with reading(engine) as session:
        query = select(func.count()).select_from(SignInAttempt)
        for column, value in where.items():
            query = query.where(getattr(SignInAttempt, column) == value)
        return session.scalar(query)


def sign_in_audit(engine) -> list[tuple[str, str | None]]:
    return [(e.username, e.detail) for e in audit.entries(engine, limit=10_000) if e.action == "sign_in"]


@pytest.mark.parametrize("name", ["kjt-li", "no-such-user"])
def test_a_burst_against_one_name_checks_only_what_the_throttle_allows(engine, hasher, name):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    hasher.checked.clear()
    answers = burst(engine, [name] * BURST, "wrong password!", ADDRESS)
    assert answers == [None] * BURST
    allowed = POLICY.account_delay_after  # then the next attempt waits a second: in a burst, none gets through
    assert len(hasher.checked) == allowed
    assert attempts(engine, username=name) == allowed
    details = sorted(detail for who, detail in sign_in_audit(engine) if who == name)
    reason = "wrong password" if name == "kjt-li" else "no such user"
    assert details == sorted([reason] * allowed + ["throttled"] * (BURST - allowed))  # every attempt is audited
    if name == "kjt-li":  # the right password, at that moment and from anywhere, is refused too, without argon2 work
        assert accounts.sign_in(engine, "kjt-li", PASSWORD, "198.51.100.1", now=NOW) is None
        assert len(hasher.checked) == allowed


def test_an_unknown_name_costs_the_same_work_as_a_real_one(engine, hasher):
    """The dummy hash has the real hashes' parameters, so no count of work tells the two apart."""
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    hasher.checked.clear()
    real = burst(engine, ["kjt-li"] * 10, "wrong password!", "198.51.100.2")
    real_work = list(hasher.checked)
    hasher.checked.clear()
    unknown = burst(engine, ["kjt-lii"] * 10, "wrong password!", "198.51.100.3")
    assert real == unknown == [None] * 10
    assert hasher.checked == real_work and len(real_work) == POLICY.account_delay_after


def test_a_burst_from_one_address_over_many_names_stops_at_the_address_limit(engine, hasher):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    names = [f"guess-{index}" for index in range(BURST)]
    answers = burst(engine, names, "wrong password!", ADDRESS)
    assert answers == [None] * BURST
    assert len(hasher.checked) == POLICY.client_delay_after
    assert attempts(engine, client=ADDRESS) == POLICY.client_delay_after
    assert len(sign_in_audit(engine)) == BURST
    # that address is held back now, even with a real name and password; another address is not
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, ADDRESS, now=NOW) is None
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, "198.51.100.4", now=NOW)


def test_a_burst_with_the_right_password_signs_in_every_time(engine, hasher):
    """The throttle counts failures only: fifty people behind one address signing in at once all get in."""
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    tokens = burst(engine, ["kjt-li"] * BURST, PASSWORD, ADDRESS)
    assert all(tokens) and len(set(tokens)) == BURST
    assert attempts(engine, ok=True) == BURST
