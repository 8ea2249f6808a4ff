"""Alembic's environment: run by `components.store.migrate.migrate()` at start-up, and by `alembic upgrade head`.

Every pending migration runs in one transaction (SQLite and PostgreSQL both have transactional DDL), so a
migration that fails leaves the database exactly as it was.
"""

from __future__ import annotations

from alembic import context

from components.store.db import database_url, make_engine, writing_connection
from components.store.models import Base

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        transactional_ddl=True,
        transaction_per_migration=False,
        render_as_batch=True,  # SQLite cannot ALTER most things: later migrations copy the table instead
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:  # from migrate(): the caller holds the transaction
    run(given)
elif context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run `alembic upgrade head` against the database")
else:  # the alembic command line: the database of $DASHBOARD_DATABASE_URL (or the default SQLite file)
    engine = make_engine(database_url())
    with writing_connection(engine) as connection:
        run(connection)
    engine.dispose()
