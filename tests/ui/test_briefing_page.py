"""The briefing page in AppTest: previous/next walk the slides, one big chart each, notices for an overlay or an upload, the HTML pack."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from components.figures.registry import CHARTS
from components.figures.slides import MIN_LABEL_PX
from components.i18n import t
from components.paths import DEFAULT_BRIEFING
from components.plan.briefing_file import Briefing, load_briefing_file
from components.plan.model import TargetEdit
from components.ui.briefing import EXPORTS_KEY
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan
from scripts.app_pages import apptest_runs_app_py
from tests.ui.apptest import figure, open_page


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    result = load_briefing_file(CHARTS, DEFAULT_BRIEFING)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


@pytest.fixture()
def briefing_page():
    with apptest_runs_app_py():
        yield open_page("pages/briefing.py")


def counter_text(at: AppTest) -> str:
    return next(m.value for m in at.main.markdown if " / " in m.value)


def test_next_and_previous_walk_the_sequence(briefing_page, briefing):
    at = briefing_page
    total = len(briefing.slides)
    assert counter_text(at) == f"1 / {total}"
    assert at.button(key="briefing_previous").disabled
    title = at.main.title[0].value
    at.button(key="briefing_next").click().run()
    assert counter_text(at) == f"2 / {total}"
    assert at.main.title[0].value != title
    assert len(at.get("plotly_chart")) == 1
    at.button(key="briefing_previous").click().run()
    assert counter_text(at) == f"1 / {total}"
    assert at.main.title[0].value == title
    for _ in range(total - 1):
        at.button(key="briefing_next").click().run()
    assert counter_text(at) == f"{total} / {total}"
    assert at.button(key="briefing_next").disabled


def test_page_shows_title_takeaway_and_one_big_chart(briefing_page, briefing):
    at = briefing_page
    first = briefing.slides[0]
    assert at.main.title[0].value.replace("\\", "") == first.title.zh
    assert at.main.subheader[0].value.replace("\\", "") == first.takeaway.zh
    assert len(at.get("plotly_chart")) == 1
    assert figure(at)["layout"]["font"]["size"] >= MIN_LABEL_PX
    assert not at.main.info  # no scenario, no notice


def test_page_reflects_the_scenario(briefing_page):
    at = briefing_page
    at.session_state["whatif_edits"] = {"rd_intensity": TargetEdit(value=2.8, target_year=2027)}
    at.run()
    notes = [i.value for i in at.main.info]
    assert any("情景推演" in n and "1 项目标" in n for n in notes)
    assert any(tr.get("name") == "情景目标" for tr in figure(at)["data"])


def test_page_warns_that_takeaways_describe_the_bundled_plan(briefing_page, plan):
    at = briefing_page
    at.session_state[UPLOADED_PLAN_KEY] = UploadedPlan("mine.yaml", plan)
    at.run()
    assert t("briefing.other_plan", "zh") in [i.value for i in at.main.info]


def test_page_builds_the_html_pack(briefing_page, briefing):
    at = briefing_page
    at.button(key="briefing_build_html").click().run()
    assert not at.exception, at.exception
    assert not at.main.error
    downloads = at.get("download_button")
    assert len(downloads) == 1
    _, file_name, data = at.session_state[EXPORTS_KEY]["html"]  # what the download button hands over
    assert file_name == f"briefing-zh-{dt.date.today().isoformat()}.html"
    document = data.decode("utf-8")
    assert f"<h1>{briefing.title.zh}</h1>" in document
    assert document.count('<div class="chart" ') == len(briefing.slides)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.get("download_button"), "a pack built in Chinese is not offered once the page is in English"


def test_language_switch_keeps_the_slide(briefing_page, briefing):
    at = briefing_page
    at.button(key="briefing_next").click().run()
    at.session_state["lang"] = "en"
    at.run()
    assert counter_text(at) == f"2 / {len(briefing.slides)}"
    assert at.main.title[0].value.replace("\\", "") == briefing.slides[1].title.en


def test_an_export_error_quoting_plan_text_shows_it_as_text(briefing_page, monkeypatch):
    """The export error message was Markdown: an error quoting a plan's Markdown image made the browser fetch it."""
    import components.exports.briefing as exports

    def broken(deck, progress=None):
        raise ValueError("exceeded 255 char limit, got: ![x](http://outside.example/p.png) <b>标题</b>")

    monkeypatch.setattr(exports, "build_html", broken)
    at = briefing_page
    at.button(key="briefing_build_html").click().run()
    assert not at.exception, at.exception
    [error] = at.main.error
    assert "\\!\\[x\\]\\(http" in error.value and "\\<b\\>" in error.value
