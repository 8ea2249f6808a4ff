"""The home page shows the plan's real counts, in Chinese by default and in English on request."""

from streamlit.testing.v1 import AppTest

from components import paths

APP = str(paths.ROOT / "app.py")


def run_app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_home_shows_counts_from_the_plan(plan):
    at = run_app()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "量化目标": str(len(plan.targets)),
        "任务板块": "8",
        "重点任务": "27",
        "责任单位": "34",
        "布局载体": str(len(plan.sites)),
        "公开进展条目": "72",
        "有公开证据的任务": "27 / 27",
    }
    assert at.title[0].value == "增强协同创新发展能力行动方案"


def test_home_targets_table_has_the_six_targets():
    at = run_app()
    table = at.dataframe[0].value
    assert list(table["目标值"]) == ["2.5", "63", "5.67", "38", "16,000", "6,000"]
    assert list(table["表述"]) == ["左右", "达到", "达", "超过", "超过", "累计超过"]


def test_home_in_english():
    at = run_app("en")
    assert at.title[0].value == "Action Plan for Enhancing Collaborative Innovation Capacity"
    assert {m.label for m in at.metric} >= {"Tasks", "Agencies"}


def test_home_links_to_every_other_page_with_what_it_is_for():
    from components.i18n import t
    from components.ui.navigation import PAGES

    for lang in ("zh", "en"):
        at = run_app(lang)
        links = [(e.proto.page, e.proto.label) for e in at.get("page_link")]
        assert links == [(spec.url_path, t(f"nav.{spec.key}", lang)) for spec in PAGES[1:]]
        captions = [c.value for c in at.caption]
        assert t("home.link.agencies", lang) in captions
    assert links[3] == ("agencies", "Agencies")


def test_an_unknown_language_in_a_link_is_noted_in_the_language_used():
    """`?lang=xx` (or a huge value, or a repeated key) fell back to Chinese with no word."""
    for value in ("xx", "e" * 100_000, ["en", "xx"]):
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params["lang"] = value
        at.run()
        assert not at.exception
        assert at.session_state["lang"] == "zh" and at.query_params["lang"] == "zh"
        assert "链接中的以下参数无效,已忽略:lang" in [i.value for i in at.info]
        at.run()  # said once: the link is corrected
        assert not any("lang" in i.value for i in at.info)
    assert not run_app("en").info
