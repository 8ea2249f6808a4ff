"""Small Streamlit helpers shared by pages: how a chart, a problem list and plan text are shown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.analysis.responsibility import TASKS_PER_PAGE, page_ranges
from components.analysis.target_cards import TargetCard
from components.analysis.targets import Status
from components.exports.tables import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from components.figures.style import is_self_styled, plotly_config
from components.i18n import t
from components.plan.loader import Problem

# How a status looks on a card: a Material icon and a badge colour (the word itself comes from the i18n table).
STATUS_ICONS = {
    Status.achieved_early: ":material/check_circle:",
    Status.achieved: ":material/check_circle:",
    Status.ahead: ":material/keyboard_double_arrow_up:",
    Status.on_track: ":material/arrow_forward:",
    Status.behind: ":material/warning:",
    Status.no_data: ":material/help:",
}
STATUS_COLOURS = {
    Status.achieved_early: "green",
    Status.achieved: "green",
    Status.ahead: "blue",
    Status.on_track: "gray",
    Status.behind: "orange",
    Status.no_data: "gray",
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


_AUTOLINK = re.compile(r"(https?(?=://)|www(?=\.)|@(?=[-\w]))", re.IGNORECASE)
WORD_JOINER = "\u2060"  # invisible, zero width, not a word character: the address is no longer one to the link finder


def md_escape(text: str, *, keep_links: bool = False) -> str:
    """Plan text is data: escape it before any element that renders Markdown, so `<script>` or `[x](javascript:…)` stays text.

    Bare addresses stay text too: Streamlit's Markdown (remark-gfm) finds `http://…`, `www.…` and `a@b.cn` in the
    text after escapes are read, so a word joiner goes after `http(s)`, `www` and `@`. `keep_links` is for what
    agencies write, whose bare addresses stay links showing their own address.
    """
    if not keep_links:
        text = _AUTOLINK.sub(r"\1" + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def list_page(
    count: int,
    lang: str,
    *,
    key: str,
    index: int = 0,
    size: int = TASKS_PER_PAGE,
    words: tuple[str, str] = ("tasks.page", "tasks.page.range"),
) -> range:
    """The positions of a long list to draw now, with a page picker (`words`: its label and an item's text) when there is more than one page."""
    ranges = page_ranges(count, size)
    part = 0
    if len(ranges) > 1:
        part = st.selectbox(
            t(words[0], lang),
            range(len(ranges)),
            index=0 if key in st.session_state else index,  # a kept page wins; Streamlit warns when both are given
            key=key,
            format_func=lambda i: t(words[1], lang, first=ranges[i].start + 1, last=ranges[i].stop, total=count),
        )
    return ranges[min(part, len(ranges) - 1)]  # a page picked before the list shrank


def open_expander(label: str, key: str, **options) -> DeltaGenerator | None:
    """An expander whose content is drawn only while it is open (its state under `key`), else None.
    A closed expander's content is still sent and redrawn by the browser on every run: hidden parts cost as much as shown ones."""
    panel = st.expander(label, key=key, on_change="rerun", **options)
    return panel if panel.open else None


def keep_list_page(key: str) -> None:
    """A run that does not draw `list_page`'s picker (its tab is closed) keeps the page picked: Streamlit
    forgets the state of a widget a run did not draw, and the list would open on its first page again."""
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def shown_text(text: str, limit: int) -> str:
    """Text someone else chose (a file or scenario name) made safe to show: no control, direction-changing
    or other invisible characters (U+202E would show `evil\u202egnp.exe` as `evilexe.png`), bounded length."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ").strip()
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def note_ignored_params(names: Sequence[str], lang: str) -> None:
    """A link's parameters that named nothing usable: said in a short note, never a crash or silence."""
    if names:
        st.info(t("indicators.ignored_params", lang, names=", ".join(names)), icon=":material/link_off:")


def show_figure(fig: go.Figure, *, key: str, filename: str, **options) -> None:
    """Every chart gets a PNG download in its toolbar (rendered in the browser, no network)."""
    theme = None if is_self_styled(fig) else "streamlit"
    st.plotly_chart(fig, key=key, width="stretch", config=plotly_config(filename), theme=theme, **options)


MAX_PROBLEMS_SHOWN = 50


def problem_lines(problems: Sequence[Problem], lang: str) -> str:
    """The first problems as `file:line  path  message`, as the validator prints them, and how many more there are."""
    lines = [str(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(t("problems.more", lang, count=len(problems) - MAX_PROBLEMS_SHOWN))
    return "\n".join(lines)


def show_problems(message: str, problems: Sequence[Problem], lang: str, *, kind: str = "error") -> None:
    """A refusal in words (Markdown, values already escaped), then the problem list as plain text."""
    {"error": st.error, "warning": st.warning}[kind](message)
    st.code(problem_lines(problems, lang), language=None, wrap_lines=True)


def table_downloads(
    table: pd.DataFrame, *, stem: str, sheet: str, labels: tuple[str, str], key: str, lang: str, disabled: bool = False
) -> None:
    """A table as CSV and Excel, side by side.

    The files are made on click (`partial`): an Excel file of thousands of rows takes a second to write.
    `on_click="ignore"`: the click does not rerun the page, so the file it asks for is never dropped
    by a rerun that registers a new one (the cause of a flaky download test).
    """
    csv_label, xlsx_label = labels
    left, right = st.columns(2)
    left.download_button(
        t(csv_label, lang),
        partial(csv_bytes, table),
        file_name=f"{stem}.csv",
        mime=CSV_MIME,
        key=f"{key}_csv",
        disabled=disabled,
        on_click="ignore",
    )
    right.download_button(
        t(xlsx_label, lang),
        partial(xlsx_bytes, table, sheet_name=sheet),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        disabled=disabled,
        on_click="ignore",
    )


def target_card_markdown(card: TargetCard) -> str:
    """A target card's words as one Markdown element: title, status badge, the numbers one line each and their caveats
    in small grey. Separate elements made the five cards 50 of the targets page's 85 messages."""
    small = [f":material/info: {md_escape(caveat)}" for caveat in card.caveats] + [md_escape(n) for n in (card.freshness, card.newer) if n]
    numbers = [md_escape(card.target), md_escape(card.latest), *(f":small[:gray[{line}]]" for line in small)]
    if card.baseline:
        numbers.append(md_escape(card.baseline))
    if card.latest_source:
        numbers.append(md_escape(f"{card.progress} · {card.required}"))
    badge = f":{STATUS_COLOURS[card.status]}-badge[{STATUS_ICONS[card.status]} {md_escape(card.status_label)}]"
    return "\n\n".join([f"#### {md_escape(card.title)}", badge, "  \n".join(numbers)])
