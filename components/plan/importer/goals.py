"""Quantitative targets in a plan's goals paragraph: 到2025年 … 达到2.5%左右 … 超过1.6万家 … 累计超过6000亿元.

Each target keeps its quote. A quantity without a comparator (达到/超过/以上/左右/累计…) is not
read as a target; one without a target year, or a limit (不超过, 控制在, 下降) that the plan model
cannot hold, is reported instead of put in the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.plan.importer.outline import year_digits
from components.plan.importer.reading import BLANK
from components.plan.model import Comparator, QuantityKind

MAX_GOALS_CHARS = 20_000
GOALS_TITLE = re.compile(r"目标")
YEAR = re.compile(
    r"(?:到|至|截至|截止到?|截止至)\s*((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年(?:底|末)?|(?:^|[。；;，,])\s*((?:19|20)\d{2})\s*年(?:底|末)?\s*[，,]"
)
UNITS = (
    "个百分点|万亿元|亿元|万元|元|亿千瓦|万千瓦|千瓦|亿吨|万吨|吨|万平方米|平方米|平方公里|公里|千米|公顷|万亩|亩|"
    "万人次|人次|万人|人|名|万户|户|家|件|个|座|处|项|所|场|台|套|辆|篇|次|条|张|床|%|％"
)
QUANTITY = re.compile(
    r"(?P<before>累计超过|累计达到|累计突破|累计|超过|突破|高于|大于|多于|达到|达|不低于|不少于|提高到|提高至|提升到|提升至|增加到|增至|增长到|稳定在|保持在|"
    r"不超过|不高于|低于|控制在|下降到|下降至|下降|减少)?\s*"
    rf"(?P<number>\d+(?:\.\d+)?)\s*(?P<mult>万|亿)?\s*(?P<unit>{UNITS})(?P<after>以上|左右|以内|以下)?"
)
COUNT_UNITS = {"人", "名", "户", "家", "件", "个", "座", "处", "项", "所", "场", "台", "套", "辆", "篇", "次", "条", "张", "床", "人次"}
FOLLOW = re.compile(rf"\s*[和及、]\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<mult>万|亿)?\s*(?P<unit>{UNITS})(?P<after>以上|左右|以内|以下)?")
LIMITS = {"不超过", "不高于", "低于", "控制在", "下降到", "下降至", "下降", "减少", "以内", "以下"}
CLAUSE_STOPS = "，,；;。：:"


@dataclass(frozen=True)
class FoundTarget:
    name: str  # the words before the comparator: 全社会研发投入强度
    quote: str  # the clause as written
    value: float
    decimals: int
    unit: str
    comparator: Comparator | None  # None: a limit the model cannot hold
    comparator_text: str
    kind: QuantityKind
    year: int | None
    position: int  # where the quantity starts in the text read: tells which line it is on


AFTER_QUANTITY = re.compile(rf"(?:\d|{UNITS}|以上|左右|以内|以下)$")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the last stop before to the next stop after.

    A 、 ends a clause only after a quantity (超过38%、高新技术企业数量超过1.6万家); in 马铃薯种植、收获机械化率 it joins names.
    """
    left = max(text.rfind(ch, 0, start) for ch in CLAUSE_STOPS) + 1
    position = text.rfind("、", left, start)
    while position >= left:
        if AFTER_QUANTITY.search(text[left:position]):
            left = position + 1
            break
        position = text.rfind("、", left, position)
    stops = [text.find(ch, end) for ch in CLAUSE_STOPS + "、"]
    right = min([s for s in stops if s >= 0], default=len(text))
    return left, right


def _tidy(text: str) -> str:
    """The clause without what a cut quotation left: 实现“重点引进…左右 → 重点引进…左右; 40%”的三大… → 40%."""
    text = text.strip(BLANK + "，,")
    if text.count("“") > text.count("”"):
        text = text[text.rindex("“") + 1 :]
    if text.count("”") > text.count("“"):
        text = text[: text.index("”")]
    return text.strip(BLANK)


def targets_in(text: str) -> list[FoundTarget]:
    """Every quantity with a comparator in a goals paragraph, with the target year that governs it."""
    text = text[:MAX_GOALS_CHARS]
    years = [(m.start(), year_digits(m.group(1) or m.group(2))) for m in YEAR.finditer(text)]
    found: list[FoundTarget] = []
    consumed = 0
    for match in QUANTITY.finditer(text):
        if match.start() < consumed:
            continue
        before, after = match.group("before") or "", match.group("after") or ""
        values = [match]
        position = match.end()
        while before and (follow := FOLLOW.match(text, position)):  # 分别达到65%和55%: one comparator, several values
            values.append(follow)
            position = consumed = follow.end()
            after = follow.group("after") or after
        if not before and not after:
            continue
        found += _targets(text, match, values, before, after, years)
    return found


def _targets(
    text: str, match: re.Match, values: list[re.Match], before: str, after: str, years: list[tuple[int, int]]
) -> list[FoundTarget]:
    """One comparator and the values it governs (one, or several: 分别达到65%和55%), sharing the clause as their quote."""
    left, right = _clause(text, match.start(), values[-1].end())
    quote = _tidy(text[left:right])
    name = re.sub(r"^其中", "", _tidy(text[left : match.start()]))
    if len(re.findall(r"[\u4e00-\u9fff]", name)) < 4:  # 形成50个以上…: the words before the number name nothing
        name = quote
    year = next((y for position, y in reversed(years) if position < match.start()), None)
    words = {before, after} - {""}
    if words & LIMITS:
        comparator, word = None, before or after
    elif "左右" in words:
        comparator, word = Comparator.about, "左右"
    elif before.startswith("累计"):
        comparator, word = Comparator.cumulative_exceed, before
    elif before in {"超过", "突破", "高于", "大于", "多于"}:
        comparator, word = Comparator.exceed, before
    else:
        comparator, word = Comparator.reach, before or after
    found = []
    for value_match in values:
        number = value_match.group("number")
        value = float(number)
        unit = value_match.group("unit").replace("％", "%")
        mult = value_match.group("mult") or ""
        ten_thousands = mult == "万" and unit in COUNT_UNITS  # 1.6万家 → 16000 家; 6000亿元 keeps its unit
        value = value * 10_000 if ten_thousands else value
        unit = unit if ten_thousands else mult + unit
        if comparator is Comparator.cumulative_exceed:
            kind = QuantityKind.cumulative
        elif unit in {"%", "个百分点"}:
            kind = QuantityKind.share
        elif unit in COUNT_UNITS:
            kind = QuantityKind.count
        else:
            kind = QuantityKind.level
        decimals = 0 if ten_thousands or "." not in number else min(len(number.split(".")[1]), 4)
        found.append(FoundTarget(name, quote, value, decimals, unit, comparator, word, kind, year, value_match.start()))
    return found
