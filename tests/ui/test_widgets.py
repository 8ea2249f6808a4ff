"""Plan text shown through Markdown stays text: escaped markup, and bare addresses that Streamlit's Markdown does not link."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from components import paths
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan
from components.ui.widgets import WORD_JOINER, md_escape

# The two patterns remark-gfm (mdast-util-gfm-autolink-literal) runs over the text of Streamlit's parsed Markdown,
# as in Streamlit's bundled StreamlitMarkdown script: they see the text after backslash escapes are read.
GFM_ADDRESS = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
GFM_EMAIL = re.compile(r"(?<![^\s\W])([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
TEXT = "详见 https://example.org/x、WWW.example.org 或 HTTP://a.cn,联系 kjt@sc.gov.cn"


def as_parsed(markdown: str) -> str:
    """What a text node holds once Markdown has read the backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_escaped_plan_text_holds_no_address_the_link_finder_takes():
    """md_escape stopped markup but `http://…` and `www.…` still became links: the finder runs after escapes."""
    assert GFM_ADDRESS.findall(as_parsed(TEXT)) and GFM_EMAIL.findall(as_parsed(TEXT))  # the patterns do find them raw
    shown = as_parsed(md_escape(TEXT))
    assert not GFM_ADDRESS.search(shown) and not GFM_EMAIL.search(shown)
    assert shown.replace(WORD_JOINER, "") == TEXT  # reads as typed


@pytest.mark.parametrize("text", ["https://example.org", "a www.b.cn c"])
def test_what_agencies_write_keeps_its_links(text):
    assert as_parsed(md_escape(text, keep_links=True)) == text


def test_a_bare_address_in_a_plan_note_is_not_a_link_on_the_page(plan):
    meta = plan.meta
    note = meta.translation_note.model_copy(update={"en": f"Translation note {TEXT}"})
    hostile = plan.model_copy(update={"meta": meta.model_copy(update={"translation_note": note})})
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=30)
    at.session_state[UPLOADED_PLAN_KEY] = UploadedPlan("note.yaml", hostile)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    shown = [as_parsed(c.value) for c in at.caption if "Translation note" in c.value]
    assert len(shown) == 1 and not GFM_ADDRESS.search(shown[0]) and shown[0].replace(WORD_JOINER, "").endswith(TEXT)
