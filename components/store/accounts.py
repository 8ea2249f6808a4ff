"""Accounts, passwords, sign-in with throttling, and sign-in sessions.

Passwords are argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommended profile). A sign-in
attempt for a name that does not exist is verified against a dummy hash, and every refusal returns the same
None, so neither the answer nor its timing tells whether an account exists. Repeated failures are slowed
down, then locked for a while, per name typed and per client address; the attempts are rows in the database,
so every replica counts the same ones.

A browser keeps a random token; the database keeps its SHA-256 and when it was last used. Every write
resolves the token again (`require`), so a disabled account or a session idle too long cannot write even
if a page still shows it as signed in.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import ipaddress
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from components.store import audit
from components.store.db import reading, writing
from components.store.errors import Invalid, NotSignedIn, StoreError
from components.store.models import SignInAttempt, SignInSession, User

SESSION_IDLE_ENV = "DASHBOARD_SESSION_IDLE_MINUTES"
TRUSTED_PROXIES_ENV = "DASHBOARD_TRUSTED_PROXIES"
DEFAULT_IDLE_MINUTES = 30
TOUCH_EVERY = dt.timedelta(seconds=60)  # a session's last-seen time is written at most once a minute
MIN_PASSWORD = 10
MAX_PASSWORD = 256
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._\-]{1,63}")
_SIGN_IN_LOCK = 1_502_202_214  # PostgreSQL advisory lock: sign-ins are checked and counted one at a time
HASHER = PasswordHasher()  # argon2id (Type.ID), t=3, m=64 MiB, p=4


class Role(str, Enum):
    reporter = "reporter"  # reports on the tasks its agency leads or supports
    reviewer = "reviewer"  # accepts or returns any report
    admin = "admin"  # manages accounts (on the command line)


@dataclass(frozen=True)
class Actor:
    """The signed-in user behind a session token, as the database says now."""

    user_id: int
    username: str
    role: Role
    agency: str | None


@dataclass(frozen=True)
class ThrottlePolicy:
    """Failed sign-ins within `window` are counted per name typed (since its last success) and per client address.

    From `*_delay_after` failures on, the next attempt is refused until `first_delay` after the last failure,
    doubling with each further failure up to `max_delay`; from `*_lock_after` failures, until `lock_for` after it.
    """

    window: dt.timedelta = dt.timedelta(minutes=15)
    account_delay_after: int = 3
    account_lock_after: int = 10
    client_delay_after: int = 10
    client_lock_after: int = 50
    first_delay: dt.timedelta = dt.timedelta(seconds=1)
    max_delay: dt.timedelta = dt.timedelta(seconds=60)
    lock_for: dt.timedelta = dt.timedelta(minutes=15)


POLICY = ThrottlePolicy()


@dataclass(frozen=True)
class UserRow:
    username: str
    role: Role
    agency: str | None
    disabled: bool
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def session_idle() -> dt.timedelta:
    """How long a session may be idle before it ends: `$DASHBOARD_SESSION_IDLE_MINUTES`, else 30 minutes."""
    try:
        minutes = int(os.environ.get(SESSION_IDLE_ENV, DEFAULT_IDLE_MINUTES))
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return dt.timedelta(minutes=max(1, minutes))


def _networks(trusted: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    found = []
    for part in (trusted or "").split(","):
        try:
            found.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue
    return found


def client_address(remote: str | None, forwarded_for: str | None, trusted: str) -> str:
    """The address sign-ins are throttled and audited by.

    Streamlit sees the address the connection came from; behind a reverse proxy that is the proxy's. Only when
    that address is one of the trusted proxies (`$DASHBOARD_TRUSTED_PROXIES`, addresses or networks separated
    by commas) is `X-Forwarded-For` read, from the right, skipping trusted proxies: the first other address is
    the client. Entries further left were written by the client and are never believed.
    """
    networks = _networks(trusted)

    def is_trusted(text: str) -> bool:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return False
        return any(address in network for network in networks)

    if not remote:
        return "unknown"
    if not is_trusted(remote):
        return remote[:64]
    for hop in reversed([h.strip() for h in (forwarded_for or "").split(",") if h.strip()]):
        if is_trusted(hop):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            break
    return remote[:64]


def operator() -> str:
    """Who runs a command-line change, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


def normalise_username(typed: str) -> str:
    """Names are compared without case or surrounding spaces; whatever is typed, at most 64 characters are kept."""
    return unicodedata.normalize("NFKC", typed or "").strip().lower()[:64]


def check_username(name: str) -> str:
    normal = normalise_username(name)
    if normal != (name or "").strip().lower() or not _USERNAME.fullmatch(normal):
        raise Invalid("a user name is 2–64 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit")
    return normal


def check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid(f"a password is {MIN_PASSWORD}–{MAX_PASSWORD} characters")
    if password != password.strip("\r\n"):
        raise Invalid("a password does not start or end with a line break")
    return password


@cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so that an unknown name costs the same time as a wrong password."""
    return HASHER.hash(secrets.token_urlsafe(24))


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


# --- accounts (the command line, components/accounts.py) ---


def add_user(
    engine: Engine, username: str, password: str, role: Role, agency: str | None, *, by: str, now: dt.datetime | None = None
) -> None:
    """A reporter belongs to exactly one agency (checked against the plan by the caller); other roles to none."""
    now = now or utc_now()
    name = check_username(username)
    check_password(password)
    role = Role(role)
    if (role is Role.reporter) != (agency is not None):
        raise Invalid("a reporter needs --agency; reviewers and admins belong to no agency")
    with writing(engine) as session:
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise Invalid(f"user {name!r} already exists")
        session.add(
            User(username=name, password_hash=HASHER.hash(password), role=role.value, agency=agency, disabled=False, created_at=now)
        )
        audit.record(session, "user.add", at=now, username=by, client="cli", target=name, detail=f"role={role.value} agency={agency}")


def list_users(engine: Engine) -> list[UserRow]:
    with reading(engine) as session:
        users = session.scalars(select(User).order_by(User.username))
        return [UserRow(u.username, Role(u.role), u.agency, u.disabled, u.created_at, u.last_sign_in_at) for u in users]


def _existing(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise Invalid(f"no user {normalise_username(username)!r}")
    return user


def _end_sessions(session: Session, user_id: int, now: dt.datetime) -> None:
    session.execute(update(SignInSession).where(SignInSession.user_id == user_id, SignInSession.ended_at.is_(None)).values(ended_at=now))


def disable_user(engine: Engine, username: str, *, by: str, now: dt.datetime | None = None) -> None:
    """The account can no longer sign in, and its open sessions end at once."""
    now = now or utc_now()
    with writing(engine) as session:
        user = _existing(session, username)
        user.disabled = True
        _end_sessions(session, user.id, now)
        audit.record(session, "user.disable", at=now, username=by, client="cli", target=user.username)


def reset_password(engine: Engine, username: str, password: str, *, by: str, now: dt.datetime | None = None) -> None:
    """A new password; the account's open sessions end."""
    now = now or utc_now()
    check_password(password)
    with writing(engine) as session:
        user = _existing(session, username)
        user.password_hash = HASHER.hash(password)
        _end_sessions(session, user.id, now)
        audit.record(session, "user.reset_password", at=now, username=by, client="cli", target=user.username)


# --- signing in ---


def _allowed_from(failures: list[dt.datetime], delay_after: int, lock_after: int, policy: ThrottlePolicy) -> dt.datetime | None:
    """When the next attempt may be made after these failures (oldest first), or None if at once.

    The failures counted are those within `window` before the last one, so a lock lasts its full `lock_for`
    after the last failure even as the earlier ones age out."""
    if not failures:
        return None
    last = failures[-1]
    count = sum(1 for at in failures if at > last - policy.window)
    if count >= lock_after:
        return last + policy.lock_for
    if count >= delay_after:
        return last + min(policy.first_delay * 2 ** (count - delay_after), policy.max_delay)
    return None


def throttled_until(session: Session, name: str, client: str, now: dt.datetime, policy: ThrottlePolicy = POLICY) -> dt.datetime | None:
    """The later of the name's and the address's waits, if either still applies at `now`."""
    since = now - policy.window - max(policy.lock_for, policy.max_delay)
    last_success = session.scalar(select(func.max(SignInAttempt.at)).where(SignInAttempt.username == name, SignInAttempt.ok.is_(True)))
    account_since = max(since, last_success) if last_success else since
    failed = SignInAttempt.ok.is_(False)
    by_name = list(
        session.scalars(
            select(SignInAttempt.at)
            .where(SignInAttempt.username == name, failed, SignInAttempt.at > account_since)
            .order_by(SignInAttempt.at)
        )
    )
    by_client = list(
        session.scalars(
            select(SignInAttempt.at).where(SignInAttempt.client == client, failed, SignInAttempt.at > since).order_by(SignInAttempt.at)
        )
    )
    waits = [
        _allowed_from(by_name, policy.account_delay_after, policy.account_lock_after, policy),
        _allowed_from(by_client, policy.client_delay_after, policy.client_lock_after, policy),
    ]
    until = max((w for w in waits if w is not None), default=None)
    return until if until is not None and until > now else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def sign_in(
    engine: Engine, username: str, password: str, client: str, *, now: dt.datetime | None = None, policy: ThrottlePolicy = POLICY
) -> str | None:
    """A new session token, or None. None means "wrong name or password, or temporarily locked": nothing more is said."""
    now = now or utc_now()
    name = normalise_username(username)
    client = (client or "unknown")[:64]
    with writing(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(_SIGN_IN_LOCK)))
        if throttled_until(session, name, client, now, policy) is not None:
            audit.record(session, "sign_in", at=now, username=name, client=client, ok=False, detail="throttled")
            return None
        user = session.scalar(select(User).where(User.username == name)) if name else None
        password = password if isinstance(password, str) else ""
        if user is None or len(password) > MAX_PASSWORD:
            _verify(_dummy_hash(), password[:MAX_PASSWORD])
            ok, why = False, "no such user" if user is None else "password too long"
        else:
            ok = _verify(user.password_hash, password)
            why = "wrong password" if not ok else ("disabled" if user.disabled else "")
            ok = ok and not user.disabled
        session.add(SignInAttempt(username=name, client=client, at=now, ok=ok))
        audit.record(session, "sign_in", at=now, username=name, client=client, ok=ok, detail=why or None)
        if not ok:
            return None
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        user.last_sign_in_at = now
        token = secrets.token_urlsafe(32)
        session.add(SignInSession(token_hash=_token_hash(token), user_id=user.id, client=client, created_at=now, last_seen_at=now))
        return token


def actor_for(
    session: Session, token: str | None, now: dt.datetime, *, idle: dt.timedelta | None = None, touch: bool = True
) -> Actor | None:
    """The user a token stands for now, or None (no token, unknown, signed out, idle too long, account disabled).

    With `touch`, the session's last-seen time moves to `now` (inside the caller's transaction)."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    row = session.execute(
        select(SignInSession, User).join(User, User.id == SignInSession.user_id).where(SignInSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    signed_in, user = row
    if signed_in.ended_at is not None or user.disabled or signed_in.last_seen_at < now - (idle or session_idle()):
        return None
    if touch and now - signed_in.last_seen_at >= TOUCH_EVERY:
        signed_in.last_seen_at = now
    return Actor(user.id, user.username, Role(user.role), user.agency)


def require(session: Session, token: str | None, now: dt.datetime) -> Actor:
    """The acting user of a write, re-read from the database; NotSignedIn if there is none."""
    actor = actor_for(session, token, now)
    if actor is None:
        raise NotSignedIn("sign in first (or again: the session ended or the account is disabled)")
    return actor


@contextmanager
def refusals_audited(engine: Engine, action: str, token: str | None, client: str, now: dt.datetime, target: str) -> Iterator[None]:
    """A refused write is rolled back; the refusal itself is kept in the audit log, with who tried (if anyone was signed in)."""
    try:
        yield
    except StoreError as refused:
        with reading(engine) as session:
            actor = actor_for(session, token, now, touch=False)
        audit.record_alone(
            engine,
            action,
            at=now,
            username=actor.username if actor else None,
            client=client,
            target=target,
            ok=False,
            detail=f"{refused.code}: {refused}",
        )
        raise


def current_actor(engine: Engine, token: str | None, *, now: dt.datetime | None = None) -> Actor | None:
    """Who is signed in, for showing the page; every write checks again by itself."""
    if not token:
        return None
    now = now or utc_now()
    with reading(engine) as session:
        actor = actor_for(session, token, now, touch=False)
        stale = (
            actor is not None
            and session.scalar(select(SignInSession.last_seen_at).where(SignInSession.token_hash == _token_hash(token)))
            <= now - TOUCH_EVERY
        )
    if stale:
        with writing(engine) as session:
            actor = actor_for(session, token, now)
    return actor


def sign_out(engine: Engine, token: str | None, client: str, *, now: dt.datetime | None = None) -> None:
    if not token:
        return
    now = now or utc_now()
    with writing(engine) as session:
        row = session.execute(select(SignInSession, User).join(User).where(SignInSession.token_hash == _token_hash(token))).first()
        if row is None or row[0].ended_at is not None:
            return
        row[0].ended_at = now
        audit.record(session, "sign_out", at=now, username=row[1].username, client=client)
