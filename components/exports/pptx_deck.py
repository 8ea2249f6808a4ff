"""The briefing as a PowerPoint deck: a title slide, then one slide per chart.

Each chart slide has the slide title (the title placeholder, so outlines and
screen readers see it), the one-line takeaway, the chart as a PNG rendered by
kaleido with the system Chromium (fonts-noto-cjk carries the Chinese), and a
footnote with the chart's notes and source. Nothing here touches Streamlit.
"""

from __future__ import annotations

import io

import plotly.graph_objects as go
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from components.exports.images import figure_png
from components.exports.tables import core_property, xml_safe
from components.figures.slides import Deck, Progress, SlideContent, plain_text
from components.i18n import t

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
PICTURE_TOP, PICTURE_BOTTOM = Inches(1.85), Inches(6.55)
# Image size in px at scale 1 (None: the figure's own height). Wide charts keep 20 px labels at about 11 pt
# on the slide; square ones (network, map) carry many labels and need the larger canvas.
IMAGE_SIZE: dict[str, tuple[int, int | None]] = {"wide": (1400, None), "square": (1100, 1000)}
IMAGE_SCALE = 2
EAST_ASIAN_FONT = "Microsoft YaHei"  # Windows; elsewhere the viewer substitutes its CJK font (Noto Sans CJK here)
LATIN_FONT = "Arial"
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
INK, MUTED, ACCENT = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x52, 0x60, 0x6D), RGBColor(0xB2, 0x22, 0x22)


def image_size(fig: go.Figure, shape: str = "wide") -> tuple[int, int]:
    width, height = IMAGE_SIZE.get(shape, IMAGE_SIZE["wide"])
    return width, height or int(fig.layout.height or 600)


def chart_png(fig: go.Figure, shape: str = "wide") -> bytes:
    width, height = image_size(fig, shape)
    return figure_png(fig, width, height, IMAGE_SCALE)


def _font(run, size: float, *, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    run.font.name = LATIN_FONT
    rpr = run.font._element if hasattr(run.font, "_element") else run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = etree.SubElement(rpr, qn(tag))
        element.set("typeface", EAST_ASIAN_FONT)


def _write(frame, lines: list[tuple[str, float, bool, RGBColor]], *, align=PP_ALIGN.LEFT) -> None:
    """Replace a text frame's text with the given lines (text, size, bold, colour)."""
    frame.clear()
    frame.word_wrap = True
    for index, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = xml_safe(text)
        _font(run, size, bold=bold, colour=colour)


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _textbox(slide, left, top, width, height, lines, *, anchor=MSO_ANCHOR.TOP, align=PP_ALIGN.LEFT):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.vertical_anchor = anchor
    box.text_frame.margin_left = box.text_frame.margin_right = 0
    _write(box.text_frame, lines, align=align)
    return box


def _title_slide(prs, deck: Deck) -> None:
    plan, title, lang = deck.plan, deck.title, deck.lang
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    heading, subtitle = slide.shapes.title, slide.placeholders[1]
    _place(heading, MARGIN, Inches(1.6), CONTENT_WIDTH, Inches(1.6))
    _write(heading.text_frame, [(plan.meta.title.get(lang), 36, True, INK)], align=PP_ALIGN.CENTER)
    _place(subtitle, MARGIN, Inches(3.5), CONTENT_WIDTH, Inches(2.6))
    lines = [
        (title, 22, False, ACCENT),
        (f"{plan.meta.issuer.get(lang)} · {plan.meta.doc_number}", 18, False, INK),
        (t("export.exported", lang, date=deck.exported.isoformat()), 16, False, MUTED),
    ]
    if deck.scenario_count:
        lines.append((t("export.scenario", lang, count=deck.scenario_count), 16, True, RGBColor(0x8E, 0x44, 0xAD)))
    _write(subtitle.text_frame, lines, align=PP_ALIGN.CENTER)


def _chart_slide(prs, slide_content: SlideContent, total: int, lang: str, png: bytes | None, image_size: tuple[int, int]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    heading = slide.shapes.title
    _place(heading, MARGIN, Inches(0.3), CONTENT_WIDTH, Inches(0.8))
    heading.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _write(heading.text_frame, [(slide_content.title, 28, True, INK)])
    square = slide_content.shape == "square" and png is not None
    if square:  # a square chart takes the full height on the left, the takeaway sits beside it
        box_left, box_top, box_width, box_height = MARGIN, Inches(1.15), Inches(7.6), PICTURE_BOTTOM - Inches(1.15)
        _textbox(
            slide, Inches(8.4), Inches(1.4), SLIDE_WIDTH - Inches(8.4) - MARGIN, Inches(4.5), [(slide_content.takeaway, 20, False, INK)]
        )
    else:
        box_left, box_top, box_width, box_height = MARGIN, PICTURE_TOP, CONTENT_WIDTH, PICTURE_BOTTOM - PICTURE_TOP
        _textbox(slide, MARGIN, Inches(1.1), CONTENT_WIDTH, Inches(0.7), [(slide_content.takeaway, 18, False, INK)])
    if png is None:
        _textbox(slide, MARGIN, PICTURE_TOP, CONTENT_WIDTH, Inches(1), [(t("export.unavailable", lang), 18, False, MUTED)])
    else:
        px_width, px_height = image_size
        scale = min(box_width / px_width, box_height / px_height)
        width, height = int(px_width * scale), int(px_height * scale)
        slide.shapes.add_picture(io.BytesIO(png), box_left + (box_width - width) // 2, box_top, width, height)
    footnote = [plain_text(note) for note in slide_content.notes] + ([slide_content.source] if slide_content.source else [])
    footnote = list(slide_content.notices) + footnote
    _textbox(
        slide,
        MARGIN,
        Inches(6.6),
        CONTENT_WIDTH - Inches(1.3),
        Inches(0.8),
        [(line, 10, False, MUTED) for line in footnote],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _textbox(
        slide,
        SLIDE_WIDTH - MARGIN - Inches(1.2),
        Inches(6.9),
        Inches(1.2),
        Inches(0.4),
        [(f"{slide_content.number} / {total}", 12, False, MUTED)],
        anchor=MSO_ANCHOR.BOTTOM,
        align=PP_ALIGN.RIGHT,
    )


def build_pptx(deck: Deck, *, progress: Progress | None = None) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    prs.core_properties.title = core_property(deck.title)
    prs.core_properties.subject = core_property(f"{deck.plan.meta.title.get(deck.lang)} ({deck.plan.meta.doc_number})")
    _title_slide(prs, deck)
    total = len(deck.slides)
    lang = deck.lang
    for done, slide_content in enumerate(deck.slides, start=1):
        if progress:
            progress(done, total, slide_content.title)
        png, size = None, (1, 1)
        if slide_content.figure is not None:
            png = chart_png(slide_content.figure, slide_content.shape)
            size = image_size(slide_content.figure, slide_content.shape)
        _chart_slide(prs, slide_content, total, lang, png, size)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
