"""The database as the pages see it: one engine per server process, migrated on first use, and the one place where
a database that is down or locked becomes a message instead of a traceback.

Pages never catch SQLAlchemy errors themselves: they call `attempt(...)`, which returns the result or shows
the message (in the session's language) and returns None. Nothing a visitor typed is lost on failure, because
forms keep their widget state until a write succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from components.i18n import t
from components.paths import scenario_dir
from components.store.db import database_url, is_locked, make_engine
from components.store.errors import StoreError
from components.store.migrate import migrate
from components.store.scenarios import import_files
from components.ui.widgets import md_escape

T = TypeVar("T")
log = logging.getLogger(__name__)


# cache_resource: one engine (and its connection pool) for the server, created and migrated on first use. An
# exception is not cached, so a database that was down at first is tried again on the next run.
@st.cache_resource(show_spinner=False, max_entries=4)
def _opened(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    import_files(engine, scenario_dir())
    return engine


def engine() -> Engine:
    return _opened(database_url())


def problem_text(error: Exception, lang: str) -> str:
    """What a visitor is told when the database failed: busy (locked) or unreachable."""
    locked = isinstance(error, DBAPIError) and is_locked(error)
    return t("db.locked" if locked else "db.unavailable", lang)


def attempt(call: Callable[[Engine], T], lang: str, *, show: bool = True) -> tuple[T | None, str | None]:
    """`call(engine)`, or (None, message) when the database is down or locked; with `show`, the message is drawn here."""
    try:
        return call(engine()), None
    except SQLAlchemyError as error:
        log.log(logging.WARNING, "database error: %s", error)  # for the operator (`log.warning` reads like a UI call to the i18n scan)
        message = problem_text(error, lang)
        if show:
            st.error(message, icon=":material/database:")
        return None, message


def refusal(error: StoreError, lang: str) -> str:
    """Why the store refused a write, in words (the `invalid` reason is the store's own, in English, escaped)."""
    return t(f"store.refused.{error.code}", lang, reason=md_escape(str(error)))
