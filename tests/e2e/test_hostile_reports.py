"""Hostile report text in Chromium: on every page that shows it, no script runs, nothing is loaded from outside, no
link but the evidence link (http/https) exists, and the text reads as the words that were typed."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from components.plan.loader import load_plan_file
from components.store import accounts, reports
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from scripts.browser import EXCEPTION, go_to, guard_offline, open_app, visible_text
from tests.conftest import PLAN_PATH
from tests.e2e.reporting import PASSWORD, sign_in
from tests.hostile_reports import ACCEPTED, COMMENT, DONE_LINES, LINK, OUTSIDE, PENDING

VIEWPORT = {"width": 1400, "height": 2400}
# What the page holds that could run, load or lead somewhere: scripts' traces, images, frames, and every link.
INSPECT_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return {
        xss: window.__xss === undefined ? null : String(window.__xss),
        images: [...main.querySelectorAll('img')].map(i => i.getAttribute('src')),
        frames: [...main.querySelectorAll('iframe, object, embed')].map(f => f.getAttribute('src') || f.tagName),
        links: [...main.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.textContent]),
    };
}"""


@pytest.fixture(scope="module")
def hostile_url(server_factory, tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'dashboard.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    plan = load_plan_file(PLAN_PATH).value
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="e2e")
    accounts.add_user(engine, "fgw-zhao", PASSWORD, Role.reviewer, None, by="e2e")
    reporter = accounts.sign_in(engine, "kjt-li", PASSWORD, "e2e")
    reviewer = accounts.sign_in(engine, "fgw-zhao", PASSWORD, "e2e")
    accepted = reports.file_report(engine, reporter, plan, ACCEPTED, client="e2e")
    reports.accept_report(engine, reviewer, plan, accepted, 1, COMMENT, client="e2e")
    reports.file_report(engine, reporter, plan, PENDING, client="e2e")
    engine.dispose()
    return server_factory(env={DATABASE_URL_ENV: url})


def inert(page) -> dict:
    found = page.evaluate(INSPECT_JS)
    assert found["xss"] is None, "a script from a report ran"
    assert not [src for src in found["images"] if OUTSIDE in (src or "") or src == "x"], found["images"]
    assert not found["frames"], found["frames"]
    for href, words in found["links"]:
        assert not href.lower().startswith(("javascript:", "data:", "vbscript:", "file:")), href
        if OUTSIDE in href:  # a link off the site shows where it goes: its own address (or the evidence link, as typed)
            assert href.startswith(("http://", "https://")), href
            assert unquote(href) in (words, f"http://{words}") or words == LINK, (href, words)
    assert page.locator(EXCEPTION).count() == 0
    return found


def test_hostile_report_text_is_inert_text_for_visitors_and_reviewers(browser, hostile_url, outside_requests, screenshots):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    guard_offline(context, outside_requests)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        open_app(page, hostile_url)
        go_to(page, "report")
        found = inert(page)
        text = visible_text(page)
        for line in DONE_LINES[:2] + DONE_LINES[3:6]:
            assert line in text, line  # shown as the words typed
        # Streamlit's Markdown links bare addresses, each showing its own address (checked in `inert`); the evidence
        # link shows the address as typed (its brackets are encoded in the target)
        assert [LINK, LINK] in [[unquote(href), words] for href, words in found["links"]]
        page.screenshot(path=str(screenshots / "zh-report-hostile-visitor.png"), full_page=True)

        go_to(page, "progress")
        inert(page)
        go_to(page, "tasks")
        inert(page)

        go_to(page, "review")
        sign_in(page, "fgw-zhao")
        found = inert(page)
        assert PENDING.done.splitlines()[0] in visible_text(page)
        page.screenshot(path=str(screenshots / "zh-review-hostile-reviewer.png"), full_page=True)
    finally:
        context.close()
    assert not dialogs, dialogs
    assert not outside_requests, outside_requests
