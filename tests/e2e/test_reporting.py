"""Reporting in a real browser, on a server with its own temporary SQLite database: a reporter signs in, files a
report and signs out; a reviewer signs in and accepts it; a visitor who never signed in sees the accepted report."""

from __future__ import annotations

import pytest

from components.i18n import t
from components.store import accounts
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from scripts.browser import go_to, guard_offline, open_app, visible_text, wait_settled
from tests.e2e.reporting import PASSWORD, SIDEBAR, key, sign_in, sign_out

DONE = "西部科学城第二批重点项目已开工,累计完成投资 12.6 亿元"
VIEWPORT = {"width": 1400, "height": 2400}  # tall: Streamlit scrolls inside the page, so a full-page shot is the viewport


@pytest.fixture(scope="module")
def reporting_url(server_factory, tmp_path_factory) -> str:
    """A server whose database holds one 科技厅 reporter and one reviewer, made through the accounts API."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reporting') / 'dashboard.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="e2e")
    accounts.add_user(engine, "fgw-zhao", PASSWORD, Role.reviewer, None, by="e2e")
    engine.dispose()
    return server_factory(env={DATABASE_URL_ENV: url})


def test_report_review_and_publish(browser, reporting_url, screenshots, outside_requests):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    guard_offline(context, outside_requests)
    page = context.new_page()
    try:
        open_app(page, reporting_url)
        go_to(page, "report")
        sign_in(page, "kjt-li")
        assert "kjt-li" in page.locator(SIDEBAR).inner_text()
        page.locator(key("report::status")).get_by_text("按计划推进", exact=True).click()
        page.locator(f"{key('report::done')} textarea").fill(DONE)
        page.locator(f"{key('report::next_steps')} textarea").fill("推进三期项目前期工作")
        page.locator(f"{key('report::submit')} button").click()
        page.get_by_text("已提交报告 #1,等待审核。").wait_for(timeout=30_000)
        wait_settled(page)
        assert "本单位的报告(1 份)" in visible_text(page)
        assert page.locator(f"{key('report::done')} textarea").input_value() == ""  # the form is empty for the next report
        page.screenshot(path=str(screenshots / "zh-report-reporter.png"), full_page=True)
        sign_out(page)

        go_to(page, "review")
        sign_in(page, "fgw-zhao")
        assert "待审核的报告(1 份)" in visible_text(page)
        assert DONE in visible_text(page)
        page.screenshot(path=str(screenshots / "zh-review-reviewer.png"), full_page=True)
        page.locator(f"{key('review::accept')} button").click()
        page.get_by_text("已采纳报告 #1 第 1 版,现已公开。").wait_for(timeout=30_000)
        sign_out(page)
    finally:
        context.close()

    for lang in ("zh", "en"):
        visitor = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        guard_offline(visitor, outside_requests)
        tab = visitor.new_page()
        try:
            open_app(tab, reporting_url, lang=lang)
            go_to(tab, "report")
            text = visible_text(tab)
            assert t("reports.accepted", lang, count=1) in text
            assert DONE in text
            assert "kjt-li" in text and "fgw-zhao" in text
            assert t("reports.state.submitted", lang) not in text  # nothing pending is shown to a visitor
            tab.screenshot(path=str(screenshots / f"{lang}-report-visitor.png"), full_page=True)
            go_to(tab, "coverage")
            tab.screenshot(path=str(screenshots / f"{lang}-coverage-visitor.png"), full_page=True)
            go_to(tab, "review")
            assert t("review.sign_in_needed", lang) in visible_text(tab)
        finally:
            visitor.close()
    assert not outside_requests, outside_requests
