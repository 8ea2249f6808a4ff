"""Accounts and signing in: argon2id hashes, one answer for every failure, throttling, idle sessions, disabled accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import func, select

from components.store import accounts, audit
from components.store.accounts import POLICY, Role, ThrottlePolicy
from components.store.db import reading
from components.store.errors import Invalid
from components.store.models import SignInAttempt, User
from tests.store.conftest import CLIENT, NOW, PASSWORD

SECOND = dt.timedelta(seconds=1)


def test_passwords_are_stored_as_argon2id_hashes(engine, monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher())  # the real costs, not the tests' quick ones
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    with reading(engine) as session:
        stored = session.scalar(select(User.password_hash))
    assert PASSWORD not in stored
    assert stored.startswith("$argon2id$")
    parameters = extract_parameters(stored)
    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)
    assert [u.username for u in accounts.list_users(engine)] == ["kjt-li"]


@pytest.mark.parametrize(
    ("name", "password", "role", "agency", "why"),
    [
        ("Bad Name", PASSWORD, Role.reviewer, None, "user name"),
        ("../x", PASSWORD, Role.reviewer, None, "user name"),
        ("<script>", PASSWORD, Role.reviewer, None, "user name"),
        ("admin\u202egnp.exe", PASSWORD, Role.reviewer, None, "user name"),
        ("ａｄｍｉｎ", PASSWORD, Role.reviewer, None, "user name"),  # full-width letters: not the same name as admin
        ("x", PASSWORD, Role.reviewer, None, "user name"),
        ("ok-name", "short", Role.reviewer, None, "10–256"),
        ("ok-name", "a" * 257, Role.reviewer, None, "10–256"),
        ("ok-name", PASSWORD, Role.reporter, None, "needs --agency"),
        ("ok-name", PASSWORD, Role.reviewer, "kjt", "needs --agency"),
    ],
)
def test_bad_accounts_are_refused(engine, name, password, role, agency, why):
    with pytest.raises(Invalid, match=why):
        accounts.add_user(engine, name, password, role, agency, by="test", now=NOW)
    assert accounts.list_users(engine) == []


def test_a_name_is_taken_once_whatever_its_case(engine):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    with pytest.raises(Invalid, match="already exists"):
        accounts.add_user(engine, "kjt-li", PASSWORD, Role.reviewer, None, by="test", now=NOW)
    assert accounts.sign_in(engine, "  KJT-LI ", PASSWORD, CLIENT, now=NOW)


def test_every_failure_gives_the_same_answer_and_costs_one_hash_check(engine, monkeypatch):
    """Unknown name, wrong password, disabled account: all None, each after exactly one argon2 verification."""
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    accounts.add_user(engine, "gone", PASSWORD, Role.reviewer, None, by="test", now=NOW)
    accounts.disable_user(engine, "gone", by="test", now=NOW)
    checked: list[str] = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda hashed, password: checked.append(hashed) or real(hashed, password))
    answers = [
        accounts.sign_in(engine, "nobody", PASSWORD, CLIENT, now=NOW),
        accounts.sign_in(engine, "kjt-li", "wrong password!", "10.0.0.8", now=NOW),
        accounts.sign_in(engine, "gone", PASSWORD, "10.0.0.9", now=NOW),
    ]
    assert answers == [None, None, None]
    assert len(checked) == 3
    assert checked[0] == accounts._dummy_hash()  # the unknown name was checked against the dummy hash
    assert all(h.startswith("$argon2id$") for h in checked)
    details = [(e.username, e.ok, e.detail) for e in reversed(audit.entries(engine)) if e.action == "sign_in"]
    assert details == [("nobody", False, "no such user"), ("kjt-li", False, "wrong password"), ("gone", False, "disabled")]


def failures(engine, name, count, *, start=NOW, client=CLIENT, step=dt.timedelta(minutes=1)):
    """`count` wrong passwords for `name`, `step` apart (far enough apart not to be throttled themselves)."""
    at = start
    for _ in range(count):
        assert accounts.sign_in(engine, name, "wrong password!", client, now=at) is None
        at += step
    return at - step  # the time of the last one


def test_account_throttle_delays_then_locks(engine):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    policy = POLICY
    # Two failures: no delay yet.
    last = failures(engine, "kjt-li", 2, step=SECOND * 5)
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + SECOND * 0.1)  # success resets the account count
    # Three failures: the next attempt must wait 1 s; four: 2 s.
    last = failures(engine, "kjt-li", 3, start=last + SECOND * 5, step=SECOND * 5)
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + SECOND * 0.5) is None  # too soon, even with the password
    last = failures(engine, "kjt-li", 1, start=last + SECOND * 1)
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + SECOND * 1.5) is None
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + SECOND * 2)
    # Ten failures in the window: locked for 15 minutes after the last one.
    last = failures(engine, "kjt-li", 10, start=last + SECOND * 3, step=dt.timedelta(seconds=61))
    with reading(engine) as session:
        assert accounts.throttled_until(session, "kjt-li", CLIENT, last, policy) == last + policy.lock_for
    assert (
        accounts.sign_in(engine, "kjt-li", PASSWORD, "10.9.9.9", now=last + dt.timedelta(minutes=14)) is None
    )  # another address: still locked
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + policy.lock_for)


def test_refused_attempts_while_locked_do_not_extend_the_lock(engine):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    last = failures(engine, "kjt-li", 10, step=dt.timedelta(seconds=61))
    for minutes in (1, 5, 14):
        assert accounts.sign_in(engine, "kjt-li", "wrong password!", CLIENT, now=last + dt.timedelta(minutes=minutes)) is None
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(SignInAttempt)) == 10  # throttled attempts are audited, not counted
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + POLICY.lock_for)
    throttled = [e for e in audit.entries(engine) if e.detail == "throttled"]
    assert len(throttled) == 3


def test_unknown_names_are_throttled_like_real_ones(engine):
    """Otherwise a lock would tell which names exist."""
    last = failures(engine, "nobody", 10, step=dt.timedelta(seconds=61))
    with reading(engine) as session:
        assert accounts.throttled_until(session, "nobody", CLIENT, last, POLICY) == last + POLICY.lock_for


def test_client_address_throttle_spans_names(engine):
    """One address guessing many names is slowed after 10 failures and locked after 50, whatever names it tries."""
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    policy = ThrottlePolicy(client_delay_after=4, client_lock_after=6)
    at = NOW
    for index in range(6):
        assert accounts.sign_in(engine, f"guess{index}", "wrong password!", "10.6.6.6", now=at, policy=policy) is None
        at += dt.timedelta(seconds=40)
    last = at - dt.timedelta(seconds=40)
    # the right password for a real account, from that address: refused; from another address: fine
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, "10.6.6.6", now=last + SECOND, policy=policy) is None
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + SECOND, policy=policy)
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, "10.6.6.6", now=last + policy.lock_for, policy=policy)


def test_the_throttle_forgets_failures_outside_its_window(engine):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    last = failures(engine, "kjt-li", 9, step=dt.timedelta(seconds=61))
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=last + POLICY.window + SECOND)


def test_sessions_end_after_inactivity_and_on_sign_out(engine, monkeypatch):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    token = accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW)
    actor = accounts.current_actor(engine, token, now=NOW + dt.timedelta(minutes=29))
    assert (actor.username, actor.role, actor.agency) == ("kjt-li", Role.reporter, "kjt")
    # that use moved the last-seen time on: 29 more minutes are fine, 31 are not
    assert accounts.current_actor(engine, token, now=NOW + dt.timedelta(minutes=58))
    assert accounts.current_actor(engine, token, now=NOW + dt.timedelta(minutes=58 + 31)) is None
    monkeypatch.setenv(accounts.SESSION_IDLE_ENV, "120")
    assert accounts.current_actor(engine, token, now=NOW + dt.timedelta(minutes=58 + 31))  # the limit is configurable

    other = accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW)
    accounts.sign_out(engine, other, CLIENT, now=NOW + SECOND)
    assert accounts.current_actor(engine, other, now=NOW + 2 * SECOND) is None
    assert accounts.current_actor(engine, "forged-token", now=NOW) is None
    assert accounts.current_actor(engine, None, now=NOW) is None


def test_disabling_and_resetting_end_open_sessions(engine):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test", now=NOW)
    token = accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW)
    accounts.reset_password(engine, "kjt-li", "a brand new secret", by="test", now=NOW + SECOND)
    assert accounts.current_actor(engine, token, now=NOW + 2 * SECOND) is None
    assert accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT, now=NOW + 3 * SECOND) is None
    token = accounts.sign_in(engine, "kjt-li", "a brand new secret", CLIENT, now=NOW + 4 * SECOND)
    assert token
    accounts.disable_user(engine, "kjt-li", by="test", now=NOW + 5 * SECOND)
    assert accounts.current_actor(engine, token, now=NOW + 6 * SECOND) is None
    assert accounts.sign_in(engine, "kjt-li", "a brand new secret", CLIENT, now=NOW + 7 * SECOND) is None
    [row] = accounts.list_users(engine)
    assert row.disabled and row.last_sign_in_at == NOW + 4 * SECOND


def test_sign_ins_are_audited_with_address(engine):
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="cli:root", now=NOW)
    accounts.sign_in(engine, "kjt-li", PASSWORD, "192.0.2.1", now=NOW)
    accounts.sign_in(engine, "kjt-li", "nope nope nope", "192.0.2.2", now=NOW + SECOND)
    rows = [(e.action, e.username, e.client, e.ok, e.target) for e in reversed(audit.entries(engine))]
    assert rows == [
        ("user.add", "cli:root", "cli", True, "kjt-li"),
        ("sign_in", "kjt-li", "192.0.2.1", True, None),
        ("sign_in", "kjt-li", "192.0.2.2", False, None),
    ]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("203.0.113.9", None, "", "203.0.113.9"),
        ("203.0.113.9", "1.2.3.4", "", "203.0.113.9"),  # no trusted proxy: the header is ignored
        ("10.0.0.2", "198.51.100.7", "10.0.0.0/8", "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.3", "10.0.0.0/8", "198.51.100.7"),  # rightmost untrusted hop
        ("10.0.0.2", "not-an-address", "10.0.0.0/8", "10.0.0.2"),
        ("10.0.0.2", None, "10.0.0.2, junk", "10.0.0.2"),
        (None, "1.2.3.4", "", "unknown"),
    ],
)
def test_the_client_address_believes_forwarded_for_only_from_trusted_proxies(remote, forwarded, trusted, client):
    assert accounts.client_address(remote, forwarded, trusted) == client
