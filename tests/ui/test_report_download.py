"""The Word report's button on the briefing page (AppTest): built on click for the plan in use, in the interface language."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from components.i18n import t
from components.paths import ROOT
from components.ui import session
from components.ui.report_download import REPORT_KEY
from scripts.app_pages import apptest_runs_app_py
from tests.helpers import need_chromium
from tests.ui.apptest import open_page

FIXTURE = ROOT / "tests" / "exports" / "progress_fixture.yaml"


@pytest.fixture()
def briefing_page():
    need_chromium()
    with apptest_runs_app_py():
        yield open_page("pages/briefing.py", timeout=180)


def built(at) -> Document:
    _, file_name, data = at.session_state[REPORT_KEY]
    assert file_name == f"assessment-report-{at.session_state['lang']}-{dt.date.today().isoformat()}.docx"
    return Document(io.BytesIO(data))


def test_the_button_builds_the_report_of_the_plan_in_use(briefing_page, monkeypatch):
    monkeypatch.setattr(session, "server_progress_path", lambda: FIXTURE)
    at = briefing_page
    at.run()
    assert not at.get("download_button") or all(b.proto.label != t("docx.ui.download", "zh") for b in at.get("download_button"))
    at.button(key="report_build").click().run()
    assert not at.exception, at.exception
    assert not at.main.error and not at.main.warning
    assert [b.proto.label for b in at.get("download_button")] == [t("docx.ui.download", "zh")]
    doc = built(at)
    paragraphs = [p for p in doc.paragraphs if p.style.name == "Task Paragraph"]
    assert len(paragraphs) == 27 and "测试:科学中心方案获批" in paragraphs[0].text
    at.session_state["lang"] = "en"
    at.run()
    assert not at.get("download_button"), "a report built in Chinese is not offered once the page is in English"
    at.button(key="report_build").click().run()
    assert built(at).paragraphs[1].text == t("docx.subtitle", "en")


def test_a_broken_progress_log_is_shown_and_the_report_still_builds(briefing_page, monkeypatch, tmp_path):
    broken = tmp_path / "progress.yaml"
    broken.write_text(FIXTURE.read_text(encoding="utf-8").replace("tasks: [1]", "tasks: [99]", 1), encoding="utf-8")
    monkeypatch.setattr(session, "server_progress_path", lambda: broken)
    at = briefing_page
    at.run()
    assert [w.value for w in at.main.warning] == [t("docx.ui.no_log", "zh", file="progress\\.yaml", count=1)]
    at.button(key="report_build").click().run()
    doc = built(at)
    paragraphs = [p for p in doc.paragraphs if p.style.name == "Task Paragraph"]
    assert all(t("docx.no_evidence", "zh") in p.text for p in paragraphs)
    assert any(p.text == t("docx.summary.no_log", "zh") for p in doc.paragraphs)


def test_a_build_error_quoting_plan_text_shows_it_as_text(briefing_page, monkeypatch):
    from components.ui import report_download

    def broken(*args, **kwargs):
        raise ValueError("got: ![x](http://outside.example/p.png) <b>标题</b>")

    monkeypatch.setattr(report_download, "build_report", broken)
    report_download._report_bytes.clear()
    at = briefing_page
    at.button(key="report_build").click().run()
    assert not at.exception, at.exception
    [error] = at.main.error
    assert "\\!\\[x\\]\\(http" in error.value and "\\<b\\>" in error.value
    report_download._report_bytes.clear()
