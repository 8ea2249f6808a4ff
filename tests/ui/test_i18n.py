"""Chinese and English everywhere: one translation table, every key used exists, no stray UI text.

The scans read the source with `ast`, so they see every call whatever page or
branch it sits in. The AppTest checks run each page app.py registers in both
languages, switching in one session as a user does.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import paths
from components.i18n import LANGUAGES, TEXT, t
from scripts.app_pages import apptest_runs_app_py, registered_pages

ROOT = paths.ROOT

APP = str(ROOT / "app.py")
SOURCE_FILES = sorted([ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("components/**/*.py")])
PAGE_FILES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("components/ui/*.py")])  # where Streamlit draws text
FIGURE_FILES = sorted(ROOT.glob("components/figures/*.py"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


# --------------------------------------------------------------------------- the table


def test_every_key_has_both_languages():
    missing = [
        f"{key}: {lang}"
        for key, texts in TEXT.items()
        for lang in LANGUAGES
        if not isinstance(texts.get(lang), str) or not texts[lang].strip()
    ]
    assert not missing, "keys without text:\n" + "\n".join(missing)
    extra = [f"{key}: {sorted(set(texts) - set(LANGUAGES))}" for key, texts in TEXT.items() if set(texts) - set(LANGUAGES)]
    assert not extra, "unknown languages:\n" + "\n".join(extra)


def test_no_key_is_defined_twice():
    """A dict literal keeps the last of two equal keys silently: one translation would vanish."""
    source = (ROOT / "components" / "i18n.py").read_text(encoding="utf-8")
    table = next(
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "TEXT"
    )
    seen: dict[str, int] = {}
    twice = []
    for key in table.keys:
        if isinstance(key, ast.Constant):
            if key.value in seen:
                twice.append(f"{key.value!r}: lines {seen[key.value]} and {key.lineno}")
            seen[key.value] = key.lineno
    assert not twice, "keys defined twice in TEXT:\n" + "\n".join(twice)


def test_placeholders_match_between_languages():
    fields = re.compile(r"\{(\w+)")
    differ = [
        f"{key}: zh {sorted(set(fields.findall(v['zh'])))} en {sorted(set(fields.findall(v['en'])))}"
        for key, v in TEXT.items()
        if set(fields.findall(v["zh"])) != set(fields.findall(v["en"]))
    ]
    assert not differ, "placeholders differ between zh and en:\n" + "\n".join(differ)


def test_lookup_falls_back_visibly():
    assert t("nav.home", "en") == "Plan overview"
    assert t("nav.home", "zh") == "方案概览"


# --------------------------------------------------------------------------- keys used in the code


@dataclass(frozen=True)
class KeyUse:
    where: str
    key: str
    prefix: bool  # an f-string key: only its literal start is known


def _key_uses(path: Path) -> list[KeyUse]:
    uses = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args):
            continue
        first = node.args[0]
        where = f"{rel(path)}:{node.lineno}"
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            uses.append(KeyUse(where, first.value, False))
        elif isinstance(first, ast.JoinedStr):
            head = first.values[0] if first.values else None
            text = head.value if isinstance(head, ast.Constant) else ""
            uses.append(KeyUse(where, text, True))
    return uses


KEY_USES = [use for path in SOURCE_FILES for use in _key_uses(path)]


def test_the_scan_finds_key_uses():
    assert len(KEY_USES) > 100
    assert any(use.prefix and use.key == "status." for use in KEY_USES)


def test_every_literal_key_exists():
    unknown = [f"{use.where}  {use.key!r}" for use in KEY_USES if not use.prefix and use.key not in TEXT]
    assert not unknown, "t() keys missing from components/i18n.py TEXT:\n" + "\n".join(unknown)


def _strings(path: Path) -> tuple[set[str], set[str]]:
    """Every string literal in a file, and the literal heads of its f-strings: keys are also passed around as values."""
    literals: set[str] = set()
    heads: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literals.add(node.value)
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            heads.add(node.values[0].value)
    return literals, heads


def test_every_key_is_used():
    """A key no code names is dead text that translators would keep up to date for nothing."""
    literals: set[str] = set()
    heads: set[str] = set()
    for path in SOURCE_FILES:
        if path.name == "i18n.py":
            continue  # the table itself names every key
        found, starts = _strings(path)
        literals |= found
        heads |= {head for head in starts if "." in head}
    unused = sorted(key for key in TEXT if key not in literals and not key.startswith(tuple(heads)))
    assert not unused, "keys in components/i18n.py TEXT that no code uses:\n" + "\n".join(unused)


def test_every_fstring_key_prefix_exists():
    unknown = [
        f"{use.where}  f{use.key!r}…"
        for use in KEY_USES
        if use.prefix and (not use.key or not any(key.startswith(use.key) for key in TEXT))
    ]
    assert not unknown, "f-string keys whose prefix matches no key (or that start with a variable):\n" + "\n".join(unknown)


# --------------------------------------------------------------------------- user-facing literals

# Streamlit calls whose text a user reads, on `st`, `st.sidebar` or a container (`column.metric(...)`).
TEXT_CALLS = {
    "title",
    "header",
    "subheader",
    "caption",
    "markdown",
    "write",
    "text",
    "code",
    "latex",
    "badge",
    "info",
    "warning",
    "error",
    "success",
    "exception",
    "toast",
    "status",
    "spinner",
    "progress",
    "expander",
    "tabs",
    "popover",
    "metric",
    "page_link",
    "link_button",
    "button",
    "download_button",
    "form_submit_button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "select_slider",
    "slider",
    "number_input",
    "text_input",
    "text_area",
    "date_input",
    "time_input",
    "file_uploader",
    "color_picker",
    "segmented_control",
    "pills",
    "feedback",
    "chat_input",
    "set_page_config",
    "Page",
}
OPTION_WIDGETS = {"radio", "selectbox", "multiselect", "select_slider", "segmented_control", "pills"}  # 2nd arg: option ids
TEXT_KEYWORDS = {"label", "title", "help", "placeholder", "body", "text", "page_title", "caption", "value"}
TITLE_KEYWORDS = {"title", "title_text", "text"}
FILE_NAME = re.compile(r"^[\w./\-]+\.(csv|xlsx|html|pptx|png|svg|pdf|yaml|yml|json|txt|py)$")
ICON = re.compile(r"^:material/[a-z0-9_]+:$")
WRAPPERS = {"md_escape", "str", "plain_text", "plot_text"}  # pass their first argument through to the screen


def allowed(text: str) -> bool:
    """Empty, keys, icons, file names and text without letters or CJK (numbers, punctuation, format strings)."""
    stripped = text.strip()
    if not stripped or stripped in TEXT or ICON.match(stripped) or FILE_NAME.match(stripped):
        return True
    visible = re.sub(r"\{[^{}]*\}", "", stripped)  # format fields are filled from elsewhere
    visible = re.sub(r"%\{[^{}]*\}|<[^<>]+>", "", visible)  # Plotly template fields and markup
    return not any(ch.isalpha() for ch in visible)


def _literals(node: ast.AST):
    """String constants that would reach the screen from this expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant):
                yield part, part.value
            elif isinstance(part, ast.FormattedValue):
                yield from _literals(part.value)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for item in node.elts:
            yield from _literals(item)
    elif isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in WRAPPERS and node.args:
            yield from _literals(node.args[0])
        elif isinstance(func, ast.Attribute) and func.attr == "join":
            yield from _literals(func.value)


def _title_literals(node: ast.AST):
    """Literals under title-like keys of a dict argument (`title={"text": ...}`, `colorbar={"title": ...}`)."""
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value in TITLE_KEYWORDS:
                yield from _literals(value)
                yield from _title_literals(value)
            else:
                yield from _title_literals(value)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for keyword in node.keywords:
            if keyword.arg in TITLE_KEYWORDS:
                yield from _literals(keyword.value)
            yield from _title_literals(keyword.value)


def _is_streamlit_call(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in TEXT_CALLS:
        return func.attr
    return None


def page_violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = _is_streamlit_call(node)
        if name is None:
            continue
        args = node.args[:1] if name in OPTION_WIDGETS else node.args
        expressions = list(args) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for expression in expressions:
            for literal, text in _literals(expression):
                if not allowed(text):
                    found.append(f"{rel(path)}:{literal.lineno}  {name}(): {text!r}")
    return found


def _is_figure_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id == "go":
            return True
        return func.attr in {"update_layout", "update_xaxes", "update_yaxes", "add_annotation", "update_traces"}
    return False


def figure_violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not (isinstance(node, ast.Call) and _is_figure_call(node)):
            continue
        for keyword in node.keywords:
            literals = list(_title_literals(keyword.value))
            if keyword.arg in {"title", "title_text"}:
                literals += list(_literals(keyword.value))
            for literal, text in literals:
                if not allowed(text):
                    found.append(f"{rel(path)}:{literal.lineno}  {keyword.arg}=: {text!r}")
    return found


def test_the_literal_scan_catches_stray_text(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "st.title('Hello')\n"
        "col.button(f'Next {n}', key='next_button')\n"
        "st.caption(md_escape('说明'))\n"
        "st.markdown(f'#### {x}')\n"
        "st.download_button(t('k', lang), data, file_name='out.csv')\n"
        "st.info(msg, icon=':material/science:')\n"
        "st.selectbox(t('k', lang), ['all', 'lead'], format_func=str)\n",
        encoding="utf-8",
    )
    assert [v.split("  ", 1)[1] for v in page_violations(page)] == ["title(): 'Hello'", "button(): 'Next '", "caption(): '说明'"]
    figure = tmp_path / "figures.py"
    figure.write_text(
        "fig.update_layout(title={'text': 'Tasks'})\n"
        "go.Heatmap(colorbar={'title': {'text': t('k', lang)}})\n"
        "fig.update_xaxes(title_text='年份')\n",
        encoding="utf-8",
    )
    assert len(figure_violations(figure)) == 2


def test_pages_use_only_translated_text():
    found = [v for path in PAGE_FILES for v in page_violations(path)]
    assert not found, "user-facing literals in pages (put them in components/i18n.py TEXT):\n" + "\n".join(found)


def test_figure_builders_use_only_translated_titles():
    found = [v for path in FIGURE_FILES for v in figure_violations(path)]
    assert not found, "titles in figure builders not from the translation table:\n" + "\n".join(found)


# --------------------------------------------------------------------------- both languages on every page

PAGES = registered_pages()


def _shown(at: AppTest) -> dict[str, list[str]]:
    """Headings and labels of the main area, by kind (the sidebar holds the language switch itself)."""
    main = at.main
    labels = []
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "radio",
        "selectbox",
        "multiselect",
        "select_slider",
        "slider",
        "text_input",
        "text_area",
        "number_input",
    ):
        labels += [element.label for element in main.get(kind)]
    labels += [element.label for element in main.get("expandable")]
    labels += [element.label for element in main.get("tab")]
    labels += [element.label for element in main.get("metric")]
    return {
        "titles": [element.value for element in main.title],
        "headings": [element.value for element in (*main.header, *main.subheader)],
        "labels": [label for label in labels if label],
    }


@pytest.fixture(scope="module")
def app_run():
    with apptest_runs_app_py():
        yield


def test_app_registers_every_page():
    scripts = [page.script for page in PAGES]
    assert "pages/briefing.py" in scripts
    assert all((ROOT / script).exists() for script in scripts)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_switching_language_changes_the_page(page, app_run):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page.script).run()
    assert not at.exception, at.exception
    zh = _shown(at)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    en = _shown(at)
    assert at.query_params["lang"] == "en", "the language must be in the page URL"

    assert zh["titles"] and en["titles"], f"{page.script} shows no title"
    assert zh["titles"][0] != en["titles"][0]
    assert CJK.search(zh["titles"][0]), f"{page.script}: Chinese title {zh['titles'][0]!r}"
    for kind in ("titles", "headings", "labels"):
        assert len(zh[kind]) == len(en[kind]), f"{page.script}: {kind} differ in number: {zh[kind]} / {en[kind]}"
        same = [a for a, b in zip(zh[kind], en[kind]) if a == b and CJK.search(a)]
        assert not same, f"{page.script}: {kind} unchanged after switching to English: {same}"
        chinese_left = [text for text in en[kind] if CJK.search(text)]
        assert not chinese_left, f"{page.script}: {kind} still in Chinese after switching to English: {chinese_left}"


def test_language_survives_page_switches_and_is_in_the_url(app_run):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    for page in PAGES:
        at.switch_page(page.script).run()
        assert not at.exception, at.exception
        assert at.session_state["lang"] == "en", page.script
        assert at.query_params["lang"] == "en", page.script
        assert not CJK.search(at.main.title[0].value), f"{page.script}: {at.main.title[0].value!r}"


def test_navigation_titles_follow_the_language():
    zh_titles = [page.title for page in PAGES]
    assert all(CJK.search(title) for title in zh_titles), zh_titles
    keys = {page.url_path: f"nav.{page.url_path}" for page in PAGES}
    assert {page.url_path: t(keys[page.url_path], "zh") for page in PAGES if keys[page.url_path] in TEXT} == {
        page.url_path: page.title for page in PAGES if keys[page.url_path] in TEXT
    }
    assert all(t(key, "en") != t(key, "zh") for key in keys.values() if key in TEXT)
