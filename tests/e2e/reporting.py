"""Signing in and out in the browser, shared by the reporting and replica tests."""

from __future__ import annotations

from scripts import browser
from scripts.browser import wait_settled

PASSWORD = "correct horse battery"
SIDEBAR = '[data-testid="stSidebar"]'


def key(name: str) -> str:
    """Streamlit's class for a widget key: characters other than letters, digits, _ and - become -."""
    return ".st-key-" + "".join(ch if ch.isalnum() or ch in "_-" else "-" for ch in name)


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    browser.sign_in(page, name, password)  # the benchmark signs in the same way


def sign_out(page) -> None:
    page.locator(f"{key('auth::sign_out')} button").click()
    page.locator(f"{key('auth::panel')}").wait_for(state="attached", timeout=30_000)
    wait_settled(page)
