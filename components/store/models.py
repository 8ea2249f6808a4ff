"""The tables. Reports are three append-only tables: `reports` (what a report is about), `report_versions` (what was
written, one row per edit) and `report_events` (every change of state). Nothing in them is updated or deleted;
migration 0001 installs triggers that refuse it, on SQLite and PostgreSQL alike. The audit log is append-only too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

APPEND_ONLY = ("reports", "report_versions", "report_events", "audit_log")
ROLES = ("reporter", "reviewer", "admin")
STATES = ("submitted", "accepted", "returned", "withdrawn")


class UTCDateTime(TypeDecorator):
    """Times are stored as UTC and come back timezone-aware on both engines (SQLite keeps no zone of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store times with their zone (UTC)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('reporter', 'reviewer', 'admin')", name="ck_users_role"),
        CheckConstraint("(role = 'reporter') = (agency IS NOT NULL)", name="ck_users_agency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(64))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SignInSession(Base):
    """A signed-in browser session: the browser keeps a random token, the database only its SHA-256."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    client: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SignInAttempt(Base):
    """Every sign-in attempt, by the name typed (existing or not) and the client address: what the throttle counts."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_attempts_username_at", "username", "at"), Index("ix_attempts_client_at", "client", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_plan_task", "plan_doc_number", "task"),
        Index("ix_reports_plan_agency", "plan_doc_number", "agency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_doc_number: Mapped[str] = mapped_column(String(200))
    task: Mapped[int] = mapped_column(Integer)
    agency: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ReportVersion(Base):
    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "version", name="uq_report_versions_report_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    version: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    done: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)
    evidence_link: Mapped[str | None] = mapped_column(String(500))
    evidence_document: Mapped[str | None] = mapped_column(String(200))
    via_sheet: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ReportEvent(Base):
    __tablename__ = "report_events"
    __table_args__ = (
        CheckConstraint("state IN ('submitted', 'accepted', 'returned', 'withdrawn')", name="ck_report_events_state"),
        Index("ix_report_events_report", "report_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Every write and every sign-in: who (as typed, for sign-ins), from where, what, on what, and whether it was allowed."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    username: Mapped[str | None] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(300))
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(String(500))


class SavedScenario(Base):
    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("plan_doc_number", "name", name="uq_scenarios_plan_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_doc_number: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: imported from the old scenario folder
    edits: Mapped[str] = mapped_column(Text)  # the scenario's edits as JSON
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Marker(Base):
    """One-off jobs done on this database, such as importing the old scenario files."""

    __tablename__ = "markers"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    done_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    detail: Mapped[str | None] = mapped_column(String(500))
