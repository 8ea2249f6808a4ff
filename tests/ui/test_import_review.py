"""A plan's text uploaded in the sidebar: the review page, using the draft, downloading it, and every page on the draft."""

from __future__ import annotations

import io
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from components import paths
from components.i18n import t
from components.plan.loader import MAX_BYTES, load_plan_text
from components.ui.import_review import IMPORT_KEY, REVIEW_PAGE, draft_file_name
from components.ui.plan_upload import REFUSED_KEY, UPLOAD_OPEN_KEY, apply_upload
from components.ui.session import UPLOADED_PLAN_KEY
from scripts.app_pages import apptest_runs_app_py, registered_pages, server_started_with
from tests.ui.apptest import record_downloads
from tests.ui.test_plan_upload import unescaped_markup

APP = str(paths.ROOT / "app.py")
FIXTURES = paths.ROOT / "tests" / "plan" / "importer"
SHANGHAI = b"".join((FIXTURES / "shanghai-parks-2026.txt").read_bytes().splitlines(keepends=True)[3:])


@pytest.fixture(autouse=True)
def bundled_server():
    with server_started_with(None), apptest_runs_app_py():
        yield


@pytest.fixture(scope="module")
def pages():
    return registered_pages()


def app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.session_state[UPLOAD_OPEN_KEY] = True  # what opening the "try another plan" expander sets
    return at.run()


def uploaded(name: str = "上海公园方案.txt", raw: bytes = SHANGHAI, lang: str = "en") -> AppTest:
    at = app(lang)
    at.sidebar.file_uploader[0].set_value((name, raw, "text/plain")).run()
    assert not at.exception, at.exception
    return at


def test_the_review_page_without_an_import_says_how_to_start():
    at = app("zh")
    at.switch_page(REVIEW_PAGE).run()
    assert not at.exception
    assert at.title[0].value == t("import_review.heading", "zh")
    assert at.info[0].value == t("import_review.empty", "zh")


def test_a_plan_text_opens_its_review():
    at = uploaded()
    assert at.title[0].value == t("import_review.heading", "en")
    assert [(m.label, m.value) for m in at.metric] == [
        ("Sections", "5"),
        ("Tasks", "16"),
        ("Agencies", "26"),
        ("Targets", "6"),
        ("To check", "4"),
    ]
    assert "**Lead rule: none stated; every listed unit is responsible, none is marked lead**" in [m.value for m in at.markdown]
    issues = at.dataframe[0].value
    assert "the text states no lead rule: every listed unit is responsible and none is marked lead" in list(issues["To check"])
    headings = at.dataframe[1].value
    assert list(headings["Number"]) == ["一", "二", "三", "四", "五", "六"]
    # the first section's three tasks, each beside its source line
    sources = [c.value for c in at.code]
    assert len(sources) == 3
    assert sources[0].startswith("21  （一）启动新一轮公园建设。") and "（责任单位：市绿化市容局、市发展改革委" in sources[0]
    cards = [m.value for m in at.markdown if m.value.startswith("Responsible")]
    assert (
        cards[0]
        == "Responsible (the text names no lead): 市绿化市容局、市发展改革委、市财政局、市规划资源局、市住房城乡建设管理委、市生态环境局、各区政府"
    )
    assert UPLOADED_PLAN_KEY not in at.session_state, "a draft is used only when asked to"


def test_tasks_to_check_are_highlighted_beside_their_lines():
    text = "关于印发《甲方案》的通知\n到2025年，甲达到5%以上。\n一、任务\n1.甲。做甲。（市财政局负责）\n2.乙。做乙。\n"
    at = uploaded("甲.txt", text.encode("gbk"))
    warnings = [w.value for w in at.warning]
    assert t("import.issue.no_responsibility", "en") in warnings
    at.toggle(key="import_review_only_issues").set_value(True).run()
    assert [c.value for c in at.code] == ["5  2.乙。做乙。"]


def test_use_the_draft_then_browse_its_tasks_and_agencies():
    at = uploaded()
    at.button(key="import_review_use").click().run()
    assert not at.exception
    assert at.session_state[UPLOADED_PLAN_KEY].plan.meta.title.zh == "上海市公园提质增效实施方案"
    assert at.success[0].value == t("import_review.in_use", "en")
    at.switch_page("pages/tasks.py").run()
    assert at.caption[0].value.startswith("The 16 tasks listed in")
    assert at.caption[0].value.endswith(t("import.rule.none", "en"))
    at.switch_page("pages/agencies.py").run()
    assert t("agencies.no_lead_note", "en") in [c.value for c in at.caption]


def test_download_the_draft_plan_yaml(monkeypatch):
    downloads = record_downloads(monkeypatch)
    uploaded()
    name, data = downloads[t("import_review.download", "en")]
    assert name == "上海公园方案.draft.yaml" == draft_file_name("上海公园方案.txt")
    loaded = load_plan_text(data, name)
    assert loaded.ok, loaded.problems
    assert len(loaded.value.tasks) == 16


def test_every_page_opens_on_a_draft_and_says_what_it_lacks(pages):
    at = uploaded(lang="zh")
    at.button(key="import_review_use").click().run()
    plain = {
        "pages/targets.py": "card.fresh_none",
        "pages/indicators.py": "indicators.no_series",
        "pages/layout.py": "layout.no_sites",
    }
    for page in pages:
        at.switch_page(page.script).run()
        assert not at.exception, f"{page.script}: {at.exception}"
        shown = "\n".join(e.value for e in (*at.info, *at.caption, *at.markdown))  # a target card's words are Markdown
        if page.script in plain:
            assert t(plain[page.script], "zh") in shown, page.script
            assert not at.get("plotly_chart"), f"{page.script} draws an empty chart"
    at.switch_page("pages/targets.py").run()
    fresh_none = f":small[:gray[{t('card.fresh_none', 'zh')}]]"
    assert sum(m.value.count(fresh_none) for m in at.markdown) == 6, "each of the six cards says it has no value"


def test_a_draft_with_no_targets_says_so_on_home_and_targets():
    zones = b"".join((FIXTURES / "gov-bonded-zones-2019.txt").read_bytes().splitlines(keepends=True)[3:])
    at = uploaded("zones.txt", zones)
    at.button(key="import_review_use").click().run()
    at.switch_page("pages/home.py").run()
    assert t("home.no_targets", "en") in [i.value for i in at.info]
    at.switch_page("pages/targets.py").run()
    assert t("targets.none", "en") in [i.value for i in at.info]
    at.switch_page("pages/indicators.py").run()
    assert t("indicators.none", "en") in [i.value for i in at.info]


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (65 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "raw", "code"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 50, "binary"),
        ("memo.html", b"<p>An English memo</p>", "no_chinese"),
        ("scan.docx", b"%PDF-1.5", "pdf"),
        ("bomb.docx", bomb(), "docx_bomb"),
        ("prose.txt", "一段没有编号的话。".encode(), "no_items"),
    ],
)
def test_a_bad_text_upload_is_refused_in_words_and_the_plan_stays(plan, name, raw, code):
    at = uploaded(name, raw)
    assert at.title[0].value == plan.meta.title.en, "the plan in use stays"
    [error] = at.sidebar.error
    assert name.replace(".", "\\.") in error.value
    assert t(f"import.refused.{code}", "en").split(" (")[0].replace(".", "\\.")[:30] in error.value
    assert IMPORT_KEY not in at.session_state


def test_an_oversized_upload_is_refused_before_it_is_read():
    def read():
        raise AssertionError("an oversized upload must not be read")

    state: dict = {}
    result = apply_upload(state, MAX_BYTES + 1, read, "big.txt")
    assert result.code == "too_large"
    assert state[REFUSED_KEY][1] is result


def test_plan_text_with_markup_is_escaped_on_the_review_page():
    text = (
        "关于印发《<script>alert(1)</script>方案》的通知\n到2025年，甲达到5%以上。\n一、任务\n"
        "1.X1<script>alert(1)</script>。做事。（责任单位：[link](javascript:alert(1))局、<img src=x onerror=alert(1)>委）\n"
    )
    at = uploaded("x.txt", text.encode())
    assert unescaped_markup(at) == []
    assert any("javascript" in m.value for m in at.markdown), "the name is shown, as text"


@pytest.mark.parametrize("suffix", ["docx", "html"])
def test_word_and_html_uploads(suffix):
    import docx

    lines = SHANGHAI.decode("utf-8").splitlines()
    if suffix == "docx":
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        out = io.BytesIO()
        document.save(out)
        raw = out.getvalue()
    else:
        raw = ("<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>").encode()
    at = uploaded(f"plan.{suffix}", raw)
    assert [m.value for m in at.metric][:3] == ["5", "16", "26"]
    assert at.caption[0].value.startswith("From plan\\.")
    assert any(c.value.startswith("Source paragraph") for c in at.caption)
