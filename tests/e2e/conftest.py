"""Browser tests: a real `streamlit run app.py` and Debian's Chromium driven by Playwright, with the network shut.

Without Chromium or playwright these tests fail and say how to install them
(`make test` does): a missing install step cannot hide behind a green run.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from components import paths
from scripts.app_pages import PageInfo, apptest_runs_app_py, registered_pages, server_started_with
from scripts.browser import guard_offline, launch, missing_browser
from scripts.local_server import streamlit_server

ROOT = paths.ROOT

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}


@functools.cache
def _pages() -> tuple[PageInfo, ...]:
    return tuple(registered_pages())


def pytest_generate_tests(metafunc):
    """`app_page` runs a test once for every page app.py registers, whatever pages exist today."""
    if "app_page" in metafunc.fixturenames:
        pages = _pages()
        metafunc.parametrize("app_page", pages, ids=[p.name for p in pages])


@pytest.fixture(scope="session", autouse=True)
def browser_available() -> None:
    reason = missing_browser()
    if reason is None:
        return
    pytest.fail(f"browser tests cannot run: {reason} (`make test` installs it: make system-deps)", pytrace=False)


@pytest.fixture(scope="session")
def pages() -> list[PageInfo]:
    return list(_pages())


@pytest.fixture(scope="session")
def chart_counts(pages) -> dict[str, int]:
    """How many charts each page draws on the bundled plan, as the server renders it (AppTest)."""
    from streamlit.testing.v1 import AppTest

    counts = {}
    with server_started_with(None), apptest_runs_app_py():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        for page in pages:
            at.switch_page(page.script).run()
            assert not at.exception, f"{page.script}: {at.exception[0].message}"
            counts[page.script] = len(at.get("plotly_chart"))
    return counts


@pytest.fixture(scope="session")
def server_factory():
    """Start more servers (e.g. with another --plan, or their own database in `env`); all are stopped at the end of the session."""
    stack = []

    def start(plan: str | Path | None = None, env: dict[str, str] | None = None) -> str:
        context = streamlit_server(plan, env=env)
        server = context.__enter__()
        stack.append(context)
        return server.url

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture(scope="session")
def app_url(server_factory) -> str:
    """The dashboard on the bundled plan."""
    return server_factory()


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def outside_requests() -> list[str]:
    return []


@pytest.fixture()
def page(browser, outside_requests):
    """A fresh browser session with every request off this machine aborted and recorded; any such request fails the test."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    guard_offline(context, outside_requests)
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()
    assert not outside_requests, f"the app tried to reach outside hosts: {sorted(set(outside_requests))}"
    assert not dialogs, f"a script opened dialogs: {dialogs}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
