"""Numbered lines → the document's outline: items (一、 （一） 1. （1） ①), the preamble before them, the tail after.

The levels follow the official numbering order (GB/T 9704: 一、 → （一） → 1. → （1）), whatever
level a plan's tasks sit at. A line that starts like a number but breaks the count (a page break
before "2.5%…", "3.建设…" in mid-sentence) is read as the previous item's text unless the line
before it ended a sentence; either way, a gap in the count is reported. Everything here is one
pass over the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from components.plan.importer.reading import SourceLine

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN = "一二三四五六七八九十百零〇"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (style, pattern); the order is the numbering hierarchy, outermost first
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第\s*([{CN}]{{1,4}}|\d{{1,3}})\s*(?:章|部分|篇)\s*")),
    ("cn", re.compile(rf"^([{CN}]{{1,4}})\s*[、．.]\s*")),
    ("pcn", re.compile(rf"^[（(]\s*([{CN}]{{1,4}})\s*[）)]\s*[、，,．.]?\s*")),
    ("num", re.compile(r"^(\d{1,4})\s*[．.、]\s*")),
    ("pnum", re.compile(r"^[（(]\s*(\d{1,4})\s*[）)]\s*[、，,．.]?\s*")),
    ("circled", re.compile(rf"^([{CIRCLED}])\s*")),
)
LEVEL = {style: index for index, (style, _) in enumerate(STYLES)}
SENTENCE_END = tuple("。；;！!？?：:）)〕]】")
CN_NUMBER = rf"(?:\d{{1,2}}|[{CN}]{{1,3}})"
DATE_LINE = re.compile(rf"^((?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})\s*年\s*({CN_NUMBER})\s*月\s*({CN_NUMBER})\s*日$")
ANNEX_LINE = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*(?:[:：].*)?$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")
MAX_TITLE = 80
MAX_ITEMS = 20_000  # numbered paragraphs; a plan of 9,999 tasks has fewer, a hostile file stops here


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits pass through; anything else → None."""
    if text.isdigit():
        return int(text)
    if text in CIRCLED:
        return CIRCLED.index(text) + 1
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    total += current
    return total or None


def year_digits(text: str) -> int:
    """2022, or 二〇二二 read digit by digit."""
    return int(text) if text.isdigit() else int("".join(str(CN_DIGITS[ch]) for ch in text))


@dataclass(eq=False)  # items are compared by identity: a field-by-field comparison would walk whole subtrees
class Item:
    """One numbered paragraph and the unnumbered lines after it."""

    style: str
    number: int
    label: str  # the marker as written: "（一）", "1.", "一、"
    head: str  # the first line after the marker
    lines: list[SourceLine]  # the first line (whole) and the following unnumbered ones
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)

    @property
    def level(self) -> int:
        return LEVEL[self.style]

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number

    def title(self) -> tuple[str, bool]:
        """The heading: the first line up to its first full stop; (text, True) when it had to be cut or stood in for."""
        head = self.head.strip()
        stop = head.find("。", 0, MAX_TITLE + 1)
        if stop > 0:
            return head[:stop].strip(), False
        if 0 < len(head.rstrip("：:")) <= MAX_TITLE and stop < 0:
            return head.rstrip("：:"), False
        text = head.strip("。．.：: ")
        if not text:
            return self.label, True  # "1.。" names nothing: the number stands in
        return text[:MAX_TITLE].rstrip() + ("…" if len(text) > MAX_TITLE else ""), True

    def path_label(self) -> str:
        """The numbering from the top: 四（一）, 二（三）2."""
        parts = []
        item: Item | None = self
        while item is not None:
            parts.append(item.label.rstrip("、，,．. "))
            item = item.parent
        return "".join(reversed(parts))


@dataclass
class Outline:
    preamble: list[SourceLine]
    items: list[Item]  # in document order
    tail: list[SourceLine]  # after the body: signature, date, 此件公开发布, annexes
    end_date: tuple[int, int, int] | None  # the date line that closed the body
    signature: str | None  # the line just before that date
    annex: list[SourceLine]  # lines from the first 附件 line on
    gaps: list[tuple[int, str, int, int]]  # (line, style, expected, found): numbering out of sequence


def match_marker(text: str) -> tuple[str, int, str, str, bool] | None:
    """(style, number, marker as written, rest of the line, weak) when the line starts with a number, else None.

    A marker is weak when a digit follows "N.": "11.121人才梯队项目" is item 11, "1.6万家…" after a page break is not.
    """
    for style, pattern in STYLES:
        found = pattern.match(text)
        if found:
            number = cn_number(found.group(1))
            rest = text[found.end() :].strip()
            if number is None or not rest:
                return None
            weak = style == "num" and found.group(0).rstrip()[-1] in ".．" and rest[0].isdigit()
            return style, number, found.group(0).strip(), rest, weak
    return None


def parse_date(text: str) -> tuple[int, int, int] | None:
    found = DATE_LINE.match(re.sub(r"\s+", "", text))
    if not found:
        return None
    year = year_digits(found.group(1))
    month, day = cn_number(found.group(2)), cn_number(found.group(3))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def is_signature(text: str) -> bool:
    """A short line without sentence punctuation: an issuing body's name above a date."""
    return len(text) <= 40 and not re.search(r"[。，；：:,;！？]", text) and match_marker(text) is None


def build_outline(lines: tuple[SourceLine, ...]) -> Outline:
    preamble: list[SourceLine] = []
    items: list[Item] = []
    tail: list[SourceLine] = []
    annex: list[SourceLine] = []
    gaps: list[tuple[int, str, int, int]] = []
    last_of_style: dict[str, int] = {}
    stack: list[Item] = []  # the open items, outermost first
    end_date = None
    signature = None
    previous_text = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text
        if items:
            date = parse_date(text)
            if date is not None or ANNEX_LINE.match(text):
                break
        marker = match_marker(text)
        if marker is not None:
            style, number, label, rest, weak = marker
            # under the same parent the count goes on by one; under a new parent it starts at 1 or carries on
            last = last_of_style.get(style)
            sibling_open = any(item.style == style for item in stack)
            expected = (last or 0) + 1
            in_sequence = last is None or number == expected or (not sibling_open and number == 1)
            ended = previous_text.endswith(SENTENCE_END) or not items
            if weak and not (in_sequence and ended):
                marker = None  # "1.6万家…": a decimal number at the start of a line
            elif not in_sequence and not ended:
                marker = None  # a page break before "3.建设…" in mid-sentence: the previous item's text
            elif not in_sequence:
                gaps.append((line.number, style, expected, number))
        if marker is not None:
            style, number, label, rest, _ = marker
            level = LEVEL[style]
            while stack and stack[-1].level >= level:
                stack.pop()
            item = Item(style, number, label, rest.strip(), [line], parent=stack[-1] if stack else None)
            if item.parent is not None:
                item.parent.children.append(item)
            last_of_style[style] = number
            stack.append(item)
            items.append(item)
            if len(items) > MAX_ITEMS:
                break
        elif items:
            stack[-1].lines.append(line)
        else:
            preamble.append(line)
        previous_text = text
        index += 1

    rest = list(lines[index:])
    if rest:
        date = parse_date(rest[0].text)
        if date is not None:
            end_date = date
            last_lines = stack[-1].lines if stack else []
            if last_lines and len(last_lines) > 1 and is_signature(last_lines[-1].text):
                signature = last_lines.pop().text
        for position, line in enumerate(rest):
            if ANNEX_LINE.match(line.text):
                tail, annex = rest[:position], rest[position:]
                break
        else:
            tail = rest
    return Outline(preamble, items, tail, end_date, signature, annex, gaps)


def joined(lines: list[SourceLine]) -> str:
    """Lines of one paragraph as one text: a page break falls mid-sentence, so Chinese joins without a space."""
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and line.text[0].isascii() and line.text[0].isalnum():
            out += " "
        out += line.text
    return out


def preamble_facts(preamble: list[SourceLine], title_hint: str | None) -> dict:
    """Title, document number, issuer, date and the purpose sentence, where the text before the first item gives them."""
    facts: dict = {"title": None, "doc_number": None, "issuer": None, "date": None, "purpose": None, "title_line": None}
    texts = [line.text for line in preamble]
    head = "".join(texts[:12])
    for line in preamble[:60]:
        found = DOC_NUMBER.search(line.text)
        if found:
            facts["doc_number"] = re.sub(r"\s+", "", found.group(0))
            break
    notice = re.search(r"关于印发[《〈“\"]?(.+?)[》〉”\"]?的通知", head)
    if notice:
        facts["title"] = notice.group(1).strip()
    else:
        heading: list[str] = []
        for line in preamble[:6]:
            if DOC_NUMBER.fullmatch(re.sub(r"\s+", "", line.text)) or parse_date(line.text) or not is_signature(line.text):
                break
            heading.append(line.text)
        if heading:
            facts["title"] = "".join(heading)
    if facts["title"] is None and title_hint:
        facts["title"] = title_hint
    for position, line in enumerate(preamble):
        date = parse_date(line.text)
        if date is not None:
            facts["date"] = date
            if position > 0 and is_signature(preamble[position - 1].text):
                facts["issuer"] = preamble[position - 1].text
            break
    for line in reversed(preamble):
        if re.search(r"(制定本|特制定|现提出|提出以下|提出如下|制定如下)", line.text) or (
            line.text.startswith("为") and line.text.endswith("。")
        ):
            facts["purpose"] = line.text
            break
    return facts
