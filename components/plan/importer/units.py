"""Responsibility statements → lead and supporting units, by the rule the text itself states.

A statement is a bracketed `（责任单位：…）`, `（A、B负责）`, `（A牵头，B参与）` or a trailing
`责任单位：…` clause. Each task's own labels (牵头单位：/配合单位：, A牵头) decide its roles; an
unlabelled list follows the document's rule: the first-listed unit leads (排在第一位的部门为牵头部门,
列第一位者为牵头单位), or the units before the first comma do (逗号前为牵头单位). With no stated
rule every listed unit is responsible and none is marked lead: a comma is then only punctuation.
Names are kept exactly as written; a generic unit that itself contains 、 (各区、县级市) stays whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from components.plan.importer.reading import BLANK
from components.plan.model import AgencyKind, LeadRule

OPEN = "(（〔[［【"
CLOSE = ")）〕]］】"
COMMAS = "，,"
SEPARATORS = "，,；;"
MAX_STATEMENT = 1_500

LABELS = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "主责单位": "lead",
    "主责部门": "lead",
    "主办单位": "lead",
    "配合单位": "support",
    "配合部门": "support",
    "参与单位": "support",
    "参与部门": "support",
    "协同单位": "support",
    "协同部门": "support",
    "协办单位": "support",
    "协助单位": "support",
    "协作单位": "support",
    "参加单位": "support",
    "责任单位": "plain",
    "责任部门": "plain",
    "责任主体": "plain",
    "实施单位": "plain",
    "承办单位": "plain",
    "落实单位": "plain",
}
# a label is its words and a colon wherever they stand (lines joined across 牵头单位：A / 配合单位：B); without the colon,
# 各项目牵头单位 is a unit's name, not a label
LABEL = re.compile(r"(" + "|".join(LABELS) + r")\s*[：:]")
OTHER_LABEL = re.compile(r"[，,；;。\s]*(?:完成时限|完成时间|时间节点|时间安排|进度安排|时限要求|时限|备注)\s*[：:]")
LEAD_VERB = re.compile(r"^由?(?P<lead>.+?)牵头(?:负责)?(?=[，,；;]|$)[，,；;]?(?P<rest>.*)$")
RULES: tuple[tuple[LeadRule, re.Pattern[str]], ...] = (
    (
        LeadRule.first_listed,
        re.compile(r"(?:排在|列在|排|列)?(?:第一位|第一个|首位|首个|最前)(?:的|者)?(?:部门|单位)?(?:为|是)牵头(?:部门|单位)"),
    ),
    (LeadRule.first_listed, re.compile(r"排名第一的?(?:部门|单位)?(?:为|是)牵头(?:部门|单位)?")),
    (LeadRule.before_comma, re.compile(r"逗号(?:之)?前(?:面)?的?(?:部门|单位)?(?:为|是)牵头(?:部门|单位)?")),
)
OTHER_RULE = re.compile(r"(?:为|是)牵头(?:部门|单位)")  # some other way of saying who leads: reported, never applied
ROLE_TAIL = re.compile(r"(?:按职责分工负责|按职责分工|按职责负责|分别负责|共同负责|负责落实|负责|参与|配合|参加|协同|协助|配合实施)$")
UNIT_ROLE = re.compile(r"(?<=[部委局厅办署府会])(?:指导|负责落实|负责|牵头|配合|参与|协助)$")
OPEN_ENDED = re.compile(r"等(?:有关|相关|其他)?(?:部门和单位|部门|单位|机构|地方)?$")
AND_GROUP = re.compile(r"等和(?=各|有关|相关)")
DEADLINE = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年|\d{1,2}月|持续|长期|完成|年底|年内|前$")
NOT_A_UNIT = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年|持续推进|长期坚持|年底前|年内完成|\d{1,2}\s*月底?前")
GROUP_START = re.compile(r"^(?:各|有关|相关|其他|其它|全体)")
GROUP_WORDS = re.compile(r"有关部门|相关部门|有关单位|相关单位|各部门|各单位|各级|各有关|各相关")
ADMIN = r"(?:省|市|区|县|州|盟|旗|乡|镇|街道|县级市|自治州|自治县|地区|新区|园区|开发区|功能区|[（(][市县区州、]+[）)])"
BARE_ADMIN = re.compile(rf"^(?:各有关|各相关|各|有关|相关)?{ADMIN}+(?:人民政府|政府|党委|管委会|有关部门|相关部门)?$")


def key_of(name: str) -> str:
    """Two spellings of one unit (full- or half-width brackets, stray spaces) share a key; the name keeps its spelling."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def bracket_groups(text: str) -> list[tuple[int, int, str]]:
    """Top-level bracketed groups (start, end, inner text), any opener closing with any closer: 〔责任单位：…有关市(州)人民政府]."""
    groups = []
    depth = 0
    start = 0
    for index, ch in enumerate(text):
        if ch in OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1, text[start + 1 : index]))
    return groups


def split_top(text: str, delimiters: str) -> list[str]:
    """Split at delimiters outside brackets (县（市、区） keeps its 、); empty parts dropped."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in delimiters:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [part.strip(BLANK) for part in parts if part.strip(BLANK)]


@dataclass
class Units:
    names: list[str] = field(default_factory=list)
    open_ended: list[str] = field(default_factory=list)  # "等有关部门" and the like, as written


def units_of(part: str, found: Units) -> None:
    """One comma-free stretch → names; 各区、县级市 stays one generic unit; a trailing 等… is open-ended, not a unit."""
    pieces: list[str] = []
    for piece in split_top(part, "、"):
        pieces += [p.strip(BLANK) for p in AND_GROUP.split(piece) if p.strip(BLANK)]
    merged: list[str] = []
    for piece in pieces:
        if merged and GROUP_START.match(merged[-1]) and BARE_ADMIN.match(merged[-1].split("、")[0]) and BARE_ADMIN.match(piece):
            merged[-1] += "、" + piece
        else:
            merged.append(piece)
    for name in merged:
        name = UNIT_ROLE.sub("", name.strip(BLANK + "：:。．."))  # 生态环境部指导 → 生态环境部
        if name.startswith("由"):
            name = name[1:]
        tail = OPEN_ENDED.search(name)
        if tail and tail.start() > 0:
            found.open_ended.append(name[tail.start() :])
            name = name[: tail.start()]
        if name and not NOT_A_UNIT.search(name):  # 2025年底前完成, 持续推进: when, not who
            found.names.append(name)


def flat_units(text: str) -> Units:
    found = Units()
    for part in split_top(text, SEPARATORS):
        units_of(part, found)
    return found


@dataclass
class Statement:
    """One responsibility statement as the text gives it, before the document's rule is applied."""

    written: str  # as written, brackets included
    start: int  # offsets in the task's text
    end: int
    lead_text: str | None = None  # labelled: 牵头单位：… / A牵头
    support_text: str | None = None
    plain_text: str | None = None  # an unlabelled list: the document's rule decides
    rule: LeadRule | None = None  # a rule stated inside this statement
    other_rule: bool = False  # a rule phrase the importer does not know
    rule_quote: str | None = None
    applies_below: bool = False  # 下同
    notes: list[str] = field(default_factory=list)


def _cut_rule(content: str) -> tuple[str, LeadRule | None, bool, str | None]:
    """Take a rule sentence (逗号前为牵头单位，下同) off the end of a statement."""
    rule: LeadRule | None = None
    found = None
    for candidate, pattern in RULES:
        found = pattern.search(content)
        if found:
            rule = candidate
            break
    if found is None:
        found = OTHER_RULE.search(content)
    if not found:
        return content, None, False, None
    before = content[: found.start()]
    cut = max((before.rfind(ch) for ch in "，,。；;"), default=-1)
    cut = cut if cut >= 0 else 0
    return content[:cut], rule, rule is None, content[cut:].strip(BLANK + "，,。；;")


def _cut_role(text: str) -> str:
    """`A、B负责，2025年底前完成` → `A、B负责`: a deadline after the role word is not a unit."""
    position = text.rfind("负责")
    if position >= 0 and position + 2 < len(text):
        rest = text[position + 2 :].strip(BLANK + "，,；;。")
        if rest and DEADLINE.search(rest):
            return text[: position + 2]
    return text


def read_statement(content: str, start: int, end: int, written: str) -> Statement | None:
    """A bracket's content → a Statement, or None when it is not about responsibility (（此件公开发布）, （县级市）)."""
    compact = re.sub(r"\s+", "", content)
    if not compact or len(compact) > MAX_STATEMENT:
        return None
    core, rule, other, quote = _cut_rule(content.strip(BLANK))
    statement = Statement(written, start, end, rule=rule, other_rule=other, rule_quote=quote)
    if quote and "下同" in quote:
        statement.applies_below = True
    other = OTHER_LABEL.search(core)  # （责任单位：A；完成时限：2025年底）: what follows is not a unit
    core = core[: other.start()] if other else core
    sentences = split_top(core, "。")
    units_text = _cut_role(sentences[0]) if sentences else ""
    statement.notes = [s for s in sentences[1:] if s not in {"下同", "以下同"}]
    labels = list(LABEL.finditer(units_text))
    if labels and (labels[0].start() == 0 or any(LABELS[m.group(1)] != "plain" for m in labels)):
        has_lead_label = any(LABELS[m.group(1)] == "lead" for m in labels)
        roles = {"lead": [], "support": []}
        for index, match in enumerate(labels):
            stop = labels[index + 1].start() if index + 1 < len(labels) else len(units_text)
            segment = units_text[match.end() : stop].strip(BLANK + "，,；;。")
            role = LABELS[match.group(1)]
            if role == "plain":
                role = "support" if has_lead_label else "lead"
            roles[role].append(segment)
        if all(LABELS[m.group(1)] == "plain" for m in labels):
            statement.plain_text = ROLE_TAIL.sub("", "，".join(roles["lead"])).strip(BLANK)
        else:
            statement.lead_text = "，".join(roles["lead"])
            statement.support_text = "，".join(roles["support"])
        return statement
    verb = LEAD_VERB.match(units_text.strip(BLANK))
    if verb and verb.group("lead").strip(BLANK):
        statement.lead_text = verb.group("lead")
        statement.support_text = ROLE_TAIL.sub("", verb.group("rest").strip(BLANK + "，,；;")).strip(BLANK)
        return statement
    stripped = units_text.strip(BLANK)
    if ROLE_TAIL.search(stripped) and stripped.endswith(("负责", "负责落实")):
        statement.plain_text = ROLE_TAIL.sub("", stripped).strip(BLANK)
        return statement
    if rule is not None or other:
        statement.plain_text = ""  # a statement that only states the rule
        return statement
    return None


def statements_in(text: str) -> list[Statement]:
    """Every responsibility statement in a task's text: bracketed ones, else a trailing 责任单位：… clause."""
    found = []
    for start, end, content in bracket_groups(text):
        statement = read_statement(content, start, end, text[start:end])
        if statement is not None:
            found.append(statement)
    if not found:
        window = len(text) - MAX_STATEMENT
        for label in LABEL.finditer(text):
            before = text[label.start() - 1] if label.start() else "。"
            if label.start() >= window and before in "。；;\n" + OPEN + BLANK:
                statement = read_statement(text[label.start() :], label.start(), len(text), text[label.start() :].strip(BLANK))
                if statement is not None:
                    found.append(statement)
                    break
    return found


@dataclass(frozen=True)
class Roles:
    lead: tuple[str, ...]
    support: tuple[str, ...]
    lead_stated: bool
    open_ended: tuple[str, ...]
    labelled: bool


def roles_of(statement: Statement, rule: LeadRule) -> Roles:
    """Lead and support of one statement: its own labels first, else the document's rule; no rule, no lead."""
    if statement.lead_text is not None:
        lead, support = flat_units(statement.lead_text), flat_units(statement.support_text or "")
        return Roles(tuple(lead.names), tuple(support.names), True, tuple(lead.open_ended + support.open_ended), True)
    text = statement.plain_text or ""
    if rule is LeadRule.before_comma:
        parts = split_top(text, COMMAS)
        lead, support = Units(), Units()
        if parts:
            units_of(parts[0], lead)
            for part in parts[1:]:
                for piece in split_top(part, "；;"):
                    units_of(piece, support)
        return Roles(tuple(lead.names), tuple(support.names), True, tuple(lead.open_ended + support.open_ended), False)
    units = flat_units(text)
    if rule is LeadRule.first_listed and units.names:
        return Roles((units.names[0],), tuple(units.names[1:]), True, tuple(units.open_ended), False)
    return Roles(tuple(units.names), (), False, tuple(units.open_ended), False)


def is_group(name: str) -> bool:
    return bool(GROUP_START.match(name) or GROUP_WORDS.search(name) or "、" in name)


KIND_RULES: tuple[tuple[AgencyKind, re.Pattern[str]], ...] = (
    (AgencyKind.judicial, re.compile(r"法院|检察院")),
    (
        AgencyKind.people_organization,
        re.compile(r"科协|工商联|工会|共青团|团市委|团省委|团区委|团县委|团中央|妇联|残联|侨联|文联|红十字会|贸促会|科学技术协会"),
    ),
    (AgencyKind.party_organ, re.compile(r"^(?:中共|中央|省委|市委|区委|县委|州委|党委)|党委|党组|纪委|监委")),
    (
        AgencyKind.city_government,
        re.compile(r"(?:人民政府|政府|管委会|管理委员会)$|^[\u4e00-\u9fff]{1,6}(?:市|区|县|州|自治州|自治县|新区)$"),
    ),
    (AgencyKind.public_institution, re.compile(r"(?:中心|研究院|研究所|大学|学院|医院|学校|图书馆|博物馆|电视台|报社|科学院|工程院)$")),
    (AgencyKind.government_department, re.compile(r"(?:部|委|局|厅|办|署|处|委员会|办公室|银行|分行|海关|会)$")),
)


def guess_kind(name: str) -> AgencyKind:
    """A guess from the name alone, marked as a guess in the draft; a person checks it."""
    if is_group(name):
        return AgencyKind.group
    for kind, pattern in KIND_RULES:
        if pattern.search(name):
            return kind
    return AgencyKind.other
