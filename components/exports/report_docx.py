"""The assessment report as a Word document (.docx): bytes out, no Streamlit.

Layout only: what the document says comes from `exports/report_content.py`. Everything is formatted through
named styles (Title, Heading 1–3, Body Text, Task Paragraph, Table Text, Caption, Note, Annex Entry, Reference …)
with the fonts set on the styles, East-Asian font included, so an office can restyle the whole draft by
modifying a style. A4 with 2.5 cm margins, page numbers in the footer, a table-of-contents field that Word
updates when the file opens (the headings are written into it beforehand, so a viewer that does not update
fields still shows them).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from components.exports.images import figure_png
from components.exports.report_content import AnnexEntry, Para, ReportContent, grouped, ref_label, report_content, show_date
from components.exports.tables import core_property, xml_safe
from components.figures.registry import CHARTS, ChartInputs
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import ProgressLog
from components.plan.reports import AcceptedReport

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.5)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# Fonts that exist on the machine (Debian fonts-noto-cjk); an office swaps in its own through the styles (README).
BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"
INK, MUTED = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x52, 0x60, 0x6D)
# Charts are drawn 900 px wide and placed at the 16 cm text width: the figures' 14 px labels print at about 8 pt.
CHART_WIDTH_PX = 900
CHART_SCALE = 2
TARGET_COLUMNS = (Cm(3.2), Cm(1.8), Cm(2.4), Cm(3.5), Cm(2.8), Cm(2.3))
WORKLOAD_COLUMNS = (Cm(6.4), Cm(3.9), Cm(1.9), Cm(1.9), Cm(1.9))

BODY, TASK, NOTE, INFO = "Body Text", "Task Paragraph", "Note", "Title Info"
TABLE_TEXT, TABLE_HEADING, TABLE_STYLE = "Table Text", "Table Heading", "Table Grid"
FIGURE, CAPTION, BULLET = "Figure", "Caption", "List Bullet"
ANNEX_ENTRY, ANNEX_DETAIL, ANNEX_QUOTE = "Annex Entry", "Annex Detail", "Annex Quote"
REFERENCE = "Reference"
TOC_LEVELS = {"Heading 1": "toc 1", "Heading 2": "toc 2"}

Progress = Callable[[int, int, str], None]


# --------------------------------------------------------------------------- styles


def _fonts(style, *, latin: str, east_asian: str, size: float, bold: bool | None = None, colour: RGBColor = INK) -> None:
    """Fonts on the style itself, theme fonts removed (they would win over the names in Word)."""
    style.font.size = Pt(size)
    style.font.color.rgb = colour
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attribute), name)


def _paragraph_style(doc, name: str, base: str | None = None):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _first_line_chars(style, chars: int) -> None:
    """A first-line indent in characters (两字缩进), which Word keeps right whatever the font size."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _no_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _set_styles(doc, lang: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, latin=BODY_FONT, east_asian=BODY_FONT, size=11)
    lang_element = OxmlElement("w:lang")
    lang_element.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    lang_element.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang_element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25

    body = styles[BODY]
    body.base_style = normal
    _fonts(body, latin=BODY_FONT, east_asian=BODY_FONT, size=11)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.4
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if lang == "zh":
        _first_line_chars(body, 2)
    task = _paragraph_style(doc, TASK, BODY)
    task.paragraph_format.space_after = Pt(8)
    task.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # justified lines that end in a line break get stretched

    for level, size, before in ((1, 16, 18), (2, 13.5, 12), (3, 11.5, 8)):
        heading = styles[f"Heading {level}"]
        _fonts(heading, latin=HEADING_FONT, east_asian=HEADING_FONT, size=size, bold=True)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    _fonts(styles["TOC Heading"], latin=HEADING_FONT, east_asian=HEADING_FONT, size=14, bold=True)
    title = styles["Title"]
    _fonts(title, latin=HEADING_FONT, east_asian=HEADING_FONT, size=22, bold=True)
    _no_border(title)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(72)
    title.paragraph_format.space_after = Pt(12)
    subtitle = styles["Subtitle"]
    _fonts(subtitle, latin=HEADING_FONT, east_asian=HEADING_FONT, size=16, bold=False)
    subtitle.font.italic = False
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(36)
    info = _paragraph_style(doc, INFO, "Normal")
    _fonts(info, latin=BODY_FONT, east_asian=BODY_FONT, size=12)
    info.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    info.paragraph_format.space_after = Pt(6)

    note = _paragraph_style(doc, NOTE, "Normal")
    _fonts(note, latin=BODY_FONT, east_asian=BODY_FONT, size=9, colour=MUTED)
    note.paragraph_format.space_after = Pt(3)
    table_text = _paragraph_style(doc, TABLE_TEXT, "Normal")
    _fonts(table_text, latin=BODY_FONT, east_asian=BODY_FONT, size=9.5)
    table_text.paragraph_format.line_spacing = 1.1
    table_heading = _paragraph_style(doc, TABLE_HEADING, TABLE_TEXT)
    _fonts(table_heading, latin=HEADING_FONT, east_asian=HEADING_FONT, size=9.5, bold=True)
    figure = _paragraph_style(doc, FIGURE, "Normal")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    figure.paragraph_format.space_before = Pt(6)
    caption = styles[CAPTION]
    _fonts(caption, latin=BODY_FONT, east_asian=BODY_FONT, size=9, bold=False, colour=MUTED)
    caption.paragraph_format.space_after = Pt(10)
    bullet = styles[BULLET]
    _fonts(bullet, latin=BODY_FONT, east_asian=BODY_FONT, size=11)

    annex = _paragraph_style(doc, ANNEX_ENTRY, "Normal")
    _fonts(annex, latin=BODY_FONT, east_asian=BODY_FONT, size=10)
    annex.paragraph_format.left_indent = Cm(1.0)
    annex.paragraph_format.first_line_indent = Cm(-1.0)
    annex.paragraph_format.space_before = Pt(6)
    annex.paragraph_format.keep_with_next = True
    detail = _paragraph_style(doc, ANNEX_DETAIL, NOTE)
    detail.paragraph_format.left_indent = Cm(1.0)
    quote = _paragraph_style(doc, ANNEX_QUOTE, NOTE)
    quote.paragraph_format.left_indent = Cm(1.5)

    reference = styles.add_style(REFERENCE, WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True
    for name, level in (("toc 1", 0), ("toc 2", 1)):
        toc = _paragraph_style(doc, name, "Normal")
        toc.paragraph_format.left_indent = Cm(0.8 * level)
        toc.paragraph_format.space_after = Pt(3)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


# --------------------------------------------------------------------------- fields


def _field_char(paragraph: Paragraph, kind: str) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    """A complex field as Word writes it: begin, the instruction, separate; the shown result and `end` follow."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")


def _footer(doc, lang: str) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = t("docx.footer", lang, page="\0").partition("\0")
    if before:
        paragraph.add_run(before)
    _field_start(paragraph, " PAGE ")
    paragraph.add_run("1")
    _field_char(paragraph, "end")
    if after:
        paragraph.add_run(after)


def _update_fields_on_open(doc) -> None:
    """Word asks to update the fields (contents, page numbers) when the file opens."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


class _Writer:
    """Adds paragraphs by style id: python-docx looks a style name up across all ~160 styles on every call (2 s a report)."""

    def __init__(self, doc, lang: str) -> None:
        self.doc, self.lang = doc, lang
        self.ids = {style.name: style.style_id for style in doc.styles}
        self.headings: list[tuple[int, str]] = []

    def paragraph(self, style: str, text: str = "", container=None) -> Paragraph:
        paragraph = (container or self.doc).add_paragraph(xml_safe(text))
        paragraph._p.style = self.ids[style]
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self.paragraph(f"Heading {level}", text)
        self.headings.append((level, xml_safe(text)))

    def cited(self, style: str, para: Para, paragraph: Paragraph | None = None) -> Paragraph:
        """Text with its references as "[n]" runs in the Reference character style."""
        paragraph = paragraph or self.paragraph(style)
        for part in grouped(para):
            if isinstance(part, list):
                paragraph.add_run(ref_label(part))._r.style = self.ids[REFERENCE]
            else:
                paragraph.add_run(xml_safe(part))
        return paragraph

    def toc(self) -> Paragraph:
        """The TOC field, opened here; its result is a note on updating it, and `fill_toc` adds the headings before that note."""
        self.paragraph("TOC Heading", t("docx.toc", self.lang))
        _field_start(self.paragraph("toc 1"), ' TOC \\o "1-2" \\h \\z \\u ')
        end = self.paragraph(NOTE, t("docx.toc.note", self.lang))
        _field_char(end, "end")
        return end

    def fill_toc(self, end: Paragraph) -> None:
        """The level-1 and level-2 headings written into the field's result, so a viewer that does not update fields shows them."""
        for level, text in self.headings:
            if f"Heading {level}" in TOC_LEVELS:
                end.insert_paragraph_before(text)._p.style = self.ids[TOC_LEVELS[f"Heading {level}"]]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Para | str]], widths) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table._tbl.tblPr.get_or_add_tblStyle().val = self.ids[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths):  # the grid: LibreOffice lays tables out by it, Word by the cells
            column.width = width
        head = table.rows[0]
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page the table runs over
        repeat.set(qn("w:val"), "true")
        head._tr.get_or_add_trPr().append(repeat)
        for cell, text, width in zip(head.cells, header, widths):
            cell.width = width
            cell.paragraphs[0]._p.style = self.ids[TABLE_HEADING]
            cell.paragraphs[0].add_run(xml_safe(text))
        for row in rows:
            added = table.add_row()
            added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
            for cell, value, width in zip(added.cells, row, widths):
                cell.width = width
                cell.paragraphs[0]._p.style = self.ids[TABLE_TEXT]
                self.cited(TABLE_TEXT, (value,) if isinstance(value, str) else value, cell.paragraphs[0])

    def chart(self, plan: Plan, chart_id: str, caption: Para) -> None:
        fig = CHARTS[chart_id].build(plan, self.lang, ChartInputs())  # the plan's own targets: no what-if overlay
        png = figure_png(fig, CHART_WIDTH_PX, int(fig.layout.height or 460), CHART_SCALE)
        self.paragraph(FIGURE).add_run().add_picture(io.BytesIO(png), width=TEXT_WIDTH)
        self.cited(CAPTION, caption)

    def annex_entry(self, entry: AnnexEntry) -> None:
        lang = self.lang
        head = t("docx.annex.source", lang, publisher=entry.publisher, title=entry.title)
        head += t("docx.annex.date", lang, date=show_date(entry.date, lang)) if entry.date else t("docx.annex.no_date", lang)
        head += t("docx.annex.address", lang, address=entry.address) if entry.address else t("docx.annex.no_address", lang)
        if entry.marks:
            head += t("docx.annex.marks", lang, marks=t("docx.list_separator", lang).join(entry.marks))
        self.paragraph(ANNEX_ENTRY, f"[{entry.number}] {head}{t('docx.full_stop', lang)}")
        if entry.uses:
            self.paragraph(ANNEX_DETAIL, t("docx.annex.uses", lang, uses=t("docx.clause_separator", lang).join(entry.uses)))
        for quote in entry.quotes:
            self.paragraph(ANNEX_QUOTE, t("docx.annex.quote", lang, quote=quote))


def write_docx(content: ReportContent, *, progress: Progress | None = None) -> bytes:
    """Lay the content out; `progress` hears of each chart before it is drawn, and of the writing."""
    lang, plan = content.lang, content.plan
    total = len(content.charts) + 1
    doc = Document()
    _page_setup(doc)
    _set_styles(doc, lang)
    _footer(doc, lang)
    _update_fields_on_open(doc)
    doc.core_properties.title = core_property(f"{content.title} {content.subtitle}")
    doc.core_properties.subject = core_property(plan.meta.doc_number)
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-GB"
    out = _Writer(doc, lang)

    out.paragraph("Title", content.title)
    out.paragraph("Subtitle", content.subtitle)
    for line in content.info:
        out.paragraph(INFO, line)
    doc.add_page_break()
    toc_end = out.toc()
    doc.add_page_break()

    out.heading(t("docx.h.summary", lang), 1)
    for para in content.summary:
        out.cited(BODY, para)
    if content.overall:
        out.heading(t("docx.h.overall", lang), 2)
        for para in content.overall:
            out.cited(BODY, para)

    out.heading(t("docx.h.targets", lang), 1)
    out.paragraph(CAPTION, t("docx.table.targets", lang, number=1)).paragraph_format.keep_with_next = True
    out.table(
        content.target_header, [(r.name, r.worded, r.target, r.latest, r.baseline, r.status_label) for r in content.targets], TARGET_COLUMNS
    )
    notes = [note for row in content.targets for note in row.notes]
    if notes:
        out.heading(t("docx.h.table_notes", lang), 3)
        for note in notes:
            out.cited(NOTE, note)
    out.heading(t("docx.h.rules", lang), 3)
    for line in content.target_notes:
        out.paragraph(NOTE, line)
    if content.charts:
        out.heading(t("docx.h.charts", lang), 2)
    for done, chart in enumerate(content.charts, start=1):
        if progress:
            progress(done, total, t("docx.progress.chart", lang, number=done, title=CHARTS[chart.chart_id].title(lang)))
        out.chart(plan, chart.chart_id, chart.caption)

    out.heading(t("docx.h.tasks", lang), 1)
    for section in content.sections:
        out.heading(section.heading, 2)
        for task in section.tasks:
            out.heading(task.heading, 3)
            out.cited(TASK, task.paragraph)

    out.heading(t("docx.h.workload", lang), 1)
    out.cited(CAPTION, content.workload_caption).paragraph_format.keep_with_next = True
    out.table(content.workload_header, content.workload, WORKLOAD_COLUMNS)

    out.heading(t("docx.h.gaps", lang), 1)
    for line in content.gaps or [t("assessment.gaps.none", lang)]:
        out.paragraph(BULLET, line)

    doc.add_page_break()
    out.heading(t("docx.h.annex", lang), 1)
    out.paragraph(NOTE, t("docx.annex.intro", lang))
    for entry in content.annex:
        out.annex_entry(entry)

    if progress:
        progress(total, total, t("docx.progress.writing", lang))
    out.fill_toc(toc_end)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_report(
    plan: Plan,
    log: ProgressLog | None,
    reports: Sequence[AcceptedReport],
    lang: str,
    *,
    generated: dt.date,
    as_of: int | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The whole report for a plan, its progress log (None: no log for this plan) and the accepted agency reports."""
    content = report_content(plan, log, reports, lang, generated=generated, as_of=as_of)
    return write_docx(content, progress=progress)
