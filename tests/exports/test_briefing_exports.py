"""Briefing exports: a self-contained HTML pack that draws offline, and a PowerPoint deck.

The browser and image tests need Debian's Chromium (and the fonts-noto-cjk
package for Chinese); without it they skip and say why, unless CI=true.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from components import paths
from components.analysis.whatif import usable_edits
from components.exports.html_pack import build_html, chart_count, figure_json
from components.figures.registry import scenario_of
from components.figures.slides import briefing_contents, load_briefing_file
from components.plan.scenarios import TargetEdit

ROOT = paths.ROOT

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
EXPORTED = dt.date(2026, 3, 1)


def need_chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if IN_CI:
            pytest.fail("Chromium is missing (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")


@pytest.fixture(scope="module")
def briefing():
    return load_briefing_file().value


@pytest.fixture(scope="module")
def contents_zh(plan, briefing):
    return briefing_contents(plan, briefing, "zh", {})


@pytest.fixture(scope="module")
def pack(plan, briefing, contents_zh) -> str:
    return build_html(plan, briefing.title.zh, contents_zh, "zh", exported=EXPORTED)


# --------------------------------------------------------------------------- HTML: the file text

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


def test_pack_holds_every_chart_of_the_briefing(pack, contents_zh, briefing):
    assert chart_count(pack) == len(briefing.slides) == len(contents_zh)
    for content in contents_zh:
        stored = figure_json(pack, content.number)
        assert stored["layout"]["title"]["text"] == content.figure.layout.title.text
        assert f"<h2>{content.title}</h2>" in pack
        assert content.takeaway in pack
    assert pack.count("<script") == len(contents_zh) + 2  # plotly.js, one JSON block per chart, the drawing script


def test_pack_inlines_plotlyjs_once_and_loads_nothing_from_outside(pack):
    own = without_plotlyjs(pack)
    assert not re.search(r"<script[^>]*\bsrc\s*=", own, re.IGNORECASE)
    assert not re.search(r"https?://", own), re.findall(r".{40}https?://.{40}", own)[:3]
    assert "topojson" not in own.lower()
    for pattern in OUTSIDE:  # plotly.js itself names sites in link targets it never loads: the browser test covers it
        assert not pattern.search(own), pattern.pattern
    assert len(pack) < 8_000_000


def test_pack_escapes_plan_text(plan, briefing, contents_zh):
    from dataclasses import replace

    hostile = [replace(contents_zh[0], title="<script>alert(1)</script>", takeaway="<img src=http://x/>")]
    document = build_html(plan, "<b>t</b>", hostile, "zh", exported=EXPORTED)
    assert "<script>alert(1)</script>" not in document and "&lt;script&gt;" in document
    assert "<img src=http://x/>" not in document


def test_pack_in_english_with_a_scenario(plan, briefing):
    scenario = scenario_of(plan, usable_edits(plan, {"hightech_enterprises": TargetEdit(value=20000)}))
    contents = briefing_contents(plan, briefing, "en", scenario)
    document = build_html(plan, briefing.title.en, contents, "en", exported=EXPORTED, scenario_count=len(scenario))
    assert '<html lang="en">' in document
    assert "Includes a what-if scenario: 1 target(s) changed" in document
    assert document.count('class="scenario"') == len(contents) + 1
    assert "Exported 2026-03-01" in document


def test_building_the_pack_is_quick(plan, briefing):
    started = time.perf_counter()
    contents = briefing_contents(plan, briefing, "zh", {})
    build_html(plan, briefing.title.zh, contents, "zh", exported=EXPORTED)
    assert time.perf_counter() - started < 30


# --------------------------------------------------------------------------- HTML: drawn in a browser with the network cut


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
    pytest.importorskip("playwright.sync_api")
    path = tmp_path / "briefing.html"
    path.write_text(pack, encoding="utf-8")
    total = len(briefing.slides)
    # Playwright's sync API refuses to start where an asyncio loop already runs (the browser tests leave one
    # in this thread when the whole suite runs), so the browser is driven from a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(open_offline, path, total).result(timeout=180)
    assert seen["attempted"] == [], f"the pack tried to load: {seen['attempted']}"
    assert seen["errors"] == []
    assert seen["drawn"] == [True] * total
    assert all(n > 0 for n in seen["traces"])


# --------------------------------------------------------------------------- PowerPoint


@pytest.fixture(scope="module")
def deck(plan, briefing, contents_zh) -> tuple[bytes, float]:
    need_chromium()
    from components.exports.pptx_deck import build_pptx, start_image_server

    start_image_server()
    started = time.perf_counter()
    data = build_pptx(plan, briefing.title.zh, contents_zh, "zh", exported=EXPORTED, progress=lambda *_: None)
    return data, time.perf_counter() - started


def test_deck_has_a_title_slide_and_one_slide_per_chart(deck, plan, briefing):
    data, _ = deck
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) == 1 + len(briefing.slides)
    cover = " ".join(shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)
    for text in (plan.meta.title.zh, plan.meta.doc_number, "2026-03-01", briefing.title.zh):
        assert text in cover
    for slide, item in zip(slides[1:], briefing.slides):
        assert slide.shapes.title.text_frame.text == item.title.zh
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert item.takeaway.zh in texts
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.image.content_type == "image/png" and len(picture.image.blob) > 20_000
        assert picture.left >= 0 and picture.top >= 0
        assert picture.left + picture.width <= prs.slide_width and picture.top + picture.height <= prs.slide_height
        footnote = texts[-2]
        assert "来源" in footnote or "方案目标" in footnote


def test_deck_is_built_in_seconds(deck, briefing):
    _, seconds = deck
    assert seconds < 60, f"{len(briefing.slides)} slides took {seconds:.1f} s"


def test_png_renders_chinese_glyphs_not_boxes():
    """Without fonts-noto-cjk every Chinese character is the same empty box, so two different titles render alike."""
    need_chromium()
    import plotly.graph_objects as go
    from PIL import Image, ImageChops

    from components.exports.pptx_deck import chart_png

    def render(text: str) -> Image.Image:
        fig = go.Figure(layout={"title": {"text": text, "font": {"size": 30}}, "height": 200, "xaxis": {"visible": False}, "yaxis": {"visible": False}})
        return Image.open(io.BytesIO(chart_png(fig))).convert("L")

    first, second = render("高新技术"), render("企业数量")
    assert ImageChops.difference(first, second).getbbox() is not None
