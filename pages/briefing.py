"""Briefing mode: one chart at a time, full width, large type, previous/next and a counter; exports underneath."""

import datetime as dt
import time

import streamlit as st

from components.briefing import DEFAULT_BRIEFING, Briefing, BriefingResult, counter, load_briefing_text, plain_text, slide_content
from components.chart_registry import scenario_of
from components.export_html import build_html
from components.export_pptx import build_pptx, start_image_server
from components.i18n import t
from components.loader import Problem
from components.state import current_plan, language, uploaded_plan
from components.ui import md_escape, show_figure
from components.whatif import usable_edits
from components.whatif_panel import session_edits

SLIDE_KEY = "briefing_slide"  # plain session state: the slide survives page switches
EXPORTS_KEY = "briefing_exports"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@st.cache_data(show_spinner=False, max_entries=4)
def _load(raw: bytes, name: str) -> BriefingResult:
    return load_briefing_text(raw, name)


def load_briefing() -> BriefingResult:
    try:
        raw = DEFAULT_BRIEFING.read_bytes()
    except OSError as error:
        return BriefingResult(None, (Problem(DEFAULT_BRIEFING.name, None, "", f"cannot read file: {error.strerror or error}"),))
    return _load(raw, DEFAULT_BRIEFING.name)


plan = current_plan()
lang = language()
result = load_briefing()
if result.briefing is None:
    st.error(t("briefing.invalid", lang, file=DEFAULT_BRIEFING.name, count=len(result.problems)))
    st.code("\n".join(str(p) for p in result.problems), language=None)
    st.stop()
briefing: Briefing = result.briefing
edits = usable_edits(plan, session_edits())
scenario = scenario_of(plan, edits)
start_image_server()  # Chromium starts in the background now, so an export later does not wait for it

total = len(briefing.slides)
index = min(max(int(st.session_state.get(SLIDE_KEY, 0)), 0), total - 1)
st.session_state[SLIDE_KEY] = index


def move(step: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 0) + step, 0), total - 1)


back, count, forward, _ = st.columns([1.2, 0.8, 1.2, 6], vertical_alignment="center")
back.button(
    t("briefing.previous", lang), key="briefing_previous", on_click=move, args=(-1,), disabled=index == 0,
    icon=":material/arrow_back:", width="stretch",
)
count.markdown(counter(index, total))
forward.button(
    t("briefing.next", lang), key="briefing_next", on_click=move, args=(1,), disabled=index == total - 1,
    icon=":material/arrow_forward:", width="stretch",
)

other_plan = uploaded_plan() is not None  # the takeaways describe the bundled plan's data
slide = slide_content(plan, briefing.slides[index], index + 1, lang, scenario, other_plan=other_plan)
st.title(md_escape(slide.title), anchor=False)
st.subheader(md_escape(slide.takeaway), anchor=False)
for notice in slide.notices:
    st.info(notice, icon=":material/science:")
if slide.figure is None:
    st.info(t("briefing.unavailable", lang))
else:
    show_figure(slide.figure, key=f"briefing_chart_{index}", filename=f"{slide.number:02d}-{slide.chart_id}-{lang}")
footnote = [plain_text(note) for note in slide.notes] + ([slide.source] if slide.source else [])
if footnote:
    st.caption(md_escape(" ".join(footnote)))

# --- exports: the whole sequence in this language and scenario ---

signature = (lang, tuple(sorted((tid, repr(edit)) for tid, edit in edits.items())), hash(briefing.model_dump_json()), hash(plan.model_dump_json()))
exports: dict = st.session_state.setdefault(EXPORTS_KEY, {})
today = dt.date.today()


def build(kind: str) -> None:
    """Build one export with a progress bar; keep the file in this session for the download button."""
    with st.status(t("briefing.export.building", lang), expanded=True) as status:
        bar = st.progress(0.0)
        started = time.perf_counter()

        def report(done: int, of: int, title: str) -> None:
            # first half of the bar: drawing the slides; second half: writing the file
            bar.progress(min(1.0, 0.5 + done / of / 2), text=t("briefing.export.step", lang, done=done, total=of, title=title))

        try:
            contents = []
            for number, item in enumerate(briefing.slides, start=1):
                bar.progress(number / total / 2, text=t("briefing.export.step", lang, done=number, total=total, title=item.title.get(lang)))
                contents.append(slide_content(plan, item, number, lang, scenario, other_plan=other_plan))
            title = briefing.title.get(lang)
            if kind == "html":
                data = build_html(plan, title, contents, lang, exported=today, scenario_count=len(scenario), progress=report).encode("utf-8")
            else:
                data = build_pptx(plan, title, contents, lang, exported=today, scenario_count=len(scenario), progress=report)
        except Exception as error:  # a missing browser or a broken figure: say so, keep the page alive
            status.update(label=t("briefing.export.failed", lang, reason=type(error).__name__), state="error")
            st.error(t("briefing.export.failed", lang, reason=str(error)[:300]))
            return
        seconds = time.perf_counter() - started
        exports[kind] = (signature, data)
        bar.progress(1.0)
        status.update(label=t("briefing.export.done", lang, size=f"{len(data) / 1e6:.1f} MB", seconds=f"{seconds:.1f}"), state="complete", expanded=False)


with st.expander(t("briefing.exports", lang), icon=":material/download:"):
    scenario_words = t("briefing.exports.with_scenario", lang) if scenario else ""
    st.caption(t("briefing.exports.intro", lang, count=total, scenario=scenario_words))
    html_column, pptx_column = st.columns(2)
    with html_column:
        if st.button(t("briefing.export.html", lang), key="briefing_build_html", icon=":material/html:"):
            build("html")
        if exports.get("html", (None,))[0] == signature:
            st.download_button(
                t("briefing.export.download_html", lang), exports["html"][1], file_name=f"briefing-{lang}-{today.isoformat()}.html",
                mime="text/html", key="briefing_download_html", icon=":material/download:",
            )
    with pptx_column:
        if st.button(t("briefing.export.pptx", lang), key="briefing_build_pptx", icon=":material/slideshow:"):
            build("pptx")
        if exports.get("pptx", (None,))[0] == signature:
            st.download_button(
                t("briefing.export.download_pptx", lang), exports["pptx"][1], file_name=f"briefing-{lang}-{today.isoformat()}.pptx",
                mime=PPTX_MIME, key="briefing_download_pptx", icon=":material/download:",
            )
