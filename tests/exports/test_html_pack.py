"""The HTML pack: one self-contained file that holds every chart of the briefing, escapes plan text and draws offline.

The browser test needs Debian's Chromium (and the fonts-noto-cjk package for
Chinese); without it it skips and says why, unless CI=true.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from components.analysis.whatif import overlay_of, usable_edits
from components.exports.html_pack import build_html
from components.figures.registry import ChartInputs
from components.figures.slides import Deck, deck_for
from components.plan.model import TargetEdit
from tests.helpers import CHROMIUM, EXPORTED, need_chromium


def chart_count(document: str) -> int:
    """How many charts a built pack draws."""
    return document.count('<div class="chart" ')


def figure_json(document: str, number: int) -> dict:
    """The figure of slide `number` as the pack stores it."""
    start_tag = f'<script type="application/json" id="figure-{number}">'
    start = document.index(start_tag) + len(start_tag)
    end = document.index("</script>", start)
    return json.loads(document[start:end].replace("<\\/", "</"))


@pytest.fixture(scope="module")
def deck_zh(plan, briefing, progress_log) -> Deck:
    return deck_for(plan, briefing, "zh", ChartInputs(progress=progress_log), exported=EXPORTED)


@pytest.fixture(scope="module")
def pack(deck_zh) -> str:
    return build_html(deck_zh)


# --------------------------------------------------------------------------- the file text

OUTSIDE = [
    re.compile(r"""\b(?:src|href|action|poster|srcset|data|background|formaction)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"@import", re.IGNORECASE),
    re.compile(r"""<(?:link|iframe|embed|object|img|audio|video|source)\b""", re.IGNORECASE),
]


def without_plotlyjs(document: str) -> str:
    bundle = get_plotlyjs()
    assert document.count(bundle) == 1, "plotly.js must be inlined exactly once"
    return document.replace(bundle, "")


def test_pack_holds_every_chart_of_the_briefing(pack, deck_zh, briefing):
    assert chart_count(pack) == len(briefing.slides) == len(deck_zh.slides)
    for content in deck_zh.slides:
        stored = figure_json(pack, content.number)
        assert stored["layout"]["title"]["text"] == content.figure.layout.title.text
        assert f"<h2>{content.title}</h2>" in pack
        assert content.takeaway in pack
    assert pack.count("<script") == len(deck_zh.slides) + 2  # plotly.js, one JSON block per chart, the drawing script


def test_pack_inlines_plotlyjs_once_and_loads_nothing_from_outside(pack):
    own = without_plotlyjs(pack)
    assert not re.search(r"<script[^>]*\bsrc\s*=", own, re.IGNORECASE)
    assert not re.search(r"https?://", own), re.findall(r".{40}https?://.{40}", own)[:3]
    assert "topojson" not in own.lower()
    for pattern in OUTSIDE:  # plotly.js itself names sites in link targets it never loads: the browser test covers it
        assert not pattern.search(own), pattern.pattern
    assert len(pack) < 8_000_000


def test_pack_escapes_plan_text(deck_zh):
    hostile = replace(deck_zh.slides[0], title="<script>alert(1)</script>", takeaway="<img src=http://x/>")
    document = build_html(replace(deck_zh, title="<b>t</b>", slides=(hostile,)))
    assert "<script>alert(1)</script>" not in document and "&lt;script&gt;" in document
    assert "<img src=http://x/>" not in document
    assert "<b>t</b>" not in document and "&lt;b&gt;t&lt;/b&gt;" in document


def test_pack_in_english_with_an_overlay(plan, briefing):
    overlay = overlay_of(plan, usable_edits(plan, {"hightech_enterprises": TargetEdit(value=20000)}))
    deck = deck_for(plan, briefing, "en", ChartInputs(overlay), exported=EXPORTED)
    document = build_html(deck)
    assert '<html lang="en">' in document
    assert "Includes a what-if scenario: 1 target(s) changed" in document
    assert document.count('class="scenario"') == len(deck.slides) + 1
    assert "Exported 2026-03-01" in document


def test_pack_reports_each_slide_it_writes(deck_zh):
    heard = []
    build_html(deck_zh, progress=lambda *step: heard.append(step))
    total = len(deck_zh.slides)
    assert heard == [(s.number, total, s.title) for s in deck_zh.slides]


# --------------------------------------------------------------------------- drawn in a browser with the network cut


def open_offline(path: Path, charts: int) -> dict:
    """Open a file in Chromium with every request that leaves the file aborted and recorded; report what was drawn."""
    from playwright.sync_api import sync_playwright

    attempted: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})

            def guard(route):
                url = route.request.url
                if url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    attempted.append(url)
                    route.abort()

            page.route("**/*", guard)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(path.as_uri())
            page.wait_for_function(f"document.querySelectorAll('div.chart .main-svg').length >= {charts}", timeout=60_000)
            drawn = page.evaluate(
                "[...document.querySelectorAll('div.chart')].map(d => d.querySelectorAll('.main-svg').length > 0"
                " && d.getBoundingClientRect().height > 300)"
            )
            traces = page.evaluate("[...document.querySelectorAll('div.chart')].map(d => (d.data || []).length)")
        finally:
            browser.close()
    return {"attempted": attempted, "errors": errors, "drawn": drawn, "traces": traces}


def test_pack_draws_every_chart_offline_in_chromium(pack, tmp_path, briefing):
    need_chromium()
    path = tmp_path / "briefing.html"
    path.write_text(pack, encoding="utf-8")
    total = len(briefing.slides)
    seen = open_offline(path, total)
    assert seen["attempted"] == [], f"the pack tried to load: {seen['attempted']}"
    assert seen["errors"] == []
    assert seen["drawn"] == [True] * total
    assert len(seen["traces"]) == total and all(n > 0 for n in seen["traces"])


def test_plan_markup_in_chart_labels_stays_text_in_the_pack(plan_data, briefing, progress_log):
    """Region, indicator, unit, source and related-target names reached the pack's Plotly figures as markup."""
    from tests.figures.test_targets import hostile_plan

    hostile = hostile_plan(plan_data)
    document = build_html(deck_for(hostile, briefing, "zh", ChartInputs(), exported=EXPORTED))
    figures = [figure_json(document, number) for number in range(1, chart_count(document) + 1) if f'id="figure-{number}"' in document]
    assert len(figures) >= 4
    labels = json.dumps(figures, ensure_ascii=False)
    assert "<span" not in labels and "<a " not in labels
    assert "&lt;span style" in labels
