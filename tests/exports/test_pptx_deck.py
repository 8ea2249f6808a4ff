"""The PowerPoint deck: a cover, then one slide per chart with its title, takeaway, picture and footnote.

Pictures are rendered by kaleido with Debian's Chromium (and the fonts-noto-cjk
package for Chinese); without it these tests skip and say why, unless CI=true.
"""

from __future__ import annotations

import io

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from components.figures.registry import ChartInputs
from components.figures.slides import deck_for
from tests.helpers import EXPORTED, need_chromium


@pytest.fixture(scope="module")
def deck_bytes(plan, briefing, progress_log) -> bytes:
    need_chromium()
    from components.exports.images import start_image_server
    from components.exports.pptx_deck import build_pptx

    start_image_server()
    return build_pptx(deck_for(plan, briefing, "zh", ChartInputs(progress=progress_log), exported=EXPORTED), progress=lambda *_: None)


def test_deck_has_a_title_slide_and_one_slide_per_chart(deck_bytes, plan, briefing):
    prs = Presentation(io.BytesIO(deck_bytes))
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


def test_png_renders_chinese_glyphs_not_boxes():
    """Without fonts-noto-cjk every Chinese character is the same empty box, so two different titles render alike."""
    need_chromium()
    from components.exports.pptx_deck import chart_png

    def render(text: str) -> Image.Image:
        fig = go.Figure(
            layout={"title": {"text": text, "font": {"size": 30}}, "height": 200, "xaxis": {"visible": False}, "yaxis": {"visible": False}}
        )
        return Image.open(io.BytesIO(chart_png(fig))).convert("L")

    first, second = render("高新技术"), render("企业数量")
    assert ImageChops.difference(first, second).getbbox() is not None


def test_a_long_title_and_control_characters_still_make_a_deck(plan):
    """A title plus document number over 255 characters, or a control character, made python-pptx refuse the whole deck."""
    import datetime as dt

    from components.exports.pptx_deck import build_pptx
    from components.figures.slides import Deck, SlideContent

    meta = plan.meta
    title = "协同创新\x0b行动方案\ufffe" * 40
    hostile = plan.model_copy(
        update={
            "meta": meta.model_copy(update={"title": meta.title.model_copy(update={"zh": title}), "doc_number": "川办发\x07〔2022〕13号"})
        }
    )
    slide = SlideContent(1, "none", "图\x01一", "要点\uffff", "来源\x1f", ("注\x00",), (), None, "wide")
    prs = Presentation(io.BytesIO(build_pptx(Deck(hostile, "汇报\x0c" * 200, (slide,), "zh", dt.date(2026, 3, 1)))))
    properties = prs.core_properties
    assert len(properties.title) == 255 and properties.title == "汇报" * 127 + "…"
    assert len(properties.subject) == 255 and properties.subject.startswith("协同创新行动方案协同创新") and properties.subject.endswith("…")
    cover, chart = list(prs.slides)
    cover_text = " ".join(shape.text_frame.text for shape in cover.shapes if shape.has_text_frame)
    assert "协同创新行动方案" * 40 in cover_text and "川办发〔2022〕13号" in cover_text
    assert chart.shapes.title.text_frame.text == "图一"
