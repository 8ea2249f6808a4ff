"""Hostile report text on every page that shows reports: what reaches Streamlit's Markdown is escaped (no raw HTML, no
image, no link but the evidence link, which is http(s)), the tables are defused for the toolbar's CSV and copy,
and chart hover text is escaped too. `tests/e2e/test_hostile_reports.py` checks the same in Chromium."""

from __future__ import annotations

import json
import re

import pytest
from argon2 import PasswordHasher

from components import paths
from components.plan.loader import load_plan_file
from components.store import accounts, reports
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from components.ui.accounts import TOKEN_KEY
from components.ui.reports import link_target, paragraphs
from scripts.app_pages import apptest_runs_app_py, server_started_with
from tests.hostile_reports import ACCEPTED, COMMENT, DOCUMENT, DONE, LINK, NEXT_STEPS, PENDING
from tests.ui.apptest import APP

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
PASSWORD = "correct horse battery"
UNESCAPED_HTML = re.compile(r"(?<!\\)<\s*/?\s*[a-z!]", re.IGNORECASE)
UNESCAPED_IMAGE = re.compile(r"(?<!\\)!(?<!\\)\[")
LINK_TARGETS = re.compile(r"(?<!\\)\]\((?P<target>[^)\s]*)\)")
ANGLE_TARGETS = re.compile(r"(?<!\\)\]\(<(?P<target>[^>\s]*)>\)")  # `[text](<address>)`, as the public evidence is linked


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """One accepted hostile report (with a hostile review comment) and one pending; a reviewer's token."""
    hasher = accounts.HASHER
    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    accounts._dummy_hash.cache_clear()
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test")
    accounts.add_user(engine, "fgw-zhao", PASSWORD, Role.reviewer, None, by="test")
    reporter = accounts.sign_in(engine, "kjt-li", PASSWORD, "test")
    reviewer = accounts.sign_in(engine, "fgw-zhao", PASSWORD, "test")
    accepted = reports.file_report(engine, reporter, PLAN, ACCEPTED, client="test")
    reports.accept_report(engine, reviewer, PLAN, accepted, 1, COMMENT, client="test")
    reports.file_report(engine, reporter, PLAN, PENDING, client="test")
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch, server_started_with(None), apptest_runs_app_py():
        patch.setenv(DATABASE_URL_ENV, url)
        yield {"reviewer": reviewer, "reporter": reporter}
    accounts.HASHER = hasher
    accounts._dummy_hash.cache_clear()


def visit(page: str, params: dict | None = None, token: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if token:
        at.session_state[TOKEN_KEY] = token
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def markdown_bodies(at) -> list[str]:
    """Everything the page hands to Streamlit's Markdown renderer."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "subheader", "title", "header")
    return [element.value for kind in kinds for element in at.get(kind)] + [e.label for e in at.get("expander")]


def assert_inert(bodies: list[str]) -> None:
    for body in bodies:
        body = ANGLE_TARGETS.sub(lambda found: f"]({found['target']})", body)
        assert not UNESCAPED_HTML.search(body), body[:300]
        assert not UNESCAPED_IMAGE.search(body), body[:300]
        for found in LINK_TARGETS.finditer(body):
            assert found["target"].startswith(("https://", "http://")), body[:300]


@pytest.mark.parametrize(
    ("page", "params", "who"),
    [
        ("pages/report.py", {}, None),
        ("pages/report.py", {}, "reporter"),
        ("pages/review.py", {}, "reviewer"),
        ("pages/tasks.py", {"task": "3"}, None),
        ("pages/progress.py", {"view": "timeline", "task": "3"}, None),
        ("pages/progress.py", {"view": "entries"}, None),
    ],
)
def test_hostile_report_text_reaches_markdown_escaped(database, page, params, who):
    at = visit(page, params, database[who] if who else None)
    bodies = markdown_bodies(at)
    assert_inert(bodies)
    shown = "\n".join(bodies)
    if page in ("pages/report.py", "pages/tasks.py", "pages/progress.py") and params.get("view") != "entries":
        assert paragraphs(DONE) in shown  # the text itself, every line, escaped
        assert f"({link_target(LINK)})" in shown  # the one link: the evidence address, brackets encoded
    if page == "pages/review.py":
        assert paragraphs(PENDING.done) in shown


def test_tables_of_reports_are_defused_and_chart_hover_is_escaped(database):
    entries = visit("pages/progress.py", {"view": "entries"})
    table = entries.dataframe[-1].value
    column = next(c for c in table.columns if (table[c] == "'" + NEXT_STEPS).any())
    assert column  # what the toolbar's CSV would carry starts with an apostrophe
    timeline = visit("pages/progress.py", {"view": "timeline", "task": "3"})
    spec = json.dumps(json.loads(timeline.get("plotly_chart")[0].proto.spec)["data"], ensure_ascii=False)
    assert "<script" not in spec and "<img" not in spec
    assert "&lt;script&gt;window.__xss = 1" in spec and "&amp;lt;" not in spec  # escaped once: shown as the text it is
    review = visit("pages/review.py", token=database["reviewer"])
    versions = review.dataframe[-1].value
    assert any(str(v).startswith("'-<script>") for v in versions.to_numpy().ravel())


def test_the_evidence_document_and_comment_are_text(database):
    at = visit("pages/report.py")
    shown = "\n".join(markdown_bodies(at))
    assert "\\<b\\>川科〔2026〕3号\\</b\\>" in shown and "javascript" in shown  # there, as words
    assert DOCUMENT not in shown and COMMENT not in shown
