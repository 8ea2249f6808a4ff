"""The importer's assembly: outline + statements + rule + targets → a draft `Plan`, its YAML, and what to check.

Everything the draft says comes from the text: names as written, the rule as quoted, numbers with
their quotes. What the text does not give is left out or stated as derived (the plan period), and
every doubt is an `Uncertainty` with the line it is about.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from components.i18n import t
from components.plan import model
from components.plan.importer.annex import AnnexRow, annex_rows
from components.plan.importer.goals import GOALS_TITLE, FoundTarget, targets_in
from components.plan.importer.outline import DOC_NUMBER, LEVEL, MAX_ITEMS, Item, Outline, build_outline, preamble_facts
from components.plan.importer.reading import BLANK, Refusal, SourceText, read_source
from components.plan.importer.units import RULES, Roles, Statement, guess_kind, key_of, roles_of, statements_in
from components.plan.model import LeadRule, Plan, cross_check

MAX_TASKS = 9_999
MAX_SECTIONS = 99
MAX_AGENCIES = 5_000
MAX_TEXT = 20_000
MAX_NAME = 120
MAX_ANNEX_ROWS = 10_000
MAX_ANNEX_COMPARISONS = 5_000_000
SAFEGUARD_TITLE = re.compile(r"保障|组织实施|组织领导|有关要求|工作要求|实施要求")
YEAR_IN_TEXT = re.compile(r"(?:到|至|截至)\s*((?:19|20)\d{2})\s*年")
ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class Uncertainty:
    """Something a person should check, with the source line it is about; worded by `message`."""

    line: int | None
    task: int | None
    code: str  # i18n key import.issue.<code>
    values: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return t(f"import.issue.{self.code}", lang, **self.values)

    def where(self, file: str, kind: str = "text") -> str:
        """`plan.txt:214  task 12` as the command line prints it; `plan.docx ¶214` for a paragraph of a Word or HTML file."""
        place = (f"{file}:{self.line}" if kind == "text" else f"{file} ¶{self.line}") if self.line else file
        return f"{place}  task {self.task}" if self.task is not None else place


@dataclass(frozen=True)
class OutlineEntry:
    """A heading of the document: its numbering from the top (四（一）), title, parent and line."""

    number: str
    title: str
    parent: str | None
    line: int


@dataclass(frozen=True)
class ImportResult:
    source: SourceText
    plan: Plan
    yaml_bytes: bytes
    outline: tuple[OutlineEntry, ...]
    task_lines: dict[str, tuple[int, int]]  # task id → first and last source line
    uncertainties: tuple[Uncertainty, ...]
    targets_found: int  # quantities read in the goals paragraph, in the draft or not
    line_numbers: tuple[int, ...]  # of `source.lines`, in order: where an excerpt starts


MAX_EXCERPT_LINES = 80
MAX_EXCERPT_LINE = 2_000


def source_excerpt(result: ImportResult, first: int, last: int) -> str:
    """The source lines first..last, numbered as in the file, bounded in count and length for the screen."""
    start, stop = bisect_left(result.line_numbers, first), bisect_right(result.line_numbers, last)
    shown = result.source.lines[start : min(stop, start + MAX_EXCERPT_LINES)]
    width = len(str(last))
    text = "\n".join(
        f"{line.number:>{width}}  {line.text[:MAX_EXCERPT_LINE]}{'…' if len(line.text) > MAX_EXCERPT_LINE else ''}" for line in shown
    )
    return text + ("\n…" if stop - start > MAX_EXCERPT_LINES else "")


# --- the text of an item ------------------------------------------------------------------------


@dataclass
class ItemText:
    text: str  # head (after the number) and continuation lines, joined
    ends: list[int]  # where each line ends in `text`
    numbers: list[int]  # each line's number in the file


def item_text(item: Item) -> ItemText:
    texts = [item.head] + [line.text for line in item.lines[1:]]
    out, ends = "", []
    for text in texts:
        if out and out[-1].isascii() and out[-1].isalnum() and text[:1].isascii() and text[:1].isalnum():
            out += " "
        out += text
        ends.append(len(out))
    return ItemText(out, ends, [line.number for line in item.lines])


def descendants(item: Item) -> list[Item]:
    found, stack = [], list(reversed(item.children))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(reversed(child.children))
    return found


def root_of(item: Item) -> Item:
    while item.parent is not None:
        item = item.parent
    return item


def plain_numeral(label: str) -> str:
    return re.sub(r"[（()）、．.\s]", "", label)


# --- the agency registry ------------------------------------------------------------------------


class Registry:
    """One entry per distinct unit, named as first written; two spellings of one name (（州） and (州)) share it and are reported."""

    def __init__(self, assembly: Assembly) -> None:
        self.assembly = assembly
        self.entries_by_key: dict[str, dict] = {}
        self.spellings: dict[str, list[str]] = {}
        self.first_seen: dict[str, int] = {}

    def key(self, name: str, line: int, task: int) -> str | None:
        """The unit's key, registering it on first sight; None for what cannot be a unit's name."""
        if len(name) > MAX_NAME:
            self.assembly.issue(line, task, "long_unit", name=name[:40] + "…")
            return None
        key = key_of(name)
        if key not in self.entries_by_key:
            if len(self.entries_by_key) >= MAX_AGENCIES:
                return None
            kind = guess_kind(name).value
            self.entries_by_key[key] = {"id": "", "name": {"zh": name, "en": name}, "kind": kind, "kind_guessed": True}
            self.spellings[key], self.first_seen[key] = [name], line
        elif name not in self.spellings[key]:
            self.spellings[key].append(name)
        return key

    def ids(self) -> dict[str, str]:
        """Stable ids in order of first mention (a01, a02, …), and the uncertainties the registry holds."""
        width = 2 if len(self.entries_by_key) < 100 else 3
        ids = {key: f"a{index:0{width}d}" for index, key in enumerate(self.entries_by_key, start=1)}
        for key, entry in self.entries_by_key.items():
            entry["id"] = ids[key]
            if len(self.spellings[key]) > 1:
                self.assembly.issue(self.first_seen[key], None, "name_variants", names=" / ".join(self.spellings[key]))
        if ids:
            self.assembly.issue(None, None, "kinds_guessed", count=len(ids))
        return ids

    def entries(self) -> list[dict]:
        return list(self.entries_by_key.values())


# --- the assembly -------------------------------------------------------------------------------


class Assembly:
    """One import: collects uncertainties while it reads; `result()` builds the draft."""

    def __init__(self, source: SourceText, outline: Outline) -> None:
        self.source = source
        self.outline = outline
        self.issues: list[Uncertainty] = [Uncertainty(None, None, code, values) for code, values in source.notes]
        self.texts: dict[int, ItemText] = {}
        self.statements: dict[int, list[Statement]] = {}
        for item in outline.items:
            text = item_text(item)
            self.texts[id(item)] = text
            self.statements[id(item)] = statements_in(text.text)
        for line, _style, expected, found in outline.gaps:
            self.issues.append(Uncertainty(line, None, "numbering_gap", {"expected": expected, "found": found}))
        self.moved: dict[int, list[Statement]] = {}  # point → the statement lifted from it
        self.lifted: set[int] = set()  # items whose statement was lifted from their last point
        for item in outline.items:
            self.lift_statement(item)

    def lift_statement(self, item: Item) -> None:
        """（一）推进甲。1.做A。2.做B。then （责任单位：…） on a line of its own: the units are （一）'s, not point 2's.

        Only when the statement stands alone on the last line of the last of several points, and no other point has one.
        """
        points = item.children
        if len(points) < 2 or self.statements[id(item)] or any(self.statements[id(point)] for point in points[:-1]):
            return
        last = points[-1]
        statements, text = self.statements[id(last)], self.texts[id(last)]
        if len(statements) == 1 and statements[0].start in text.ends[:-1] and statements[0].end == text.ends[-1]:
            self.statements[id(item)], self.statements[id(last)] = statements, []
            self.moved[id(last)] = statements  # its offsets are in the point's text, not the item's
            self.lifted.add(id(item))

    def issue(self, line: int | None, task: int | None, code: str, **values) -> None:
        self.issues.append(Uncertainty(line, task, code, values))

    # which items are tasks ------------------------------------------------------------------

    def task_items(self) -> tuple[list[Item], dict[int, list[Statement]]] | Refusal:
        """Tasks are the items of the numbering level that carries responsibility statements, in the parts of the text that have any."""
        counts: dict[str, int] = {}
        for item in self.outline.items:
            if self.statements[id(item)]:
                counts[item.style] = counts.get(item.style, 0) + 1
        found = {id(item): self.statements[id(item)] for item in self.outline.items if self.statements[id(item)]}
        annex_header, rows = annex_rows(self.outline.annex) if self.outline.annex else (None, [])
        matched = self.match_annex(rows) if rows else {}
        for item_id, statement in matched.items():
            if not found.get(item_id):
                found[item_id] = [statement]
        if matched:
            self.issue(annex_header, None, "annex_used", count=len(matched))
        if not found:
            return Refusal("no_responsibility")
        for item in self.outline.items:
            if id(item) in matched and not self.statements[id(item)]:
                counts[item.style] = counts.get(item.style, 0) + 1
        style = max(counts, key=lambda s: (counts[s], LEVEL[s]))  # a tie goes to the deeper level
        roots = {id(root_of(item)) for item in self.outline.items if item.style == style and id(item) in found}
        tasks = [item for item in self.outline.items if item.style == style and id(root_of(item)) in roots]
        return tasks, found

    def match_annex(self, rows: list[AnnexRow]) -> dict[int, Statement]:
        """Annex rows → the items they give units for: by the task title the row contains, else by its number."""
        titles = [(re.sub(r"\s+", "", item.title()[0]), item) for item in self.outline.items]
        exact = {title: item for title, item in reversed(titles) if title}
        leaves_by_number: dict[int, Item] = {}
        for item in self.outline.items:
            if not item.children:
                leaves_by_number.setdefault(item.number, item)
        scan = len(rows) * len(titles) <= MAX_ANNEX_COMPARISONS  # a containment scan is rows × items: bounded
        matched: dict[int, Statement] = {}
        for row in rows[:MAX_ANNEX_ROWS]:
            compact = re.sub(r"\s+", "", row.task)
            item = exact.get(compact)
            if item is None and compact and scan:
                item = next((item for title, item in titles if title and (title in compact or compact in title)), None)
            if item is None and row.number is not None:
                item = leaves_by_number.get(row.number)
            if item is None:
                self.issue(row.line, None, "annex_row_unmatched", text=(row.task or str(row.number))[:40])
            else:
                matched.setdefault(id(item), row.statement)
        return matched

    # the lead rule ----------------------------------------------------------------------------

    def lead_rule(self, found: dict[int, list[Statement]]) -> tuple[LeadRule | None, str | None]:
        """The rule the text states, from its statements (逗号前为牵头单位，下同) or a note before the tasks."""
        stated: list[tuple[LeadRule, str, int, bool]] = []
        unknown: list[tuple[str, int]] = []
        for item in self.outline.items:
            for statement in found.get(id(item), []):
                if statement.rule is not None:
                    stated.append((statement.rule, statement.rule_quote or "", item.first_line, statement.applies_below))
                elif statement.other_rule:
                    unknown.append((statement.rule_quote or "", item.first_line))
        notes = [(line.text, line.number) for line in [*self.outline.preamble, *self.outline.tail, *self.outline.annex[:5]]]
        notes += [(self.texts[id(item)].text, item.first_line) for item in self.outline.items if not found.get(id(item))]
        for text, line in notes:  # 注：各项任务中排在第一位的单位为牵头单位 — before the tasks, under a heading, in the annex
            if "牵头" not in text:
                continue
            for rule, pattern in RULES:
                match = pattern.search(text)
                if match:
                    stated.append((rule, match.group(0), line, True))
                    break
        for quote, line in unknown:
            self.issue(line, None, "unknown_rule", quote=quote)
        if not stated:
            return None, None
        rule, quote, line, below = stated[0]
        if len({entry[0] for entry in stated}) > 1:
            self.issue(line, None, "several_rules", quotes="；".join(dict.fromkeys(entry[1] for entry in stated)))
        if not below:
            self.issue(line, None, "rule_without_xiatong", quote=quote)
        return rule, quote

    # the draft --------------------------------------------------------------------------------

    def result(self) -> ImportResult | Refusal:
        chosen = self.task_items()
        if isinstance(chosen, Refusal):
            return chosen
        task_items, found = chosen
        if len(task_items) > MAX_TASKS:
            return Refusal("too_many_tasks", {"count": len(task_items), "limit": MAX_TASKS})
        rule, quote = self.lead_rule(found)
        facts = preamble_facts(self.outline.preamble, self.source.title_hint)
        numbers = [item.number for item in task_items]
        renumber = len(set(numbers)) != len(numbers) or not all(1 <= n <= MAX_TASKS for n in numbers)
        if renumber:
            self.issue(task_items[0].first_line, None, "renumbered")

        registry = Registry(self)
        groups: list[Item | None] = []
        tasks: list[dict] = []
        task_lines: dict[str, tuple[int, int]] = {}
        any_labelled = False
        unlabelled: list[tuple[int, int]] = []
        for ordinal, item in enumerate(task_items, start=1):
            number = ordinal if renumber else item.number
            task_id = f"t{number:02d}" if number < 100 else f"t{number}"
            text = self.texts[id(item)]
            statements = found.get(id(item), [])
            own = [] if id(item) in self.lifted else self.statements[id(item)]  # statements in the item's own text
            body, last_line = self.task_text(item, text, own, number)
            title, cut = item.title()
            if cut:
                self.issue(item.first_line, number, "title_cut")
            if not statements:
                self.issue(item.first_line, number, "no_responsibility")
            elif len(statements) > 1:
                self.issue(item.first_line, number, "several_statements", count=len(statements))
            roles = [roles_of(statement, rule or LeadRule.none) for statement in statements]
            lead, support, stated = self.combine(roles, item.first_line, number)
            if any(r.labelled for r in roles):
                any_labelled = True
            elif statements and rule is None:
                unlabelled.append((item.first_line, number))
            for role in roles:
                for words in role.open_ended:
                    self.issue(item.first_line, number, "open_ended", words=words)
            if statements and not lead and not support:
                self.issue(item.first_line, number, "no_units", text=statements[0].written[:60])
            lead_keys = [k for k in (registry.key(n, item.first_line, number) for n in lead) if k]
            support_keys = [k for k in (registry.key(n, item.first_line, number) for n in support) if k and k not in lead_keys]
            if not cut and body.startswith(title):  # the title leaves the start of the text
                body = body[len(title) :].lstrip("。．. ")
            body = body.strip(BLANK) or title
            if len(body) > MAX_TEXT:
                self.issue(item.first_line, number, "text_cut", limit=MAX_TEXT)
                body = body[:MAX_TEXT]
            group = item.parent
            if group not in groups:
                groups.append(group)
            written = " ".join(s.written for s in statements)[:MAX_TEXT] or None
            task = {
                "id": task_id,
                "number": number,
                "section": f"s{groups.index(group) + 1}",
                "title": {"zh": title, "en": title},
                "text": {"zh": body, "en": body},
                "lead": lead_keys,
                "support": support_keys,
                "responsibility_text": written,
                "label": item.label if renumber or item.style != "num" else None,
                "lead_stated": stated,
            }
            tasks.append(task)
            task_lines[task_id] = (item.first_line, last_line)
        if len(groups) > MAX_SECTIONS:
            return Refusal("too_many_sections", {"count": len(groups), "limit": MAX_SECTIONS})

        lead_rule = rule or (LeadRule.labelled if any_labelled else LeadRule.none)
        if lead_rule is LeadRule.none:
            self.issue(None, None, "no_rule")
        elif lead_rule is LeadRule.labelled:
            for line, number in unlabelled:
                self.issue(line, number, "unlabelled_in_labelled")
        ids = registry.ids()
        for task in tasks:
            task["lead"] = [ids[k] for k in task["lead"]]
            task["support"] = [ids[k] for k in task["support"]]

        sections = self.sections(groups, facts)
        goals = self.goals(task_items)
        return self.finish(facts, sections, tasks, registry.entries(), goals, task_items, task_lines, lead_rule, quote)

    def task_text(self, item: Item, text: ItemText, own: list[Statement], number: int) -> tuple[str, int]:
        """(the task's text without its responsibility statements, its last source line); the items under it belong to it."""
        body, last_line = text.text, item.last_line
        if own:  # the statements leave the text, cut out by position (one pass, however many there are)
            end, last_line = self.trim_after(item, text, own, number)
            edges = [0] + [edge for statement in own for edge in (statement.start, statement.end)] + [end]
            body = "".join(text.text[edges[i] : max(edges[i], edges[i + 1])] for i in range(0, len(edges), 2))
        for child in descendants(item):
            child_text = self.texts[id(child)].text
            for statement in self.moved.get(id(child), []):  # a lifted statement leaves the point's text too
                child_text = child_text[: statement.start] + child_text[statement.end :]
            body += "\n" + child.label + child_text.strip(BLANK)
            last_line = max(last_line, child.last_line)
        return body, last_line

    def trim_after(self, item: Item, text: ItemText, own: list[Statement], number: int) -> tuple[int, int]:
        """(where the task's text ends, its last line): lines after the line its last statement ends are a closing paragraph."""
        last = own[-1]
        index = bisect_left(text.ends, last.end)
        if index >= len(text.ends) - 1 or text.text[last.end : text.ends[index]].strip(BLANK + "。；;"):
            return len(text.text), item.last_line
        dropped = text.text[text.ends[index] :].strip(BLANK)
        self.issue(text.numbers[index + 1], number, "trailing_text", text=dropped[:40])
        return text.ends[index], text.numbers[index]

    def combine(self, roles: list[Roles], line: int, number: int) -> tuple[list[str], list[str], bool]:
        """The units of a task's statements together: a unit named in two statements counts once, as lead if either says so.

        A unit written twice within one statement is reported; so is one statement naming a unit as lead and as support.
        """
        lead: list[str] = []
        support: list[str] = []
        role_of: dict[str, str] = {}
        for role in roles:
            written: set[str] = set()
            for name, part in [(n, "lead") for n in role.lead] + [(n, "support") for n in role.support]:
                key = key_of(name)
                if key in written:
                    self.issue(line, number, "lead_and_support" if role_of.get(key) != part else "duplicate_unit", name=name)
                    continue
                written.add(key)
                if role_of.get(key) == "lead" or (role_of.get(key) == "support" and part == "support"):
                    continue
                if role_of.get(key) == "support":  # an earlier statement had it supporting; this one has it lead
                    support = [s for s in support if key_of(s) != key]
                role_of[key] = part
                (lead if part == "lead" else support).append(name)
        stated = all(role.lead_stated for role in roles) if roles else True
        return lead, support, stated

    def sections(self, groups: list[Item | None], facts: dict) -> list[dict]:
        parents = {id(group.parent) if group is not None else None for group in groups}
        sections = []
        for index, group in enumerate(groups, start=1):
            if group is None:
                self.issue(None, None, "no_sections")
                title, numeral = facts.get("title") or t("import.placeholder.all_tasks", "zh"), str(index)
            else:
                title = group.title()[0]
                numeral = plain_numeral(group.label) if len(parents) == 1 else group.path_label()
            sections.append({"id": f"s{index}", "number": index, "numeral": numeral or str(index), "title": {"zh": title, "en": title}})
        return sections

    def goals(self, task_items: list[Item]) -> list[FoundTarget]:
        """Targets in the goals paragraph(s): a heading named …目标 with its text and everything under it, read once."""
        skip = {id(item) for item in task_items}
        found: list[FoundTarget] = []
        for item in self.outline.items:
            if id(item) in skip or not GOALS_TITLE.search(item.title()[0]):
                continue
            below = descendants(item)
            skip.update(id(child) for child in below)
            parts = [self.texts[id(item)]] + [self.texts[id(child)] for child in below]
            starts = [0]
            for part in parts[:-1]:
                starts.append(starts[-1] + len(part.text) + 1)
            for target in targets_in("。".join(part.text for part in parts)):
                part = parts[bisect_right(starts, target.position) - 1]
                offset = target.position - starts[bisect_right(starts, target.position) - 1]
                line = part.numbers[min(bisect_right(part.ends, offset), len(part.numbers) - 1)]
                if target.comparator is None:
                    self.issue(line, None, "target_unsupported", quote=target.quote)
                elif target.year is None:
                    self.issue(line, None, "target_no_year", quote=target.quote)
                found.append(target)
        return found

    def safeguards(self, task_items: list[Item]) -> list[dict]:
        task_roots = {id(root_of(item)) for item in task_items}
        out = []
        for root in (item for item in self.outline.items if item.parent is None):
            if id(root) in task_roots or not SAFEGUARD_TITLE.search(root.title()[0]):
                continue
            for child in root.children[: 99 - len(out)]:
                title, _ = child.title()
                text = self.texts[id(child)].text
                text = text[len(title) :].lstrip("。．. ").strip(BLANK) if text.startswith(title) else text
                out.append(
                    {
                        "number": len(out) + 1,
                        "title": {"zh": title, "en": title},
                        "text": {"zh": text[:MAX_TEXT] or title, "en": text[:MAX_TEXT] or title},
                    }
                )
        return out

    def outline_entries(self, task_items: list[Item]) -> tuple[OutlineEntry, ...]:
        tasks = {id(item) for item in task_items}
        holders = {id(ancestor) for item in task_items for ancestor in _ancestors(item)}
        entries = []
        for item in self.outline.items:
            if id(item) in tasks or (item.parent is not None and id(item) not in holders):
                continue
            parent = item.parent.path_label() if item.parent is not None else None
            entries.append(OutlineEntry(item.path_label(), item.title()[0], parent, item.first_line))
        return tuple(entries)

    def finish(self, facts, sections, tasks, agencies, goals, task_items, task_lines, lead_rule, quote) -> ImportResult | Refusal:
        name = self.source.name[: model.MAX_NAME]  # an uploaded file's name is the visitor's to choose, any length
        title = facts["title"]
        if not title:
            self.issue(None, None, "title_missing")
            title = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name) or name
        title = title[:200]
        doc_number = facts["doc_number"]
        if doc_number is None:
            for line in self.outline.tail:
                found = DOC_NUMBER.search(line.text)
                if found:
                    doc_number = re.sub(r"\s+", "", found.group(0))
                    break
        if doc_number is None:
            self.issue(None, None, "doc_number_missing")
        issuer = facts["issuer"] or self.outline.signature
        if issuer is None and "关于" in title[:30] and title.index("关于") >= 2:
            issuer = title[: title.index("关于")]
        if issuer is None:
            self.issue(None, None, "issuer_missing")
        date = facts["date"] or self.outline.end_date
        issue_date = None
        if date is not None:
            try:
                issue_date = dt.date(*date)
            except ValueError:
                issue_date = None
        if issue_date is None:
            self.issue(None, None, "date_missing")

        in_draft = [g for g in goals if g.comparator is not None and g.year is not None and 1949 <= g.year <= 2100]
        text_years = [int(m.group(1)) for line in self.source.lines[:5000] for m in YEAR_IN_TEXT.finditer(line.text[:5000])]
        all_years = [int(m.group(1)) for line in self.source.lines[:5000] for m in ANY_YEAR.finditer(line.text[:5000])]
        target_year = max((g.year for g in in_draft), default=None) or max(text_years, default=None)
        target_year = target_year or (issue_date.year if issue_date else None) or max(all_years, default=None)
        if target_year is None:
            return Refusal("no_year")
        start = min(issue_date.year, target_year) if issue_date else target_year
        baseline = start - 1
        self.issue(None, None, "period_derived", start=start, end=target_year, baseline=baseline)

        placeholder = {lang: t("import.placeholder.issuer", lang) for lang in ("zh", "en")}
        indicators, targets = [], []
        for index, goal in enumerate(in_draft, start=1):
            if goal.kind.value == "share" and goal.value > 100:
                self.issue(None, None, "target_unsupported", quote=goal.quote)
                continue
            indicator = f"i{index:02d}"
            indicators.append(
                {
                    "id": indicator,
                    "name": {"zh": goal.name[:200], "en": goal.name[:200]},
                    "unit": {"zh": goal.unit, "en": goal.unit},
                    "kind": goal.kind.value,
                    "decimals": goal.decimals,
                }
            )
            target = {
                "id": f"target-{index:02d}",
                "indicator": indicator,
                "region": "plan_area",
                "name": {"zh": goal.name[:200], "en": goal.name[:200]},
                "comparator": goal.comparator.value,
                "comparator_text": goal.comparator_text,
                "kind": goal.kind.value,
                "value": goal.value,
                "target_year": goal.year,
                "quote": goal.quote[:500],
                "source": "plan_text",
            }
            if goal.kind.value == "cumulative":
                window_start = min(start, goal.year)
                target["window"] = {
                    "start": window_start,
                    "end": goal.year,
                    "assumption": {lang: t("import.placeholder.window", lang, start=window_start, end=goal.year) for lang in ("zh", "en")},
                }
            targets.append(target)

        purpose = (facts["purpose"] or title)[:2000]
        draft_info = {"source_name": name, "lead_rule": lead_rule.value, "lead_rule_quote": quote, "uncertainties": 0}
        data = {
            "schema_version": 1,
            "meta": {
                "title": {"zh": title, "en": title},
                "doc_number": doc_number or t("import.placeholder.doc_number", "zh"),
                "issuer": {"zh": issuer[:200], "en": issuer[:200]} if issuer else placeholder,
                "issue_date": issue_date,
                "period_start": start,
                "period_end": target_year,
                "target_year": target_year,
                "baseline_year": baseline,
                "purpose": {"zh": purpose, "en": purpose},
                "source_file": name,
                "translation_note": {lang: t("import.translation_note", lang) for lang in ("zh", "en")},
                "draft": draft_info,
            },
            "sources": [
                {
                    "id": "plan_text",
                    "title": f"{title}（{doc_number}）" if doc_number else title,
                    "publisher": issuer[:200] if issuer else placeholder["zh"],
                    "date": issue_date,
                    "note": t("import.placeholder.source_note", "en", name=name),
                }
            ],
            "regions": [{"id": "plan_area", "name": {lang: t("import.placeholder.region", lang) for lang in ("zh", "en")}}],
            "indicators": indicators,
            "targets": targets,
            "sections": sections,
            "agencies": agencies,
            "tasks": tasks,
            "safeguards": self.safeguards(task_items),
        }
        for task in data["tasks"]:  # keep the YAML short: defaults are left out
            for key, default in (("label", None), ("lead_stated", True), ("responsibility_text", None), ("support", [])):
                if task[key] == default:
                    del task[key]
        draft_info["uncertainties"] = len(self.issues)
        # the draft must validate, by the model and the whole-plan checks the loader applies; a failure is the importer's bug
        try:
            plan = Plan.model_validate(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            return Refusal("internal", {"detail": f"{'.'.join(map(str, first['loc']))}: {first['msg']}"[:300]})
        problems = cross_check(plan)
        if problems:
            return Refusal("internal", {"detail": f"{problems[0][0]}: {problems[0][1]}"[:300]})
        raw = dump_yaml(data, self.header_lines(name, lead_rule, quote))
        numbers = tuple(line.number for line in self.source.lines)
        return ImportResult(self.source, plan, raw, self.outline_entries(task_items), task_lines, tuple(self.issues), len(goals), numbers)

    def header_lines(self, name: str, lead_rule: LeadRule, quote: str | None) -> list[str]:
        lines = [t("import.yaml.header", "en", name=name), t(f"import.rule.{lead_rule.value}", "en")]
        if quote:
            lines.append(t("import.yaml.quote", "en", quote=quote))
        lines.append(t("import.yaml.uncertainties", "en", count=len(self.issues)))
        lines += [f"  {issue.where(name, self.source.kind)}  {issue.message('en')}" for issue in self.issues[:500]]
        return lines


def _ancestors(item: Item) -> list[Item]:
    found = []
    while item.parent is not None:
        item = item.parent
        found.append(item)
    return found


class _Dumper(yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper):  # LibYAML: a long draft in milliseconds
    """Plain YAML for a person to edit: a value used twice (the issue date) is written twice, not as an &anchor."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data: dict, header: list[str]) -> bytes:
    comment = "".join("# " + re.sub(r"[\r\n\x00-\x1f\x7f\u2028\u2029]", " ", line) + "\n" for line in header)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return (comment + body).encode("utf-8")


def import_plan(raw: bytes, name: str) -> ImportResult | Refusal:
    """Read a plan's text into a draft plan; never raises for any input, answers within seconds for 8 MB."""
    source = read_source(raw, name)
    if isinstance(source, Refusal):
        return source
    outline = build_outline(source.lines)
    if not outline.items:
        return Refusal("no_items")
    if len(outline.items) > MAX_ITEMS:
        return Refusal("too_many_items", {"limit": MAX_ITEMS})
    try:
        return Assembly(source, outline).result()
    except Exception as error:  # untrusted input gets words, never a traceback; test_fuzz.py keeps this branch unreached
        return Refusal("internal", {"detail": f"{type(error).__name__}: {str(error)[:200]}"})
