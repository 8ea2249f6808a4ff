"""What a person sees in Chromium: every page draws, the language switch, filters, what-if edits, another plan."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from components import paths
from components.i18n import t
from components.plan.loader import load_plan_file
from scripts.app_pages import registered_pages
from scripts.browser import (
    CHART,
    EXCEPTION,
    chart_signatures,
    go_to,
    guard_offline,
    open_app,
    open_plan_uploader,
    set_text_input,
    visible_text,
    wait_chart_change,
    wait_for_charts,
    wait_settled,
)
from scripts.synthetic_plan import HOSTILE_PARTS, dump, hostile_plan

ROOT = paths.ROOT
BROKEN = ROOT / "tests" / "plan" / "broken"
TASKS_PAGE = "pages/tasks.py"
WHATIF_PAGE = "pages/indicators.py"  # the what-if editor sits beside the indicator charts
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


def page_named(pages, script):
    found = [p for p in pages if p.script == script]
    assert found, f"app.py does not register {script}"
    return found[0]


def exception_text(page) -> str:
    boxes = page.locator(EXCEPTION)
    return "\n".join(boxes.nth(i).inner_text()[:500] for i in range(boxes.count()))


def nav_labels(page) -> list[str]:
    """The links' labels (a link's text is its Material icon's name, then its label)."""
    return [text.strip().splitlines()[-1].strip() for text in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_draws_without_errors(page, app_url, app_page, chart_counts, lang, screenshots):
    open_app(page, app_url, lang=lang)
    expected = chart_counts[app_page.script]
    go_to(page, app_page.url_path, charts=expected)
    assert page.locator(EXCEPTION).count() == 0, exception_text(page)
    assert page.locator(CHART).count() == expected
    drawn = page.locator(f"{CHART} .js-plotly-plot .main-svg").count()
    assert drawn >= expected, f"{expected} charts expected, {drawn} SVG layers drawn"
    page.screenshot(path=str(screenshots / f"{lang}-{app_page.name}.png"), full_page=True)


def test_language_switch_changes_the_labels(page, app_url, pages):
    english = {p.url_path: p.title for p in registered_pages(lang="en")}
    navigation = len(pages) > 1  # Streamlit shows no navigation for a single page
    switch_label = page.locator(".st-key-lang [data-testid=stWidgetLabel]")
    open_app(page, app_url)
    if navigation:
        assert nav_labels(page) == [p.title for p in pages]
    assert switch_label.inner_text().startswith("语言")
    chinese_heading = page.locator("h1").first.inner_text()

    page.locator(".st-key-lang button", has_text="English").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'en'")
    wait_settled(page)
    if navigation:
        assert nav_labels(page) == [english[p.url_path] for p in pages]
    assert switch_label.inner_text().startswith("Language")
    assert page.locator("h1").first.inner_text() != chinese_heading
    assert re.search(r"[A-Za-z]{4}", page.locator("h1").first.inner_text())

    page.locator(".st-key-lang button", has_text="中文").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'zh'")
    wait_settled(page)
    if navigation:
        assert nav_labels(page) == [p.title for p in pages]
    assert page.locator("h1").first.inner_text() == chinese_heading


def test_first_session_after_start_keeps_the_first_language_click(page, server_factory):
    """The server's first script run goes through Streamlit's legacy pages/ router; app.py reruns out of it."""
    url = server_factory()
    open_app(page, url)
    page.locator(".st-key-lang button", has_text="English").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'en'", timeout=10_000)
    wait_settled(page)
    assert "lang=en" in page.url
    assert nav_labels(page) == [p.title for p in registered_pages(lang="en")]
    assert page.locator("h1").first.inner_text() == load_plan_file(paths.BUNDLED_PLAN).value.meta.title.en


def test_a_page_url_opened_first_on_a_fresh_server_gets_the_whole_app(page, server_factory):
    """Before the fix, the legacy router ran pages/tasks.py alone: file names as navigation, no language switch."""
    english = [p.title for p in registered_pages(lang="en")]
    url = server_factory()
    page.goto(url + "/tasks?lang=en", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=60_000)
    wait_settled(page)
    assert nav_labels(page) == english
    assert page.locator("h1").first.inner_text() == t("tasks.heading", "en")

    page.locator(".st-key-lang button", has_text="English").click()  # the chosen language: a click keeps it
    wait_settled(page)
    assert "lang=en" in page.url
    assert nav_labels(page) == english


def test_two_first_visitors_on_a_fresh_server_both_get_the_whole_app(browser, server_factory):
    """Two sessions arriving together after a start: before the fix, the one whose first run the legacy router had
    already taken got its page alone (file names as navigation), because the other had turned the router's flag off."""
    english = [p.title for p in registered_pages(lang="en")]
    url = server_factory()
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}) for _ in range(2)]
    outside: list[str] = []
    for context in contexts:
        guard_offline(context, outside)
    tabs = [context.new_page() for context in contexts]
    try:
        tabs[0].goto(url + "/?lang=en", wait_until="commit", timeout=60_000)  # no wait: both first runs overlap
        tabs[1].goto(url + "/tasks?lang=en", wait_until="domcontentloaded", timeout=60_000)
        for tab in tabs:
            tab.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=60_000)
            wait_settled(tab)
            assert nav_labels(tab) == english
        assert tabs[1].locator("h1").first.inner_text() == t("tasks.heading", "en")
        assert not outside
    finally:
        for context in contexts:
            context.close()


def test_filter_narrows_the_task_list(page, app_url, pages, chart_counts, plan):
    tasks_page = page_named(pages, TASKS_PAGE)
    open_app(page, app_url)
    go_to(page, tasks_page.url_path, charts=chart_counts[TASKS_PAGE])
    main = page.locator('[data-testid="stMain"]')
    before = main.locator('[data-testid="stExpander"]').count()
    assert before == len(plan.tasks)

    set_text_input(page, "tasks_keyword", plan.tasks[0].title.zh)
    page.wait_for_function('(n) => document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stExpander"]\').length < n', arg=before)
    wait_settled(page)
    after = main.locator('[data-testid="stExpander"]').count()
    assert 1 <= after < before
    assert plan.tasks[0].title.zh in main.inner_text()
    assert page.locator(EXCEPTION).count() == 0, exception_text(page)


def test_download_is_made_on_click_and_holds_the_filtered_tasks(page, app_url, pages, chart_counts, plan):
    """The page hands Streamlit a function that writes the file; only a real server runs it, on the click."""
    tasks_page = page_named(pages, TASKS_PAGE)
    open_app(page, app_url)
    go_to(page, tasks_page.url_path, charts=chart_counts[TASKS_PAGE])
    set_text_input(page, "tasks_keyword", "天府")
    page.wait_for_function('() => document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stExpander"]\').length === 6')
    wait_settled(page)
    with page.expect_download(timeout=20_000) as info:
        page.get_by_role("button", name="下载筛选结果(Excel)").click()
    download = info.value
    assert download.suggested_filename == "tasks.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "板块", "任务")
    assert [r[0] for r in rows[1:]] == [1, 5, 19, 20, 23, 24]
    assert page.locator(EXCEPTION).count() == 0, exception_text(page)


UPLOADER_WORDS_JS = """() => {
    const zone = document.querySelector('section[data-testid="stSidebar"] [data-testid="stFileUploaderDropzone"]');
    const words = (el) => getComputedStyle(el, '::after').content.replace(/^"|"$/g, '');
    const button = zone.querySelector('button p'), note = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
    return [words(button), getComputedStyle(button).fontSize, words(note), getComputedStyle(note).fontSize];
}"""


def test_uploader_button_speaks_the_interface_language(page, app_url):
    """Streamlit's own uploader words are English only; the app's CSS shows ours and hides theirs."""
    for lang in ("zh", "en"):
        open_app(page, app_url, lang=lang)
        open_plan_uploader(page)
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"]')
        button, button_size, note, note_size = page.evaluate(UPLOADER_WORDS_JS)
        assert button == t("upload.button", lang) and button_size == "0px"
        assert note == t("upload.limits", lang, mb=5) and note_size == "0px"


def open_whatif_page(page, app_url, pages, chart_counts) -> None:
    whatif_page = page_named(pages, WHATIF_PAGE)
    open_app(page, app_url)
    go_to(page, whatif_page.url_path, charts=chart_counts[WHATIF_PAGE])


def test_whatif_edit_updates_a_chart(page, app_url, pages, chart_counts, plan):
    open_whatif_page(page, app_url, pages, chart_counts)
    target = plan.targets[0]
    before = chart_signatures(page)
    set_text_input(page, f"whatif_value_{target.id}", f"{target.value * 1.4:g}")
    wait_chart_change(page, before)
    assert page.locator(EXCEPTION).count() == 0, exception_text(page)
    assert page.locator(f".st-key-whatif_value_{target.id} input").input_value() == f"{target.value * 1.4:g}"


MARGINS_GROWN_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    ['l', 'r', 't', 'b'].filter(k => gd._fullLayout._size[k] !== gd.layout.margin[k]).map(k => `${k}: ${gd.layout.margin[k]} -> ${gd._fullLayout._size[k]}`).join(', '))"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_value_charts_fit_their_margins_so_plotly_draws_them_once(page, app_url, plan, lang):
    """Streamlit's chart theme turns on automargin: a label wider than the margin makes Plotly draw the chart twice."""
    contract = next(target for target in plan.targets if target.window is not None)
    page.goto(f"{app_url}/indicators?lang={lang}&indicator={contract.indicator}", wait_until="domcontentloaded")
    wait_for_charts(page, 2)
    assert page.evaluate(MARGINS_GROWN_JS) == ["", ""]
    before = chart_signatures(page)
    set_text_input(page, f"whatif_value_{contract.id}", f"{contract.value * 3:g}")  # a higher axis, wider labels
    wait_chart_change(page, before)
    assert page.evaluate(MARGINS_GROWN_JS) == ["", ""]


def test_bad_plan_argument_shows_problems_in_the_browser(page, server_factory):
    url = server_factory(BROKEN / "duplicate_keys.yaml")
    open_app(page, url)
    main = page.locator('[data-testid="stMain"]')
    assert "duplicate_keys.yaml" in main.locator('[data-testid="stAlert"]').inner_text()
    assert "duplicate_keys.yaml:4  meta.doc_number  duplicate key 'doc_number'" in main.locator('[data-testid="stCode"]').inner_text()
    assert page.locator(EXCEPTION).count() == 0


def upload(page, path: Path) -> None:
    open_plan_uploader(page)
    page.locator(UPLOAD_INPUT).set_input_files(str(path))
    wait_settled(page)


def test_uploaded_hostile_plan_stays_text_on_every_page(page, app_url, pages, chart_counts, tmp_path, screenshots):
    """Markup in task titles, agency and site names (and more) is shown as the literal characters, never run or linked."""
    plan_file = tmp_path / "hostile.yaml"
    plan_file.write_bytes(dump(hostile_plan()))
    open_app(page, app_url, lang="en")
    upload(page, plan_file)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Using uploaded plan hostile.yaml").wait_for()

    shown_anywhere = False
    for info in pages:
        go_to(page, info.url_path, charts=chart_counts[info.script])
        assert page.locator(EXCEPTION).count() == 0, f"{info.script}: {exception_text(page)}"
        injected = page.evaluate(
            """() => ({
                scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert(1)')).length,
                images: document.querySelectorAll('img[src="x"], img[onerror]').length,
                links: document.querySelectorAll('a[href^="javascript:" i]').length,
            })"""
        )
        assert injected == {"scripts": 0, "images": 0, "links": 0}, f"{info.script}: {injected}"
        text = visible_text(page)
        for part in HOSTILE_PARTS:
            marker = part[:2]
            if marker in text:
                shown_anywhere = True
                assert part in text, f"{info.script}: {marker} is shown but not as the literal {part!r}"
        page.screenshot(path=str(screenshots / f"hostile-{info.name}.png"), full_page=True)
    assert shown_anywhere, "no page showed the hostile names at all"

    go_to(page, "", charts=chart_counts[pages[0].script] if pages[0].url_path == "" else 0)
    assert HOSTILE_PARTS[0] in page.locator("h1").first.inner_text()
    sidebar.get_by_role("button", name="Return to the bundled plan").click()
    page.wait_for_function("() => !document.querySelector('h1').innerText.includes('X1')", timeout=15_000)
    wait_settled(page)
    assert sidebar.get_by_text("Using uploaded plan").count() == 0


def test_bad_upload_lists_problems_and_keeps_the_plan(page, app_url):
    open_app(page, app_url, lang="en")
    heading = page.locator("h1").first.inner_text()
    upload(page, BROKEN / "duplicate_keys.yaml")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "was not loaded; still using the bundled plan" in sidebar.locator('[data-testid="stAlert"]').inner_text()
    assert "duplicate_keys.yaml:4  meta.doc_number  duplicate key 'doc_number'" in sidebar.locator('[data-testid="stCode"]').inner_text()
    assert page.locator("h1").first.inner_text() == heading


def test_progress_timeline_links_each_entry_to_its_source(page, app_url, progress_log, screenshots):
    """An official opens a task's timeline from a link: the chart draws offline and each entry's source is one click away."""
    open_app(page, app_url, lang="en")
    page.goto(app_url + "/progress?lang=en&view=timeline&task=7", wait_until="domcontentloaded")
    wait_for_charts(page, 1)
    wait_settled(page)
    assert page.locator(EXCEPTION).count() == 0, exception_text(page)
    expected = {entry.source.url for entry in progress_log.entries if 7 in entry.tasks}
    links = page.locator('[data-testid="stMain"] a', has_text="open source")
    assert {links.nth(i).get_attribute("href") for i in range(links.count())} == expected
    assert "LHAASO" in visible_text(page)
    page.screenshot(path=str(screenshots / "en-progress-timeline.png"), full_page=True)
