"""Briefing mode's Streamlit side: the briefing file read once per content, the slide position, and the export panel."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import streamlit as st

from components.exports.briefing import FORMATS, ExportFormat
from components.figures.registry import CHARTS, ChartInputs
from components.figures.slides import Deck, SlideContent, deck_for, slide_content
from components.i18n import t
from components.paths import DEFAULT_BRIEFING
from components.plan.briefing_file import Briefing, Slide, load_briefing_text
from components.plan.loader import Problem, Validated, read_file
from components.plan.model import Plan
from components.plan.progress import ProgressLog
from components.ui.cache import cached_value, shared
from components.ui.widgets import md_escape

SLIDE_KEY = "briefing_slide"  # plain session state: the slide survives page switches
EXPORTS_KEY = "briefing_exports"  # kind → (signature, file name, bytes) of the last file built in this session
ICONS = {"html": ":material/html:", "pptx": ":material/slideshow:"}


@st.cache_data(show_spinner=False, max_entries=4)
def _parse(raw: bytes, name: str) -> Validated[Briefing]:
    return load_briefing_text(raw, name, CHARTS)


def load_briefing() -> Validated[Briefing]:
    """The bundled briefing, parsed once per file content."""
    raw = read_file(DEFAULT_BRIEFING)
    if isinstance(raw, Problem):
        return Validated(None, (raw,))
    return _parse(raw, DEFAULT_BRIEFING.name)


def slide_index(total: int) -> int:
    """The slide on screen, kept inside the briefing even if it got shorter."""
    index = min(max(int(st.session_state.get(SLIDE_KEY, 0)), 0), total - 1)
    st.session_state[SLIDE_KEY] = index
    return index


def shown_slide(
    plan: Plan, briefing: Briefing, index: int, lang: str, inputs: ChartInputs, *, log_key: str, other_plan: bool
) -> SlideContent:
    """The slide on screen. Without what-if edits it is the same for every visitor, so it is made once (`ui.cache`):
    drawing a slide's chart at slide size was most of the page's server time on every run. `log_key` stands for the log."""
    if inputs.overlay:
        return slide_content(plan, briefing.slides[index], index + 1, lang, inputs, other_plan=other_plan)
    return cached_value(
        _unedited_slide,
        plan,
        slide=briefing.slides[index],
        number=index + 1,
        lang=lang,
        log_key=log_key,
        other_plan=other_plan,
        _log=inputs.progress,
    )


def _unedited_slide(
    plan: Plan, *, slide: Slide, number: int, lang: str, log_key: str, other_plan: bool, _log: ProgressLog | None
) -> SlideContent:
    content = slide_content(plan, slide, number, lang, ChartInputs(progress=_log), other_plan=other_plan)
    return replace(content, figure=shared(content.figure)) if content.figure is not None else content


def move(step: int, total: int) -> None:
    """on_click of previous / next."""
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 0) + step, 0), total - 1)


def export_panel(plan: Plan, briefing: Briefing, lang: str, inputs: ChartInputs, *, log_key: str, other_plan: bool) -> None:
    """Build buttons for each format; a built file is offered for download while plan, briefing, language and edits stay the same.

    `log_key` stands for the progress log in the signature: dumping the log on every run cost 4 ms of the page (bundled plan)."""
    overlay = inputs.overlay
    signature = (
        lang,
        tuple(sorted((tid, repr(edit)) for tid, edit in overlay.items())),
        briefing.model_dump_json(),
        plan.fingerprint,
        log_key,
    )
    exports: dict = st.session_state.setdefault(EXPORTS_KEY, {})
    today = dt.date.today()
    scenario_words = t("briefing.exports.with_scenario", lang) if overlay else ""
    st.caption(t("briefing.exports.intro", lang, count=len(briefing.slides), scenario=scenario_words))
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        with column:
            if st.button(t(f"briefing.export.{fmt.kind}", lang), key=f"briefing_build_{fmt.kind}", icon=ICONS[fmt.kind]):
                built = _build(
                    fmt,
                    lambda progress: deck_for(plan, briefing, lang, inputs, exported=today, other_plan=other_plan, progress=progress),
                    lang,
                )
                if built is not None:
                    exports[fmt.kind] = (signature, fmt.file_name(built[0]), built[1])
            if exports.get(fmt.kind, (None,))[0] == signature:
                _, file_name, data = exports[fmt.kind]
                st.download_button(
                    t(f"briefing.export.download_{fmt.kind}", lang),
                    data,
                    file_name=file_name,
                    mime=fmt.mime,
                    key=f"briefing_download_{fmt.kind}",
                    icon=":material/download:",
                    on_click="ignore",
                )


def _build(fmt: ExportFormat, make_deck, lang: str) -> tuple[Deck, bytes] | None:
    """One export with a progress bar: the first half of the bar draws the slides, the second half writes the file."""
    with st.status(t("briefing.export.building", lang), expanded=True) as status:
        bar = st.progress(0.0)
        started = time.perf_counter()

        def drawing(done: int, total: int, title: str) -> None:
            bar.progress(done / total / 2, text=t("briefing.export.step", lang, done=done, total=total, title=title))

        def writing(done: int, total: int, title: str) -> None:
            bar.progress(min(1.0, 0.5 + done / total / 2), text=t("briefing.export.step", lang, done=done, total=total, title=title))

        try:
            deck = make_deck(drawing)
            data = fmt.build(deck, writing)
        except Exception as error:  # a missing browser or a broken figure: say so, keep the page alive
            status.update(label=t("briefing.export.failed", lang, reason=type(error).__name__), state="error")
            st.error(t("briefing.export.failed", lang, reason=md_escape(str(error)[:300])))  # may quote plan text
            return None
        bar.progress(1.0)
        seconds = time.perf_counter() - started
        status.update(
            label=t("briefing.export.done", lang, size=f"{len(data) / 1e6:.1f} MB", seconds=f"{seconds:.1f}"),
            state="complete",
            expanded=False,
        )
    return deck, data
