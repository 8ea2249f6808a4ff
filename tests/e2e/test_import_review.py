"""What a person sees after dropping a plan's text on the uploader: the review page, then the draft in use."""

from __future__ import annotations

import pytest

from components import paths
from components.i18n import t
from scripts.browser import EXCEPTION, open_app, open_plan_uploader, visible_text, wait_settled

FIXTURE = paths.ROOT / "tests" / "plan" / "importer" / "shanghai-parks-2026.txt"
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_text_dropped_on_the_uploader_opens_its_review(page, app_url, tmp_path, screenshots, lang):
    text = FIXTURE.read_text(encoding="utf-8").split("\n", 3)[3]  # the plan starts on line 4
    plan_file = tmp_path / "上海市公园提质增效实施方案.txt"
    plan_file.write_text(text, encoding="gb18030")  # as many sites still serve it
    open_app(page, app_url, lang=lang)
    open_plan_uploader(page)
    page.locator(UPLOAD_INPUT).set_input_files(str(plan_file))
    page.get_by_text(t("import_review.heading", lang)).first.wait_for()
    wait_settled(page)
    assert page.locator(EXCEPTION).count() == 0
    assert f"/import?lang={lang}" in page.url or page.url.endswith("/import")

    shown = visible_text(page)
    assert t("import.rule.none", lang) in shown
    assert t("import.issue.no_rule", lang) in shown
    assert "（一）启动新一轮公园建设" in shown
    assert "（责任单位：市绿化市容局、市发展改革委" in shown, "the source line is beside the task"
    assert page.locator('[data-testid="stMetricValue"]').all_inner_texts() == ["5", "16", "26", "6", "4"]
    page.screenshot(path=str(screenshots / f"{lang}-import-review.png"), full_page=True)
    page.get_by_text(t("import_review.tasks_note", lang)).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"{lang}-import-review-tasks.png"))

    page.get_by_role("button", name=t("import_review.use", lang)).click()
    page.get_by_text(t("import_review.in_use", lang)).wait_for()
    page.locator('[data-testid="stMain"]').get_by_role("link", name=t("nav.tasks", lang)).click()
    intro = t("tasks.intro.draft", lang, doc="(文中未见文号)", count=16, sections=5, rule=t("import.rule.none", lang))
    page.get_by_text(intro).wait_for()
    wait_settled(page)
    assert page.locator(EXCEPTION).count() == 0
    page.screenshot(path=str(screenshots / f"{lang}-import-draft-tasks.png"), full_page=True)
