"""Two dashboard replicas on one PostgreSQL, behind Debian's nginx with the configuration docs/deploy.md documents
(`docs/nginx-replicas.conf`, run as it is with local addresses), driven in Chromium through the proxy.

The tests run in order and share the servers: what one replica saved is seen on the other; a replica stopped in
the middle of a visit loses nothing that was saved and the visitor carries on on the other one; PostgreSQL
restarted under an open session gives a message, keeps the page readable and recovers by itself.
"""

from __future__ import annotations

import io
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import openpyxl
import pytest
from sqlalchemy import text

from components.i18n import t
from components.plan.reports import agency_tasks
from components.store import accounts
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from scripts.browser import EXCEPTION, go_to, guard_offline, open_app, set_text_input, visible_text, wait_settled
from scripts.local_server import HOST, Server, free_port, streamlit_server
from scripts.nginx_proxy import COOKIE, nginx_proxy
from tests.e2e.reporting import PASSWORD, SIDEBAR, key, sign_in
from tests.postgres import Cluster

VIEWPORT = {"width": 1400, "height": 2000}
FIRST = "第一份报告:经由一个副本提交,在另一个副本审核"
SECOND = "第二份报告:副本停止后在另一个副本继续提交"
THIRD = "第三份报告:数据库重启期间填写,恢复后提交"
SCENARIO = "replica-a"
WAIT_MS = 60_000


@dataclass
class Replicas:
    """Two `streamlit run` servers on fixed local ports, each of which can be stopped and started again."""

    env: dict[str, str]
    ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    running: dict[int, tuple[AbstractContextManager, Server]] = field(default_factory=dict)

    def address(self, index: int) -> str:
        return f"{HOST}:{self.ports[index]}"

    def start(self, index: int) -> None:
        context = streamlit_server(port=self.ports[index], env=self.env)
        self.running[index] = (context, context.__enter__())

    def stop(self, index: int) -> None:
        self.running.pop(index)[0].__exit__(None, None, None)

    def pids(self) -> dict[int, int]:
        return {index: server.pid for index, (_, server) in self.running.items()}


@pytest.fixture(scope="module")
def cluster():
    """A PostgreSQL of this module's own: the last test stops and starts it."""
    started = Cluster.start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def database(cluster) -> str:
    url = cluster.new_database()
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="e2e")
    accounts.add_user(engine, "fgw-zhao", PASSWORD, Role.reviewer, None, by="e2e")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def replicas(database):
    servers = Replicas(env={DATABASE_URL_ENV: database, "DASHBOARD_TRUSTED_PROXIES": HOST})
    servers.start(0)
    servers.start(1)
    yield servers
    for index in list(servers.running):
        servers.stop(index)


@pytest.fixture(scope="module")
def proxy(replicas):
    with nginx_proxy((replicas.address(0), replicas.address(1))) as running:
        yield running


@pytest.fixture()
def visitor(browser, proxy, outside_requests):
    """A new browser session through the proxy; `visitor(i)` arrives as someone the proxy last sent to replica i."""
    contexts = []

    def open_one(replica: int | None = None, replicas: Replicas | None = None):
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
        guard_offline(context, outside_requests)
        if replica is not None:
            context.add_cookies([{"name": COOKIE, "value": replicas.address(replica), "url": proxy.url}])
        contexts.append(context)
        return context, context.new_page()

    yield open_one
    for context in contexts:
        context.close()
    assert not outside_requests, outside_requests


def served_by(context, proxy) -> str:
    return next(c["value"] for c in context.cookies(proxy.url) if c["name"] == COOKIE)


def file_report(page, done: str) -> None:
    page.locator(key("report::status")).get_by_text("按计划推进", exact=True).click()
    page.locator(f"{key('report::done')} textarea").fill(done)
    page.locator(f"{key('report::submit')} button").click()


def wait_text(page, words: str) -> None:
    page.get_by_text(words, exact=False).first.wait_for(timeout=WAIT_MS)
    wait_settled(page, timeout_ms=WAIT_MS)


def open_scenarios(page) -> None:
    page.locator('[data-testid="stExpander"] summary').filter(has_text=t("scenario.panel", "zh")).click()
    wait_settled(page)


def saved_scenarios(page) -> str:
    """What the saved-scenario picker shows (its chosen entry: the only one here)."""
    picker = page.locator(key("scenario::pick"))
    inputs = picker.locator("input")
    return inputs.first.input_value() if inputs.count() and inputs.first.input_value() else picker.inner_text().splitlines()[-1].strip()


def test_a_new_visitor_gets_a_replica_and_stays_on_it(visitor, proxy, replicas):
    context, page = visitor()
    open_app(page, proxy.url)
    first = served_by(context, proxy)
    assert first in {replicas.address(0), replicas.address(1)}
    go_to(page, "tasks")
    go_to(page, "report")
    assert served_by(context, proxy) == first
    assert page.locator(EXCEPTION).count() == 0


def test_what_one_replica_saved_the_other_shows(visitor, proxy, replicas, plan):
    reporter_context, reporter = visitor(0, replicas)
    open_app(reporter, proxy.url)
    sign_in(reporter, "kjt-li")
    go_to(reporter, "indicators")
    target = plan.targets[0]
    set_text_input(reporter, f"whatif_value_{target.id}", f"{target.value * 1.2:g}")
    wait_settled(reporter)
    open_scenarios(reporter)
    set_text_input(reporter, "scenario--name", SCENARIO)
    reporter.locator(f"{key('scenario::save')} button").click()
    wait_text(reporter, t("scenario.saved", "zh", name=SCENARIO, count=1))
    go_to(reporter, "report")
    file_report(reporter, FIRST)
    wait_text(reporter, t("reports.filed", "zh", id=1))

    reviewer_context, reviewer = visitor(1, replicas)
    open_app(reviewer, proxy.url)
    go_to(reviewer, "indicators")
    open_scenarios(reviewer)
    assert saved_scenarios(reviewer) == t("scenario.owner", "zh", name=SCENARIO, owner="kjt-li")
    go_to(reviewer, "review")
    sign_in(reviewer, "fgw-zhao")
    assert t("review.queue", "zh", count=1) in visible_text(reviewer)
    assert FIRST in visible_text(reviewer)
    reviewer.locator(f"{key('review::accept')} button").click()
    wait_text(reviewer, t("review.accepted", "zh", id=1, version=1))

    go_to(reporter, "tasks")
    go_to(reporter, "report")  # on replica 0 again: the acceptance made on replica 1 is shown at once
    assert t("reports.accepted", "zh", count=1) in visible_text(reporter)
    assert served_by(reporter_context, proxy) == replicas.address(0)
    assert served_by(reviewer_context, proxy) == replicas.address(1)


def test_a_replica_stopped_mid_session_loses_no_saved_item(visitor, proxy, replicas, plan, screenshots):
    context, page = visitor(0, replicas)
    open_app(page, proxy.url)
    go_to(page, "report")
    sign_in(page, "kjt-li")
    assert t("reports.mine", "zh", count=1) in visible_text(page)
    page.locator(f"{key('report::done')} textarea").fill("尚未提交的文字")  # typed, not submitted: it lives in replica 0's session

    replicas.stop(0)
    deadline = time.monotonic() + 60
    while served_by(context, proxy) != replicas.address(1) and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # the page reconnects by itself; nginx sends it to replica 1 and the cookie follows
    assert served_by(context, proxy) == replicas.address(1)
    # The page still shows what replica 0 drew; the next click runs on replica 1, in a new session: signed out.
    go_to(page, "report", timeout_ms=WAIT_MS)
    page.locator(f"{key('auth::panel')}").wait_for(state="attached", timeout=WAIT_MS)
    text_now = visible_text(page)
    assert t("reports.sign_in_needed", "zh") in text_now
    assert t("reports.accepted", "zh", count=1) in text_now and FIRST in text_now
    page.screenshot(path=str(screenshots / "zh-replica-after-stop.png"), full_page=True)

    sign_in(page, "kjt-li")
    assert t("reports.mine", "zh", count=1) in visible_text(page)  # the report filed before is there
    assert page.locator(f"{key('report::done')} textarea").input_value() == ""  # the unsubmitted text was replica 0's
    file_report(page, SECOND)
    wait_text(page, t("reports.filed", "zh", id=2))
    assert t("reports.mine", "zh", count=2) in visible_text(page)
    go_to(page, "indicators")
    open_scenarios(page)
    assert saved_scenarios(page) == t("scenario.owner", "zh", name=SCENARIO, owner="kjt-li")

    replicas.start(0)  # back: the visitor stays where their session now lives, downloads included
    go_to(page, "report")
    with page.expect_download(timeout=WAIT_MS) as download:
        page.locator(f"{key('report::sheet_download')} button").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [task.number for task in agency_tasks(plan, "kjt")]
    assert served_by(context, proxy) == replicas.address(1)
    assert page.locator(EXCEPTION).count() == 0


def test_postgresql_restart_under_an_open_session(visitor, proxy, replicas, cluster, database, screenshots):
    before = replicas.pids()
    context, page = visitor(1, replicas)
    open_app(page, proxy.url)
    go_to(page, "report")
    sign_in(page, "kjt-li")

    cluster.stop_server()
    try:
        file_report(page, THIRD)
        wait_text(page, t("db.unavailable", "zh"))
        assert page.locator(f"{key('report::done')} textarea").input_value() == THIRD  # what was typed stays
        assert "kjt-li" in page.locator(SIDEBAR).inner_text()
        assert page.locator(EXCEPTION).count() == 0
        page.screenshot(path=str(screenshots / "zh-replica-database-down.png"), full_page=True)

        _, reader = visitor()  # someone else, meanwhile: the plan's pages read as ever, reports say why they are missing
        open_app(reader, proxy.url)
        go_to(reader, "tasks")
        assert reader.locator('[data-testid="stMain"] [data-testid="stExpander"]').count() == 27
        go_to(reader, "report")
        assert t("db.unavailable", "zh") in visible_text(reader)
        assert reader.locator(EXCEPTION).count() == 0
    finally:
        cluster.start_server()

    page.locator(f"{key('report::submit')} button").click()  # the same form, submitted again: no server was restarted
    wait_text(page, t("reports.filed", "zh", id=3))
    assert t("reports.mine", "zh", count=3) in visible_text(page)
    assert replicas.pids() == before

    engine = make_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.id, v.done, (SELECT count(*) FROM report_versions WHERE report_id = r.id), "
                "(SELECT count(*) FROM report_events WHERE report_id = r.id) FROM reports r "
                "JOIN report_versions v ON v.report_id = r.id ORDER BY r.id"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(1, FIRST, 1, 2), (2, SECOND, 1, 1), (3, THIRD, 1, 1)]  # nothing half-written
