"""The audit log: one row per write and per sign-in attempt, allowed or not, inside the same transaction as the write."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from components.store.db import reading, writing
from components.store.models import AuditEntry


def record(
    session: Session,
    action: str,
    *,
    at: dt.datetime,
    username: str | None,
    client: str | None,
    target: str | None = None,
    ok: bool = True,
    detail: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=at,
            username=(username or None) and username[:64],
            client=(client or None) and client[:64],
            action=action[:32],
            target=target and target[:300],
            ok=ok,
            detail=detail and detail[:500],
        )
    )


def record_alone(engine: Engine, action: str, **fields) -> None:
    """A refusal is recorded in a transaction of its own: the refused write's transaction is rolled back."""
    with writing(engine) as session:
        record(session, action, **fields)


def entries(engine: Engine, *, limit: int = 1000) -> list[AuditEntry]:
    """The newest entries first."""
    with reading(engine) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
