"""Slides: each chart made presentable at slide size, the slide counter, and the deck's notices for an overlay or another plan."""

from __future__ import annotations

import datetime as dt

import pytest

from components.analysis.whatif import overlay_of, usable_edits
from components.figures.registry import CHARTS, ChartInputs
from components.figures.slides import MIN_LABEL_PX, counter, deck_for, plain_text, presentable
from components.i18n import t
from components.paths import DEFAULT_BRIEFING
from components.plan.briefing_file import Briefing, load_briefing_file
from components.plan.model import TargetEdit

EXPORTED = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    result = load_briefing_file(CHARTS, DEFAULT_BRIEFING)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


# --------------------------------------------------------------------------- slides at slide size


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_slide_figures_use_large_type(chart_id, plan, progress_log):
    spec = CHARTS[chart_id]
    fig, notes = presentable(spec.build(plan, "zh", ChartInputs(progress=progress_log)), spec.shape)
    layout = fig.layout
    assert layout.font.size >= MIN_LABEL_PX
    assert layout.title.font.size > MIN_LABEL_PX
    assert layout.legend.font.size >= MIN_LABEL_PX
    assert layout.uniformtext.minsize >= MIN_LABEL_PX
    for axis in (layout.xaxis, layout.yaxis):
        assert axis.tickfont.size >= MIN_LABEL_PX
    for annotation in layout.annotations:
        assert (annotation.font.size or layout.font.size) >= MIN_LABEL_PX, annotation.text
    for trace in fig.data:
        # a trace's text without a size of its own is drawn in the layout font
        font = trace.textfont if "textfont" in trace else None
        size = font.size if font is not None and font.size is not None else layout.font.size
        sizes = size if isinstance(size, (list, tuple)) else [size]
        assert min(sizes) >= MIN_LABEL_PX, (trace.type, size)
    assert all("<" not in plain_text(note) or "<" in note for note in notes)


def test_presentable_leaves_the_original_alone(plan):
    fig = CHARTS["rd_intensity_pct"].build(plan, "zh", ChartInputs())
    before = fig.to_plotly_json()
    slide, notes = presentable(fig)
    assert fig.to_plotly_json() == before
    assert notes and "来源" in notes[0]
    assert not slide.layout.annotations  # the footnote moved out of the picture


def test_plain_text_turns_plotly_markup_into_text():
    assert plain_text("a<br>b &amp; c") == "a b & c"


def test_counter_text():
    assert counter(0, 9) == "1 / 9"
    assert counter(2, 9) == "3 / 9"


# --------------------------------------------------------------------------- the deck


def test_deck_says_when_an_overlay_is_active(plan, briefing):
    plain = deck_for(plan, briefing, "zh", ChartInputs(), exported=EXPORTED)
    assert (plain.title, plain.lang, plain.exported, plain.scenario_count) == (briefing.title.zh, "zh", EXPORTED, 0)
    assert len(plain.slides) == len(briefing.slides)
    assert all(c.notices == () for c in plain.slides)
    overlay = overlay_of(plan, usable_edits(plan, {"rd_intensity": TargetEdit(value=2.8)}))
    edited = deck_for(plan, briefing, "en", ChartInputs(overlay), exported=EXPORTED)
    assert edited.scenario_count == 1
    assert all(len(c.notices) == 1 for c in edited.slides)
    first = edited.slides[0]
    assert "this chart shows the current scenario (1 target(s) changed)" in first.notices[0]
    assert any(tr.name == "Scenario target" for tr in first.figure.data)
    assert "does not depend on it" in next(c for c in edited.slides if c.chart_id == "agency_leads").notices[0]
    uploaded = deck_for(plan, briefing, "zh", ChartInputs(), exported=EXPORTED, other_plan=True)
    assert all(c.notices == (t("briefing.other_plan", "zh"),) for c in uploaded.slides)


def test_deck_reports_each_slide_before_drawing_it(plan, briefing):
    heard = []
    deck = deck_for(plan, briefing, "en", ChartInputs(), exported=EXPORTED, progress=lambda *step: heard.append(step))
    total = len(briefing.slides)
    assert heard == [(n, total, s.title.en) for n, s in enumerate(briefing.slides, start=1)]
    assert [c.number for c in deck.slides] == list(range(1, total + 1))
