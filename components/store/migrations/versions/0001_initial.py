"""The first schema: accounts, sign-in sessions and attempts, reports (append-only), the audit log, saved scenarios.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from components.store.models import APPEND_ONLY, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(64)),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_sign_in_at", UTCDateTime),
        sa.CheckConstraint("role IN ('reporter', 'reviewer', 'admin')", name="ck_users_role"),
        sa.CheckConstraint("(role = 'reporter') = (agency IS NOT NULL)", name="ck_users_agency"),
    )
    op.create_table(
        "sign_in_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_seen_at", UTCDateTime, nullable=False),
        sa.Column("ended_at", UTCDateTime),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_attempts_username_at", "sign_in_attempts", ["username", "at"])
    op.create_index("ix_attempts_client_at", "sign_in_attempts", ["client", "at"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_doc_number", sa.String(200), nullable=False),
        sa.Column("task", sa.Integer, nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reports_plan_task", "reports", ["plan_doc_number", "task"])
    op.create_index("ix_reports_plan_agency", "reports", ["plan_doc_number", "agency"])
    op.create_table(
        "report_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done", sa.Text, nullable=False),
        sa.Column("next_steps", sa.Text, nullable=False),
        sa.Column("evidence_link", sa.String(500)),
        sa.Column("evidence_document", sa.String(200)),
        sa.Column("via_sheet", sa.Boolean, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("report_id", "version", name="uq_report_versions_report_version"),
    )
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("state IN ('submitted', 'accepted', 'returned', 'withdrawn')", name="ck_report_events_state"),
    )
    op.create_index("ix_report_events_report", "report_events", ["report_id", "id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("username", sa.String(64)),
        sa.Column("client", sa.String(64)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(300)),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("detail", sa.String(500)),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_doc_number", sa.String(200), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("edits", sa.Text, nullable=False),
        sa.Column("saved_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("plan_doc_number", "name", name="uq_scenarios_plan_name"),
    )
    op.create_table(
        "markers",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("done_at", UTCDateTime, nullable=False),
        sa.Column("detail", sa.String(500)),
    )
    _refuse_changes(APPEND_ONLY)


def _refuse_changes(tables: tuple[str, ...]) -> None:
    """Triggers that make UPDATE and DELETE on the append-only tables fail, whoever connects."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME; END $$"
        )
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            )
    else:
        for table in tables:
            for change in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{change.lower()} BEFORE {change} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only'); END"
                )


def downgrade() -> None:
    for table in (
        "markers",
        "scenarios",
        "audit_log",
        "report_events",
        "report_versions",
        "reports",
        "sign_in_attempts",
        "sign_in_sessions",
        "users",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION refuse_change()")
