"""Trying another plan without touching the server: upload a plan.yaml or a plan's text, use it in this session only.

A YAML upload is validated with the same loader as the bundled plan. A valid
plan is kept in `st.session_state` (private to the browser session, gone when
it ends) and `state.current_plan()` returns it; an invalid one is reported
with every problem's line and path while the plan in use stays as it was.
A plan's text (.txt, .docx, .html) goes through the importer and opens the
review page, where its draft can be checked, used or downloaded.
Nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.i18n import t
from components.plan.importer import ImportResult, Refusal, import_plan
from components.plan.loader import MAX_BYTES, Problem, Validated, load_plan_text
from components.plan.model import Plan
from components.ui.import_review import REVIEW_PAGE, keep_import
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan, uploaded_plan
from components.ui.widgets import md_escape, open_expander, show_problems, shown_text

NONCE_KEY = "plan_upload_nonce"  # part of the uploader's key: bumping it empties the widget
REFUSED_KEY = "plan_upload_refused"  # (display name, problems or the importer's refusal) of the last refused upload
UPLOAD_OPEN_KEY = "plan_upload_open"  # whether the sidebar's "try another plan" expander is open
REVIEW_PENDING_KEY = "plan_upload_review_pending"  # a plan text was just imported: open the review page once the pages exist
MAX_NAME = 80
YAML_TYPES = ("yaml", "yml")
TEXT_TYPES = ("txt", "docx", "html", "htm")


def display_name(name: str | None) -> str:
    """A file name safe to show: no folders, no control or direction-changing characters, bounded length."""
    return shown_text(re.split(r"[\\/]", name or "")[-1], MAX_NAME) or "upload.yaml"


def check_upload(size: int, read: Callable[[], bytes], name: str) -> Validated[Plan]:
    """Validate an upload; a file over the loader's limit is refused before it is read or parsed."""
    if size > MAX_BYTES:
        return Validated(None, (Problem(name, None, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}"),))
    return load_plan_text(read(), name)


def is_yaml(name: str) -> bool:
    return name.lower().rsplit(".", 1)[-1] in YAML_TYPES


def import_upload(state: MutableMapping, size: int, read: Callable[[], bytes], name: str) -> ImportResult | Refusal:
    """A plan's text → its draft, kept for the review page; a text that is not a plan is refused with the reason."""
    result = Refusal("too_large", {"size": size, "limit": MAX_BYTES}) if size > MAX_BYTES else import_plan(read(), name)
    if isinstance(result, Refusal):
        state[REFUSED_KEY] = (name, result)
    else:
        keep_import(state, name, result)
        state.pop(REFUSED_KEY, None)
    return result


def apply_upload(
    state: MutableMapping, size: int, read: Callable[[], bytes], raw_name: str | None
) -> Validated[Plan] | ImportResult | Refusal:
    """Make a valid plan.yaml this session's plan, or import a plan's text; remember a refusal and keep the plan in use."""
    name = display_name(raw_name)
    if not is_yaml(name) or size > MAX_BYTES:  # a refusal for size is the importer's, in the page's words, for any file
        return import_upload(state, size, read, name)
    result = check_upload(size, read, name)
    if result.ok:
        state[UPLOADED_PLAN_KEY] = UploadedPlan(name=name, plan=result.value)
        state.pop(REFUSED_KEY, None)
    else:
        state[REFUSED_KEY] = (name, result.problems)
    return result


def return_to_bundled(state: MutableMapping) -> None:
    state.pop(UPLOADED_PLAN_KEY, None)
    state.pop(REFUSED_KEY, None)


SIDEBAR_ZONE = 'section[data-testid="stSidebar"]'


def uploader_css(button: str, limits: str, within: str = SIDEBAR_ZONE) -> str:
    """Streamlit draws its uploader's button and size note in English only; this swaps in our words, as CSS text (never HTML),
    for the uploaders inside the element `within` (a CSS selector of ours: the sidebar, or a keyed container)."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ") + '"'

    # private-api: Streamlit's internal data-testid names of the uploader (1.67); tests/ui/test_plan_upload.py checks the CSS text
    zone = f'{within} [data-testid="stFileUploaderDropzone"]'
    return (
        f'{zone} button [data-testid="stMarkdownContainer"] p {{font-size: 0}}\n'
        f'{zone} button [data-testid="stMarkdownContainer"] p::after {{content: {quoted(button)}; font-size: 0.875rem}}\n'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0}}\n'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{content: {quoted(limits)}; font-size: 0.75rem}}'
    )


def _uploaded_file(panel: DeltaGenerator, lang: str) -> UploadedFile | None:
    nonce = st.session_state.get(NONCE_KEY, 0)
    limit_mb = min(int(st.get_option("server.maxUploadSize")), MAX_BYTES // 2**20)
    panel.html(f"<style>{uploader_css(t('upload.button', lang), t('upload.limits', lang, mb=limit_mb))}</style>")
    panel.caption(t("upload.help", lang))
    return panel.file_uploader(
        t("upload.label", lang),
        type=[*YAML_TYPES, *TEXT_TYPES],
        key=f"plan_upload_{nonce}",
        label_visibility="collapsed",
    )


def _clear_widget() -> None:
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1


def upload_sidebar(lang: str) -> None:
    """The uploader in an expander drawn only while open, the note saying which plan is in use, and the list of problems
    of a refused file. Closed: the browser redrew the uploader, hidden or not, on every run of every page, a sixth of a
    what-if edit's time (about 35 ms of 230)."""
    panel = open_expander(t("upload.label", lang), UPLOAD_OPEN_KEY, icon=":material/upload_file:")
    file = _uploaded_file(panel, lang) if panel is not None else None
    if file is not None:
        result = apply_upload(st.session_state, file.size, file.getvalue, file.name)
        _clear_widget()  # the plan (or the refusal) is kept; the widget is emptied for the next file
        if isinstance(result, ImportResult):
            st.session_state[REVIEW_PENDING_KEY] = True
        st.rerun()

    current = uploaded_plan()
    if current is not None:
        st.info(t("upload.using", lang, name=md_escape(current.name)), icon=":material/description:")
        if st.button(t("upload.back", lang), key="plan_upload_back"):
            return_to_bundled(st.session_state)
            st.rerun()

    refused = st.session_state.get(REFUSED_KEY)
    if refused:
        name, problems = refused
        in_use = t("upload.in_use.uploaded", lang, name=md_escape(current.name)) if current else t("upload.in_use.bundled", lang)
        if isinstance(problems, Refusal):
            reason = t(f"import.refused.{problems.code}", lang, **problems.values)
            st.error(t("upload.import_refused", lang, name=md_escape(name), reason=md_escape(reason), in_use=in_use))
        else:
            show_problems(t("upload.refused", lang, name=md_escape(name), count=len(problems), in_use=in_use), problems, lang)
        if st.button(t("upload.dismiss", lang), key="plan_upload_dismiss"):
            st.session_state.pop(REFUSED_KEY, None)
            st.rerun()


def open_review_if_pending(lang: str) -> None:
    """After `st.navigation` has registered the pages (a switch before it fails): show a just-imported draft's review.

    The switch drops the widgets' state, the language switch's too: the language goes along in the URL.
    """
    if st.session_state.pop(REVIEW_PENDING_KEY, False):
        st.switch_page(REVIEW_PAGE, query_params={"lang": lang})
