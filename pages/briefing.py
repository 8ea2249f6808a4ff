"""Briefing mode: one chart at a time, full width, large type, previous/next and a counter; exports underneath."""

import streamlit as st

from components.analysis.whatif import overlay_of
from components.exports.images import start_image_server
from components.figures.registry import ChartInputs
from components.figures.slides import counter, plain_text
from components.i18n import t
from components.paths import DEFAULT_BRIEFING
from components.ui.briefing import export_panel, load_briefing, move, shown_slide, slide_index
from components.ui.report_download import report_panel
from components.ui.session import current_plan, current_progress, language, uploaded_plan
from components.ui.whatif_editor import active_edits
from components.ui.widgets import md_escape, show_figure, show_problems

plan = current_plan()
lang = language()
result = load_briefing()
if result.value is None:
    show_problems(t("briefing.invalid", lang, file=DEFAULT_BRIEFING.name, count=len(result.problems)), result.problems, lang)
    st.stop()
briefing = result.value
progress = current_progress(plan)
inputs = ChartInputs(overlay_of(plan, active_edits(plan).usable), progress.log)
start_image_server()  # Chromium starts in the background now, so an export later does not wait for it

total = len(briefing.slides)
index = slide_index(total)
back, count, forward, _ = st.columns([1.2, 0.8, 1.2, 6], vertical_alignment="center")
back.button(
    t("briefing.previous", lang),
    key="briefing_previous",
    on_click=move,
    args=(-1, total),
    disabled=index == 0,
    icon=":material/arrow_back:",
    width="stretch",
)
count.markdown(counter(index, total))
forward.button(
    t("briefing.next", lang),
    key="briefing_next",
    on_click=move,
    args=(1, total),
    disabled=index == total - 1,
    icon=":material/arrow_forward:",
    width="stretch",
)

other_plan = uploaded_plan() is not None  # the takeaways describe the bundled plan's data
slide = shown_slide(plan, briefing, index, lang, inputs, log_key=progress.fingerprint, other_plan=other_plan)
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

with st.expander(t("briefing.exports", lang), icon=":material/download:"):
    export_panel(plan, briefing, lang, inputs, log_key=progress.fingerprint, other_plan=other_plan)
with st.expander(t("docx.ui.title", lang), icon=":material/description:"):
    report_panel(plan, lang)
