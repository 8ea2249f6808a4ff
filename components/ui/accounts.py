"""Signing in and out in the sidebar, and who is signed in for this browser session.

The session keeps only a random token (`TOKEN_KEY`); who it stands for is read from the database on every run,
so an account disabled on the command line, or a session idle too long, is signed out at the next click.
Every write checks the token again in the store: hiding a button here is a convenience, not the check.
"""

from __future__ import annotations

import os

import streamlit as st

from components.i18n import t
from components.plan.model import Plan
from components.store.accounts import TRUSTED_PROXIES_ENV, Actor, client_address, current_actor, session_idle, sign_in, sign_out
from components.ui.database import attempt
from components.ui.widgets import md_escape, open_expander

TOKEN_KEY = "auth::token"  # the sign-in session's token (the database keeps its hash)
NOTICE_KEY = "auth::notice"  # "failed" or "expired": shown once in the sidebar
PROBLEM_KEY = "auth::problem"  # a database problem met while signing in or out
LAST_KNOWN_KEY = "auth::last_known"  # who the token stood for when the database last answered
USERNAME_KEY = "auth::username"
PASSWORD_KEY = "auth::password"
PANEL_KEY = "auth::panel"  # whether the sign-in expander is open


def client() -> str:
    """This visitor's address, for throttling and the audit log ("unknown" where Streamlit has none, as under AppTest)."""
    remote = st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For") if isinstance(remote, str) else None
    return client_address(
        remote if isinstance(remote, str) else None,
        forwarded if isinstance(forwarded, str) else None,
        os.environ.get(TRUSTED_PROXIES_ENV, ""),
    )


def session_token() -> str | None:
    token = st.session_state.get(TOKEN_KEY)
    return token if isinstance(token, str) else None


def signed_in(lang: str) -> Actor | None:
    """The user behind this session now, or None; a token that no longer stands for anyone is dropped.

    While the database does not answer, the user it last named is returned, so that the page keeps its form
    and the text typed into it (Streamlit drops the state of widgets a run does not draw). That grants
    nothing: every write asks the database again, and fails while it is down.
    """
    token = session_token()
    if token is None:
        return None
    actor, problem = attempt(lambda engine: current_actor(engine, token), lang, show=False)
    if problem is not None:
        return st.session_state.get(LAST_KNOWN_KEY)
    if actor is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state.pop(LAST_KNOWN_KEY, None)
        st.session_state[NOTICE_KEY] = "expired"
    else:
        st.session_state[LAST_KNOWN_KEY] = actor
    return actor


def _on_sign_in(lang: str) -> None:
    name = str(st.session_state.get(USERNAME_KEY, ""))
    password = str(st.session_state.get(PASSWORD_KEY, ""))
    st.session_state[PASSWORD_KEY] = ""  # never kept after the attempt
    token, problem = attempt(lambda engine: sign_in(engine, name, password, client()), lang, show=False)
    if problem:
        st.session_state[PROBLEM_KEY] = problem
    elif token is None:
        st.session_state[NOTICE_KEY] = "failed"
    else:
        st.session_state[TOKEN_KEY] = token
        st.session_state.pop(NOTICE_KEY, None)


def _on_sign_out(lang: str) -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(LAST_KNOWN_KEY, None)
    _, problem = attempt(lambda engine: sign_out(engine, token, client()), lang, show=False)
    if problem:
        st.session_state[PROBLEM_KEY] = problem


def role_line(actor: Actor, plan: Plan, lang: str) -> str:
    agency = plan.agency_by_id.get(actor.agency) if actor.agency else None
    where = f" · {agency.name.get(lang)}" if agency else (f" · {actor.agency}" if actor.agency else "")
    return t("auth.signed_in", lang, name=md_escape(actor.username), role=t(f"auth.role.{actor.role.value}", lang), agency=md_escape(where))


def account_sidebar(plan: Plan, lang: str) -> Actor | None:
    """Who is signed in and a sign-out button, or the sign-in form; returns the signed-in user."""
    actor = signed_in(lang)
    if problem := st.session_state.pop(PROBLEM_KEY, None):
        st.error(problem, icon=":material/database:")
    if actor is not None:
        st.markdown(role_line(actor, plan, lang))
        st.button(t("auth.sign_out", lang), key="auth::sign_out", on_click=_on_sign_out, args=(lang,))
        return actor
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice is not None:
        st.session_state[PANEL_KEY] = True  # a failed or expired sign-in is said where the form is
    # the form is drawn only while open: closed, the browser still redrew its hidden fields on every run of every page
    panel = open_expander(t("auth.heading", lang), PANEL_KEY, icon=":material/login:")
    if panel is None:
        return None
    with panel:
        st.caption(t("auth.hint", lang))
        if notice == "failed":
            st.error(t("auth.failed", lang))
        elif notice == "expired":
            st.warning(t("auth.expired", lang, minutes=int(session_idle().total_seconds() // 60)))
        with st.form("auth::form", clear_on_submit=False, border=False):
            st.text_input(t("auth.username", lang), key=USERNAME_KEY, max_chars=64, autocomplete="username")
            st.text_input(t("auth.password", lang), key=PASSWORD_KEY, type="password", max_chars=256, autocomplete="current-password")
            st.form_submit_button(t("auth.submit", lang), on_click=_on_sign_in, args=(lang,))
    return None
