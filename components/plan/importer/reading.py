"""A plan file's bytes → numbered lines of text: plain text (UTF-8 or GB18030), HTML as published, or a Word .docx.

Any bytes may arrive (an upload, a hostile file), so every limit is checked before the work it
bounds, and every way of failing is a `Refusal` with a reason, never an exception. Line numbers
are those a person finds in the file: a text file's line; for HTML and .docx, the paragraph's
position in the document (a published page often holds its whole body on one source line).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

MAX_BYTES = 8 * 1024 * 1024
MAX_LINES = 100_000
MAX_HTML_TAGS = 400_000  # a published plan page has a few thousand; the parser costs ~10 µs a tag
MAX_LINE_CHARS = 200_000  # a longer "line" is cut there (a hostile one-line file); the cut is reported
DOCX_MAX_ENTRIES = 2_000
DOCX_MAX_UNPACKED = 64 * 1024 * 1024  # the sum of the declared sizes; zipfile never reads past a declared size
DOCX_MAX_RATIO = 200  # unpacked ÷ packed size of one entry above this (and large) is a zip bomb

HTML_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl", "center", "body", "html", "form",
}  # fmt: skip
HTML_SKIPPED = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "select", "textarea"}
HTML_CELLS = {"td", "th"}  # "table" and "tr" are handled as structure, not as paragraph breaks
BLANK = " \t\r\n\f\v\u3000\xa0\u2002\u2003\u200b\ufeff"


@dataclass(frozen=True)
class Refusal:
    """Why a file could not be read as a plan: an i18n key under `import.refused.` and the values it names."""

    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str  # stripped of surrounding blanks; never empty


@dataclass(frozen=True)
class SourceText:
    name: str
    kind: str  # "text", "html" or "docx"
    encoding: str  # as decoded ("utf-8", "gb18030", …; "docx" for Word files)
    lines: tuple[SourceLine, ...]
    title_hint: str | None = None  # an HTML <title> or a Word file's title property
    notes: tuple[tuple[str, dict], ...] = ()  # (code, values) of things noticed while reading, reported as uncertainties


def kind_of(raw: bytes, name: str) -> str:
    """ "docx", "html", "text", or a refusal code for formats that cannot be read: sniffed from the bytes, the name only decides ties."""
    suffix = PurePath(name).suffix.lower()
    head = raw[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    start = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        start.startswith(b"<") and re.search(rb"<(p|div|body|table|tbody|td)\b", start)
    ):
        return "html"
    return "text"


def decode(raw: bytes) -> tuple[str, str] | Refusal:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (a superset of GBK and GB2312)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in raw:
            return Refusal("binary")
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:100_000] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
        if controls > max(8, len(text[:100_000]) // 100):
            return Refusal("binary")
        return text, encoding.replace("-sig", "")
    return Refusal("encoding")


def _lines(numbered: list[tuple[int, str]]) -> tuple[tuple[SourceLine, ...], list[tuple[str, dict]]]:
    """Strip each line, drop empty ones, bound their number and length."""
    notes: list[tuple[str, dict]] = []
    out: list[SourceLine] = []
    for number, text in numbered:
        text = text.strip(BLANK)
        if not text:
            continue
        if len(text) > MAX_LINE_CHARS:
            notes.append(("line_cut", {"line": number, "chars": len(text), "limit": MAX_LINE_CHARS}))
            text = text[:MAX_LINE_CHARS]
        out.append(SourceLine(number, text))
        if len(out) > MAX_LINES:
            break
    return tuple(out), notes


def read_text(text: str) -> list[tuple[int, str]]:
    return [(i, line) for i, line in enumerate(text.splitlines(), start=1)]


class _HtmlText(HTMLParser):
    """Paragraph text of an HTML page, numbered in order (¶1, ¶2, …); a table row is one line of tab-separated cells.

    A cell's own paragraphs (`<td><p>甲</p><p>乙</p></td>`) stay in the cell, and a cell spanning rows
    (`rowspan`) leaves an empty cell in the rows below, so columns stay aligned. The standard parser
    builds no tree and never recurses, so deep nesting costs nothing; nothing is fetched.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.tables = 0  # nesting depth; only the outermost table's rows and cells are structure
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)  # (rowspan, colspan) of the open cell
        self.spanned: dict[int, int] = {}  # column → rows still covered by a cell above

    def add_line(self, text: str) -> None:
        if text.strip(BLANK + "\t"):
            self.lines.append((len(self.lines) + 1, text))

    def flush(self) -> None:
        self.add_line(re.sub(r"[ \t\r\n\f\v]+", " ", "".join(self.parts)).strip(BLANK))
        self.parts = []

    def fill_spanned(self) -> None:
        while self.row is not None and self.spanned.get(len(self.row)):
            self.spanned[len(self.row)] -= 1
            self.row.append("")

    def close_cell(self) -> None:
        if self.row is None or self.cell is None:
            return
        self.fill_spanned()
        rows, columns = self.cell_span
        for offset in range(columns):
            if rows > 1:
                self.spanned[len(self.row)] = rows - 1
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip(BLANK) if offset == 0 else "")
        self.cell = None

    def close_row(self) -> None:
        self.close_cell()
        if self.row is not None:
            self.fill_spanned()
            self.add_line("\t".join(self.row))
        self.row = None

    @staticmethod
    def span(attrs, name: str, limit: int) -> int:
        value = dict(attrs).get(name) or "1"
        return min(int(value), limit) if value.isdigit() and int(value) > 0 else 1

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self.in_title = True
        if tag in HTML_SKIPPED:
            self.skip_depth += 1
        elif tag == "table":
            self.tables += 1
            if self.tables == 1:
                self.flush()
                self.spanned = {}
        elif self.tables == 1 and tag == "tr":
            self.close_row()
            self.row = []
        elif self.tables == 1 and tag in HTML_CELLS:
            self.close_cell()
            if self.row is None:
                self.row = []
            self.fill_spanned()
            self.cell = []
            self.cell_span = (self.span(attrs, "rowspan", 1_000), self.span(attrs, "colspan", 50))
        elif self.cell is not None:
            self.cell.append(" ")  # a paragraph or line break inside a cell stays in the cell
        elif tag in HTML_BLOCKS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs) -> None:
        if self.cell is not None:
            self.cell.append(" ")
        elif tag in HTML_BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in HTML_SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "table":
            if self.tables == 1:
                self.close_row()
            self.tables = max(0, self.tables - 1)
        elif self.tables == 1 and tag == "tr":
            self.close_row()
        elif self.tables == 1 and tag in HTML_CELLS:
            self.close_cell()
        elif self.cell is None and tag in HTML_BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.skip_depth:
            return
        elif self.cell is not None:
            self.cell.append(data)
        else:
            self.parts.append(data.replace("\t", " "))


def read_html(text: str) -> tuple[list[tuple[int, str]], str | None]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    parser.close_row()
    parser.flush()
    title = re.sub(r"\s+", " ", parser.title).strip(BLANK) or None
    return parser.lines, title


def _docx_refusal(raw: bytes) -> Refusal | None:
    """Check the archive before python-docx opens it: entry count, declared sizes, compression ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
            if len(entries) > DOCX_MAX_ENTRIES:
                return Refusal("docx_bomb", {"detail": f"{len(entries):,} entries"})
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > DOCX_MAX_UNPACKED:
                return Refusal("docx_bomb", {"detail": f"{unpacked:,} bytes unpacked"})
            for entry in entries:
                if entry.file_size > 1_000_000 and entry.file_size > DOCX_MAX_RATIO * max(1, entry.compress_size):
                    return Refusal("docx_bomb", {"detail": f"{entry.filename}: {entry.file_size:,} bytes from {entry.compress_size:,}"})
            if "word/document.xml" not in {entry.filename for entry in entries}:
                return Refusal("not_docx")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return Refusal("not_docx")
    return None


def read_docx(raw: bytes) -> tuple[list[tuple[int, str]], str | None, list[tuple[str, dict]]] | Refusal:
    """Body paragraphs and table rows in document order, numbered by position; automatic list numbers are not text."""
    refusal = _docx_refusal(raw)
    if refusal is not None:
        return refusal
    import docx  # python-docx: imported here so that reading text or HTML does not load it
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        lines: list[tuple[int, str]] = []
        auto_numbered = 0
        for position, child in enumerate(document.element.body.iterchildren(), start=1):
            if child.tag == qn("w:p"):
                paragraph = Paragraph(child, document)
                lines.append((position, paragraph.text))
                numbering = f"{qn('w:pPr')}/{qn('w:numPr')}"  # on the paragraph, or on its style (List Number)
                style = paragraph.style.element if paragraph.style is not None else None
                if paragraph.text.strip() and (
                    child.find(numbering) is not None or (style is not None and style.find(numbering) is not None)
                ):
                    auto_numbered += 1
            elif child.tag == qn("w:tbl"):
                for row in Table(child, document).rows:
                    cells: list[str] = []
                    seen: list = []
                    for cell in row.cells:
                        if any(cell._tc is other for other in seen):  # private-api: python-docx repeats a merged cell
                            continue
                        seen.append(cell._tc)
                        cells.append(re.sub(r"\s+", " ", cell.text).strip())
                    lines.append((position, "\t".join(cells)))
            if len(lines) > MAX_LINES:
                break
        title = (document.core_properties.title or "").strip() or None
    except Exception as error:  # untrusted file, third-party parser (zip, XML, OPC): any failure is the file's, reported in words
        return Refusal("docx_unreadable", {"detail": type(error).__name__})
    notes = [("docx_auto_numbering", {"count": auto_numbered})] if auto_numbered else []
    return lines, title, notes


def read_source(raw: bytes, name: str) -> SourceText | Refusal:
    """The one road from an uploaded or named file's bytes to numbered lines."""
    if len(raw) > MAX_BYTES:
        return Refusal("too_large", {"size": len(raw), "limit": MAX_BYTES})
    if not raw.strip(b" \t\r\n\f\v\x00"):
        return Refusal("empty")
    kind = kind_of(raw, name)
    if kind in {"pdf", "doc"}:
        return Refusal(kind)
    notes: list[tuple[str, dict]] = []
    title = None
    if kind == "docx":
        result = read_docx(raw)
        if isinstance(result, Refusal):
            return result
        numbered, title, notes = result
        encoding = "docx"
    else:
        decoded = decode(raw)
        if isinstance(decoded, Refusal):
            return decoded
        text, encoding = decoded
        if kind == "html":
            if raw.count(b"<") > MAX_HTML_TAGS:
                return Refusal("too_many_tags", {"limit": MAX_HTML_TAGS})
            numbered, title = read_html(text)
        else:
            numbered = read_text(text)
    lines, cut = _lines(numbered)
    if len(lines) > MAX_LINES:
        return Refusal("too_many_lines", {"limit": MAX_LINES})
    if not lines:
        return Refusal("empty")
    if not any("\u4e00" <= ch <= "\u9fff" for line in lines[:2000] for ch in line.text[:2000]):
        return Refusal("no_chinese")
    return SourceText(name, kind, encoding, lines, title, tuple(notes + cut))
