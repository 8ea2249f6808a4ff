"""Loading another plan: a bad --plan or upload is reported with lines and paths, a good upload is this session's only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import paths
from components.plan.importer import Refusal
from components.plan.loader import MAX_BYTES, load_plan_text
from components.ui.plan_upload import (
    REFUSED_KEY,
    UPLOAD_OPEN_KEY,
    apply_upload,
    check_upload,
    display_name,
    return_to_bundled,
    uploader_css,
)
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan
from components.ui.widgets import md_escape
from scripts.app_pages import apptest_runs_app_py, registered_pages, server_started_with
from scripts.synthetic_plan import HOSTILE, HOSTILE_PARTS, dump, hostile_plan

ROOT = paths.ROOT
APP = str(ROOT / "app.py")
BROKEN = paths.ROOT / "tests" / "plan" / "broken"


@pytest.fixture(scope="module")
def pages():
    return registered_pages()


@pytest.fixture(scope="module")
def hostile_bytes() -> bytes:
    return dump(hostile_plan())


@pytest.fixture(scope="module")
def hostile(hostile_bytes):
    result = load_plan_text(hostile_bytes, "hostile.yaml")
    assert result.ok, result.problems
    return result.value


@pytest.fixture(autouse=True)
def bundled_server():
    """AppTest runs app.py in this process: run it as a server started on the bundled plan."""
    with server_started_with(None):
        yield


@pytest.fixture(autouse=True)
def app_py_on_every_run():
    """Without this, AppTest reruns a page script alone (see scripts/app_pages.py) and the sidebar is never drawn."""
    with apptest_runs_app_py():
        yield


def app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.session_state[UPLOAD_OPEN_KEY] = True  # what opening the "try another plan" expander sets
    return at


def test_the_uploader_is_drawn_only_when_its_expander_is_open():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [e.label for e in at.sidebar.expander][0] == "试用另一份方案(上传 YAML 或方案原文)"
    assert not at.sidebar.file_uploader, "closed, it is not redrawn on every run of every page"
    at.session_state[UPLOAD_OPEN_KEY] = True
    at.run()
    assert len(at.sidebar.file_uploader) == 1
    assert "YAML 文件先经校验;方案原文先导入为草稿,核对后再使用。只在本次会话中使用,不会保存到服务器。" in [
        c.value for c in at.sidebar.caption
    ]


def sidebar_text(at: AppTest) -> str:
    parts = [e.value for e in at.sidebar.get("alert")] if hasattr(at.sidebar, "get") else []
    parts += [e.value for e in at.sidebar.info] + [e.value for e in at.sidebar.error] + [e.value for e in at.sidebar.code]
    return "\n".join(str(p) for p in parts)


# --- pure parts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plan.yaml", "plan.yaml"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\方案.yaml", "方案.yaml"),
        ("evil\u202egnp.yaml", "evilgnp.yaml"),  # right-to-left override would disguise the name
        ("a\nb\x00c.yaml", "abc.yaml"),
        ("", "upload.yaml"),
        (None, "upload.yaml"),
        ("/", "upload.yaml"),
        ("x" * 300 + ".yaml", "x" * 79 + "…"),
    ],
)
def test_display_name_has_no_path_or_control_characters(raw, shown):
    assert display_name(raw) == shown


def test_oversized_upload_refused_before_reading():
    def read():
        raise AssertionError("an oversized upload must not be read")

    result = check_upload(MAX_BYTES + 1, read, "big.yaml")
    assert result.value is None
    assert "limit" in result.problems[0].message


def test_good_upload_becomes_the_session_plan_and_bad_one_keeps_it(hostile_bytes):
    state: dict = {}
    good = apply_upload(state, len(hostile_bytes), lambda: hostile_bytes, "/tmp/x/hostile.yaml")
    assert good.ok
    assert state[UPLOADED_PLAN_KEY].name == "hostile.yaml"
    in_use = state[UPLOADED_PLAN_KEY]

    bad = (BROKEN / "duplicate_keys.yaml").read_bytes()
    refused = apply_upload(state, len(bad), lambda: bad, "dup.yaml")
    assert refused.value is None
    assert state[UPLOADED_PLAN_KEY] is in_use, "a refused upload must leave the plan in use alone"
    name, problems = state[REFUSED_KEY]
    assert name == "dup.yaml" and problems == refused.problems

    return_to_bundled(state)
    assert UPLOADED_PLAN_KEY not in state and REFUSED_KEY not in state


def test_nothing_is_written_to_disk(tmp_path, monkeypatch, hostile_bytes):
    monkeypatch.chdir(tmp_path)
    at = app()
    at.run()
    at.sidebar.file_uploader[0].set_value(("hostile.yaml", hostile_bytes, "application/x-yaml")).run()
    assert not at.exception
    assert list(tmp_path.iterdir()) == []
    assert not (ROOT / "data" / "hostile.yaml").exists()


# --- in the app --------------------------------------------------------------------------------


def test_bad_plan_argument_shows_the_problem_list():
    with server_started_with(BROKEN / "duplicate_keys.yaml"):
        at = app().run()
    assert not at.exception
    assert "duplicate_keys.yaml" in at.error[0].value and "could not be loaded" in at.error[0].value
    lines = at.code[0].value.splitlines()
    assert lines[0] == "duplicate_keys.yaml:4  meta.doc_number  duplicate key 'doc_number'"
    assert all(re.match(r"duplicate_keys\.yaml:\d+  \S+  ", line) for line in lines), "every problem has its line and path"
    assert not at.metric, "no page may run without a valid plan"


def test_missing_plan_argument_is_reported():
    with server_started_with(Path("/no/such/plan.yaml")):
        at = app().run()
    assert not at.exception
    assert "cannot read file" in at.code[0].value


def test_upload_in_the_app_then_a_bad_one_then_back(hostile_bytes, plan):
    at = app().run()
    bundled_title = at.title[0].value
    assert bundled_title == plan.meta.title.en

    at.sidebar.file_uploader[0].set_value(("C:\\fakepath\\my plan.yaml", hostile_bytes, "application/x-yaml")).run()
    assert not at.exception
    assert any("Using uploaded plan my plan" in info.value for info in at.sidebar.info)
    assert md_escape(HOSTILE_PARTS[0]) in at.title[0].value  # the uploaded plan, escaped
    assert at.sidebar.file_uploader[0].value is None, "the uploader is emptied for the next file"

    bad = (BROKEN / "duplicate_keys.yaml").read_bytes()
    at.sidebar.file_uploader[0].set_value(("dup.yaml", bad, "application/x-yaml")).run()
    assert not at.exception
    [error] = at.sidebar.error
    assert "dup\\.yaml" in error.value and "problem" in error.value and "my plan" in error.value
    assert at.sidebar.code[0].value.splitlines()[0] == "dup.yaml:4  meta.doc_number  duplicate key 'doc_number'"
    assert "X1" in at.title[0].value, "the uploaded plan stays in use"

    at.sidebar.button(key="plan_upload_back").click().run()
    assert not at.exception
    assert at.title[0].value == bundled_title
    assert not at.sidebar.info and not at.sidebar.error


def test_upload_is_private_to_its_session(hostile_bytes, plan):
    first, second = app().run(), app().run()
    first.sidebar.file_uploader[0].set_value(("mine.yaml", hostile_bytes, "application/x-yaml")).run()
    assert "X1" in first.title[0].value
    assert second.run().title[0].value == plan.meta.title.en


# --- plan text is text on every page -------------------------------------------------------------

MARKDOWN_ELEMENTS = ("markdown", "title", "header", "subheader", "caption", "error", "warning", "info", "success")
UNESCAPED = re.compile(r"(?<!\\)<(script|img)\b|(?<!\\)\[link(?<!\\)\]\(javascript")


def unescaped_markup(at: AppTest) -> list[str]:
    """Markdown-rendered elements that carry the hostile text without escaping it."""
    found = []
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            value = str(getattr(element, "value", "") or getattr(element, "body", ""))
            if UNESCAPED.search(value):
                found.append(f"st.{kind}: {value[:120]!r}")
    for expander in at.get("expandable"):
        label = getattr(expander, "label", "") or ""
        if UNESCAPED.search(label):
            found.append(f"st.expander label: {label[:120]!r}")
    return found


def failures_on_every_page(pages, plan, lang: str, more=lambda at: []) -> list[str]:
    """Every page with `plan` uploaded: its exception, or the plan markup it rendered (and what `more` finds)."""
    at = app(lang)
    at.session_state[UPLOADED_PLAN_KEY] = UploadedPlan(name="hostile.yaml", plan=plan)
    at.run()
    failures = []
    for page in pages:
        at.switch_page(page.script).run()
        if at.exception:
            failures.append(f"{page.script}: {at.exception[0].message}")
            continue
        failures += [f"{page.script}: {item}" for item in [*unescaped_markup(at), *more(at)]]
    return failures


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_plan_text_on_every_page(pages, hostile, lang):
    failures = failures_on_every_page(pages, hostile, lang)
    assert not failures, "\n".join(failures)


def test_uploader_words_are_css_strings_that_cannot_break_out():
    css = uploader_css('选择"文件"', "a </style><script>x</script>\nb")
    assert 'content: "选择\\"文件\\""' in css
    assert "</style>" not in css and "<script" not in css and "\n b" not in css
    assert css.count("{") == css.count("}") == 4


def test_an_oversized_yaml_is_refused_with_the_words_of_the_page():
    """A YAML plan over the limit was refused with the loader's English problem; now it is the importer's translated refusal."""

    def read():
        raise AssertionError("an oversized upload must not be read")

    state: dict = {}
    result = apply_upload(state, MAX_BYTES + 1, read, "big.yaml")
    assert result == Refusal("too_large", {"size": MAX_BYTES + 1, "limit": MAX_BYTES})
    assert state[REFUSED_KEY] == ("big.yaml", result)
    assert UPLOADED_PLAN_KEY not in state


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_document_number_note_and_group_names_stay_text_on_every_page(pages, lang):
    """The document number (three pages), the English translation note and the agencies page's checkbox label were
    rendered as Markdown: a Markdown image in a plan made the browser fetch an outside address."""
    data = hostile_plan()
    data["meta"]["doc_number"] = f"{HOSTILE} ![x](http://outside.example/p.png) 川办发〔2022〕13号"
    data["meta"]["translation_note"] = {lang: f"{HOSTILE} {value}" for lang, value in data["meta"]["translation_note"].items()}
    for agency in data["agencies"]:
        agency["name"] = {lang: f"{HOSTILE} {value}" for lang, value in agency["name"].items()}
    plan = load_plan_text(dump(data), "hostile.yaml").value

    def labels_and_images(at) -> list[str]:
        found = [f"checkbox {box.label[:80]!r}" for box in at.checkbox if UNESCAPED.search(box.label)]
        return found + [
            f"image {element.value[:80]!r}"
            for kind in MARKDOWN_ELEMENTS
            for element in at.get(kind)
            if re.search(r"(?<!\\)!(?<!\\)\[x(?<!\\)\]\(", str(getattr(element, "value", "")))
        ]

    failures = failures_on_every_page(pages, plan, lang, labels_and_images)
    assert not failures, "\n".join(failures)
