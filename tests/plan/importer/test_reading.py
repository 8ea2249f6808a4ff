"""The same plan read from every form it is published in, and every kind of bad file answered with a reason."""

from __future__ import annotations

import io
import zipfile
from functools import cache

import docx
import pytest

from components import paths
from components.plan.importer import ImportResult, Refusal, import_plan
from components.plan.importer.reading import MAX_BYTES, MAX_LINE_CHARS, read_source

SICHUAN = paths.DATA / "sources" / "action-plan-2022.txt"


@cache
def sichuan_text() -> str:
    return SICHUAN.read_text(encoding="utf-8")


def units_by_task(result: ImportResult) -> list[tuple[int, str, list[str], list[str]]]:
    plan = result.plan
    name = {a.id: a.name.zh for a in plan.agencies}
    return [(t.number, t.title.zh, [name[a] for a in t.lead], [name[a] for a in t.support]) for t in plan.tasks_in_order]


@cache
def expected() -> list[tuple[int, str, list[str], list[str]]]:
    result = import_plan(SICHUAN.read_bytes(), SICHUAN.name)
    assert isinstance(result, ImportResult)
    return units_by_task(result)


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table):
            for cell, text in zip(row.cells, cells):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- one plan, every form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("plan.txt", lambda text: text.encode("utf-8")),
        ("plan.txt", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),  # UTF-8 with a byte order mark
        ("plan.txt", lambda text: text.encode("gbk")),  # GBK, as many government sites still serve
        ("plan.txt", lambda text: text.encode("gb18030")),
        ("plan.txt", lambda text: text.encode("utf-16")),  # with its BOM
        ("plan.txt", lambda text: text.replace("\n", "\r\n").encode("utf-8")),  # Windows line ends
        ("plan.html", lambda text: ("<html><head><title>t</title><script>var a='一、假标题';</script></head><body>"
                                     + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>").encode("utf-8")),
        ("plan.htm", lambda text: ("<meta charset=gbk><div>" + "<br>".join(text.splitlines()) + "</div>").encode("gbk")),
        ("plan.docx", lambda text: docx_bytes(text.splitlines())),
        ("no-extension", lambda text: docx_bytes(text.splitlines())),  # a Word file is known by its bytes, not its name
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16", "crlf", "html", "htm-gbk", "docx", "docx-unnamed"],
)  # fmt: skip
def test_the_sichuan_plan_in_every_form(name, encode):
    result = import_plan(encode(sichuan_text()), name)
    assert isinstance(result, ImportResult), result
    assert units_by_task(result) == expected()
    assert result.plan.meta.doc_number == "川办发〔2022〕13号"


def test_encodings_are_detected():
    text = sichuan_text()
    assert read_source(text.encode("gbk"), "a.txt").encoding == "gb18030"
    assert read_source(b"\xef\xbb\xbf" + text.encode(), "a.txt").encoding == "utf-8"
    assert read_source(text.encode(), "a.txt").encoding == "utf-8"


def test_html_paragraphs_are_numbered_in_order_and_scripts_skipped():
    page = "<html><head><style>p{}</style></head><body><p>一、甲</p><script>1.假任务</script><div>二、乙<br>三、丙</div></body></html>"
    source = read_source(page.encode(), "a.html")
    assert [(line.number, line.text) for line in source.lines] == [(1, "一、甲"), (2, "二、乙"), (3, "三、丙")]


def test_word_tables_become_tab_separated_rows():
    source = read_source(docx_bytes(["附件"], [["序号", "任务", "牵头单位"], ["1", "甲", "市财政局"]]), "a.docx")
    assert [line.text for line in source.lines] == ["附件", "序号\t任务\t牵头单位", "1\t甲\t市财政局"]


# --- bad files: a reason, never an exception -------------------------------------------------------


def zip_with(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


HOSTILE = {
    "empty": (b"", "a.txt", "empty"),
    "blank": (b"  \n\r\n\t  \n", "a.txt", "empty"),
    "nul bytes": ("一、甲\x00乙".encode(), "a.txt", "binary"),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "a.txt", "binary"),
    "control characters": (bytes(range(1, 32)) * 200, "a.txt", "binary"),
    "not utf-8 nor gb18030": (b"\x81\x30\x81" * 100 + b"\xff", "a.txt", "encoding"),
    "pdf": (b"%PDF-1.7\n1 0 obj", "plan.pdf.txt", "pdf"),
    "old word": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "plan.doc", "doc"),
    "zip that is not word": (zip_with({"a.txt": b"hello"}), "a.docx", "not_docx"),
    "broken zip": (b"PK\x03\x04" + b"garbage" * 100, "a.docx", "not_docx"),
    "zip bomb": (zip_with({"word/document.xml": b"\0" * (65 * 1024 * 1024)}), "a.docx", "docx_bomb"),
    "zip of many entries": (zip_with({f"word/{i}.xml": b"" for i in range(2_100)} | {"word/document.xml": b""}), "a.docx", "docx_bomb"),
    "broken word xml": (zip_with({"word/document.xml": b"<w:document", "[Content_Types].xml": b"<x"}), "a.docx", "docx_unreadable"),
    "no chinese": (b"Just an English memo.\n1. Do things.\n", "a.txt", "no_chinese"),
    "chinese prose": ("这是一段没有编号的中文文字。\n另一段。".encode(), "a.txt", "no_items"),
    "numbered, no units": ("一、总则\n（一）目标。做好工作。\n1.任务。完成。".encode(), "a.txt", "no_responsibility"),
    "no year": ("一、任务\n1.甲。做事。（责任单位：市财政局）".encode(), "a.txt", "no_year"),
    "over the size limit": (b"a" * (MAX_BYTES + 1), "a.txt", "too_large"),
    "deep html": (b"<div>" * 500_000 + "一、甲".encode(), "a.html", "too_many_tags"),
    "too many lines": ("一、甲\n".encode() * 100_001, "a.txt", "too_many_lines"),
    "too many numbered paragraphs": (
        ("一、甲\n" + "".join(f"{i}.项。\n" for i in range(1, 1_001))).encode() * 21,
        "a.txt",
        "too_many_items",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_bad_file_is_refused_with_its_reason(case):
    raw, name, code = HOSTILE[case]
    result = import_plan(raw, name)
    assert isinstance(result, Refusal), f"{case}: not refused"
    assert result.code == code


def test_word_paragraph_xml_nested_too_deep_is_refused_in_words():
    good = docx_bytes(["一、甲"])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + b"<w:p>" * 5_000)
    result = import_plan(zip_with(parts), "deep.docx")
    assert isinstance(result, Refusal) and result.code == "docx_unreadable"


def test_a_single_enormous_line_is_cut_and_said_so():
    line = "一、任务" + "内容" * MAX_LINE_CHARS
    text = f"关于印发《甲方案》的通知\n到2025年，甲达到5%以上。\n{line}\n1.甲。做事。（责任单位：市财政局）\n"
    result = import_plan(text.encode(), "a.txt")
    assert isinstance(result, ImportResult)
    [cut] = [u for u in result.uncertainties if u.code == "line_cut"]
    assert cut.values["limit"] == MAX_LINE_CHARS


def test_words_numbered_by_word_itself_are_reported():
    document = docx.Document()
    for text in ["关于印发《甲方案》的通知", "到2025年，甲达到5%以上。", "一、任务", "甲。做事。（责任单位：市财政局）"]:
        document.add_paragraph(text, style="List Number" if text.startswith("甲") else None)
    document.add_paragraph("1.乙。做事。（责任单位：市财政局）")
    out = io.BytesIO()
    document.save(out)
    result = import_plan(out.getvalue(), "a.docx")
    assert isinstance(result, ImportResult)
    assert [u.values for u in result.uncertainties if u.code == "docx_auto_numbering"] == [{"count": 1}]


def test_plan_text_with_markup_stays_text_in_the_draft():
    text = (
        "关于印发《<script>alert(1)</script>方案》的通知\n到2025年，甲达到5%以上。\n一、任务\n"
        "1.<img src=x onerror=alert(1)>。做事。（责任单位：[x](javascript:alert(1))局、#注释: 值局）\n"
    )
    result = import_plan(text.encode(), "a.txt")
    assert isinstance(result, ImportResult)
    assert result.plan.meta.title.zh == "<script>alert(1)</script>方案"
    assert [a.name.zh for a in result.plan.agencies] == ["[x](javascript:alert(1))局", "#注释: 值局"]
    assert result.plan.tasks[0].title.zh == "<img src=x onerror=alert(1)>"
