"""Who does what: derived tables of the plan's task responsibilities.

Pure functions of a `Plan` (no Streamlit): the task × agency table with roles,
workload counts, the agency × section matrix, agencies sharing tasks, the
task filter and a deterministic layout for the co-responsibility network.
Localised tables for display and download take `lang` and label their
columns with `t()`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from enum import Enum
from itertools import combinations
from typing import Literal

import pandas as pd

from components.i18n import t
from components.plan.model import Agency, AgencyKind, Plan, Task

RoleChoice = Literal["any", "lead", "support"]
ROLE_CHOICES: tuple[RoleChoice, ...] = ("any", "lead", "support")
LIST_SEPARATOR = "、"


class Role(str, Enum):
    lead = "lead"
    support = "support"


@dataclass(frozen=True)
class Assignment:
    """One agency's role in one task: a row of the task × agency table."""

    task: int
    section: str
    agency: str
    role: Role


@dataclass(frozen=True)
class TaskFilter:
    """Filters that combine with AND; an empty field does not filter.

    `role` applies to both `agency` and `kinds`: with role "lead" and kinds
    {judicial}, a task matches only if a judicial body leads it.
    """

    sections: frozenset[str] = frozenset()
    agency: str | None = None
    role: RoleChoice = "any"
    kinds: frozenset[AgencyKind] = frozenset()
    themes: frozenset[str] = frozenset()
    keyword: str = ""

    @property
    def narrows(self) -> bool:
        """False when no task can fail it: a role alone narrows nothing (it applies to `agency` and `kinds`), nor do blank keywords."""
        return bool(self.sections or self.agency or self.kinds or self.themes or self.keyword.split())

    def with_section(self, section: str) -> TaskFilter:
        """The same filter narrowed to one section ("" keeps every section)."""
        return replace(self, sections=frozenset([section]) if section else frozenset())


@dataclass(frozen=True)
class Workload:
    agency: str
    lead: int
    support: int

    @property
    def total(self) -> int:
        return self.lead + self.support


@dataclass(frozen=True)
class Cell:
    """The tasks of one section in which one agency leads or supports."""

    lead: tuple[int, ...] = ()
    support: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.lead) + len(self.support)


KIND_ORDER: tuple[AgencyKind, ...] = tuple(AgencyKind)  # how agency kinds are grouped in charts and legends


GROUP_KINDS = frozenset({AgencyKind.city_group, AgencyKind.group})


def is_group(agency: Agency) -> bool:
    """有关市(州)人民政府, 各区、县级市, 各有关单位 name a group of units, not one agency."""
    return agency.kind in GROUP_KINDS


def agencies_in_role(task: Task, role: RoleChoice) -> list[str]:
    if role == "lead":
        return list(task.lead)
    if role == "support":
        return list(task.support)
    return [*task.lead, *task.support]


def role_in(task: Task, agency_id: str) -> Role | None:
    if agency_id in task.lead:
        return Role.lead
    if agency_id in task.support:
        return Role.support
    return None


def task_size(task: Task) -> int:
    """How many agencies a task names, leads and supporters: its tile's size and its share of its section."""
    return len(task.lead) + len(task.support)


def section_sizes(plan: Plan) -> dict[str, int]:
    """Agency assignments per section (lead + support summed over its tasks), in section order."""
    return {section_id: sum(map(task_size, tasks)) for section_id, tasks in plan.tasks_by_section.items()}


def assignments(plan: Plan) -> list[Assignment]:
    """Every (task, agency, role), in task order, leads before supporters as the document lists them."""
    rows = []
    for task in plan.tasks_in_order:
        rows += [Assignment(task.number, task.section, a, Role.lead) for a in task.lead]
        rows += [Assignment(task.number, task.section, a, Role.support) for a in task.support]
    return rows


def _included(plan: Plan, include_group: bool) -> list[Agency]:
    return [a for a in plan.agencies if include_group or not is_group(a)]


def workload(plan: Plan, *, include_group: bool = True, lead_only: bool = False) -> list[Workload]:
    """Tasks led and supported per agency, largest first.

    Sorted by total (or by leads when `lead_only`), then by the other count,
    then by the agency's order in the plan; `lead_only` drops agencies that lead nothing.
    """
    leads: Counter[str] = Counter()
    supports: Counter[str] = Counter()
    for a in assignments(plan):
        (leads if a.role is Role.lead else supports)[a.agency] += 1
    order = {a.id: i for i, a in enumerate(plan.agencies)}
    rows = [Workload(a.id, leads[a.id], supports[a.id]) for a in _included(plan, include_group)]
    if lead_only:
        rows = [r for r in rows if r.lead > 0]
        return sorted(rows, key=lambda r: (-r.lead, -r.total, order[r.agency]))
    return sorted(rows, key=lambda r: (-r.total, -r.lead, order[r.agency]))


AGENCY_CHART_TOP = 40  # more rows than this make the agency charts slow to draw and too tall to read


def top_choices(count: int) -> list[int]:
    """How many agencies the agency charts may show: 40, 80, ... below `count`, then 0 for every one."""
    return [n for n in range(AGENCY_CHART_TOP, count, AGENCY_CHART_TOP)][:4] + [0]


def section_cells(plan: Plan, *, include_group: bool = True) -> dict[tuple[str, str], Cell]:
    """(agency, section) → the task numbers it leads and supports there; only non-empty cells."""
    lead: dict[tuple[str, str], list[int]] = {}
    support: dict[tuple[str, str], list[int]] = {}
    for a in assignments(plan):
        target = lead if a.role is Role.lead else support
        target.setdefault((a.agency, a.section), []).append(a.task)
    keep = {a.id for a in _included(plan, include_group)}
    return {key: Cell(tuple(lead.get(key, ())), tuple(support.get(key, ()))) for key in sorted(set(lead) | set(support)) if key[0] in keep}


def shared_tasks(plan: Plan, *, include_group: bool = True) -> dict[tuple[str, str], tuple[int, ...]]:
    """Pairs of agencies (ids in plan order) → the tasks both are responsible for, in any role."""
    order = {a.id: i for i, a in enumerate(plan.agencies)}
    keep = {a.id for a in _included(plan, include_group)}
    pairs: dict[tuple[str, str], list[int]] = {}
    for task in plan.tasks_in_order:
        involved = sorted({a for a in agencies_in_role(task, "any") if a in keep}, key=order.__getitem__)
        for pair in combinations(involved, 2):
            pairs.setdefault(pair, []).append(task.number)
    return {pair: tuple(tasks) for pair, tasks in pairs.items()}


def co_occurrence(plan: Plan, *, include_group: bool = True) -> dict[tuple[str, str], int]:
    """Edge weights of the co-responsibility network: number of shared tasks per pair."""
    return {pair: len(tasks) for pair, tasks in shared_tasks(plan, include_group=include_group).items()}


def agency_tasks(plan: Plan, agency_id: str) -> list[tuple[Task, Role]]:
    """The tasks an agency is responsible for, in task order, with its role in each."""
    found = []
    for task in plan.tasks_in_order:
        role = role_in(task, agency_id)
        if role is not None:
            found.append((task, role))
    return found


def _normalise(text: str) -> str:
    """Full-width and half-width forms compare equal, and case is ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def matches(plan: Plan, task: Task, f: TaskFilter) -> bool:
    if f.sections and task.section not in f.sections:
        return False
    involved = agencies_in_role(task, f.role)
    if f.agency and f.agency not in involved:
        return False
    if f.kinds and not any(plan.agency_by_id[a].kind in f.kinds for a in involved):
        return False
    if f.themes and not f.themes.intersection(task.themes):
        return False
    terms = _normalise(f.keyword).split()
    if terms:
        haystack = _normalise(" ".join([task.title.zh, task.text.zh, task.title.en, task.text.en]))
        if not all(term in haystack for term in terms):
            return False
    return True


def filter_tasks(plan: Plan, f: TaskFilter) -> list[Task]:
    """Tasks passing every filter, in task order; keyword terms (split on spaces) must all occur in a title or text, in either language."""
    return [task for task in plan.tasks_in_order if matches(plan, task, f)]


# --- localised tables (display and download) ---


TASKS_PER_PAGE = 50


def page_ranges(count: int, size: int = TASKS_PER_PAGE) -> list[range]:
    """Positions shown on each page of a long task list: a plan of thousands of tasks must not draw them all at once."""
    return [range(start, min(start + size, count)) for start in range(0, max(count, 1), size)]


def agency_name(plan: Plan, agency_id: str, lang: str, *, mark_group: bool = False) -> str:
    agency = plan.agency_by_id[agency_id]
    name = agency.name.get(lang)
    if not (mark_group and is_group(agency)):
        return name
    return name + t("resp.group_suffix" if agency.kind is AgencyKind.city_group else "resp.group_suffix.group", lang)


def section_label(plan: Plan, section_id: str, lang: str) -> str:
    section = plan.section_by_id[section_id]
    return f"({section.numeral}) {section.title.get(lang)}"


def _names(plan: Plan, ids: list[str], lang: str, *, mark_group: bool = False) -> str:
    return LIST_SEPARATOR.join(agency_name(plan, a, lang, mark_group=mark_group) for a in ids)


def site_names(plan: Plan, task: Task, lang: str) -> list[str]:
    return [plan.site_by_id[s].name.get(lang) for s in task.sites if s in plan.site_by_id]


def theme_names(plan: Plan, task: Task, lang: str) -> list[str]:
    return [plan.theme_by_id[theme].name.get(lang) for theme in task.themes if theme in plan.theme_by_id]


@dataclass(frozen=True)
class TaskDetails:
    """What a task's card says, in one language: plain text, to be escaped by whoever renders it."""

    number: int
    title: str
    text: str
    lead: str  # names joined with 、; "" when none
    support: str
    sites: str
    themes: str
    original: str  # the 责任单位 line as the document words it ("" when a draft found none)
    lead_stated: bool  # False: the text names the units without saying who leads; `lead` holds them all


def task_details(plan: Plan, task: Task, lang: str) -> TaskDetails:
    return TaskDetails(
        number=task.number,
        title=task.title.get(lang),
        text=task.text.get(lang),
        lead=_names(plan, task.lead, lang, mark_group=True),
        support=_names(plan, task.support, lang, mark_group=True),
        sites=LIST_SEPARATOR.join(site_names(plan, task, lang)),
        themes=" · ".join(theme_names(plan, task, lang)),
        original=task.responsibility_text or "",
        lead_stated=task.lead_stated,
    )


def page_of(tasks: list[Task], number: int | None, size: int = TASKS_PER_PAGE) -> int:
    """Which page of a long list holds task `number` (the first page when it is not in the list)."""
    position = next((i for i, task in enumerate(tasks) if task.number == number), 0)
    return position // size


def task_table(plan: Plan, tasks: list[Task], lang: str) -> pd.DataFrame:
    """One row per task, columns labelled in `lang`; lists joined with 、."""
    columns = [
        t("resp.col.number", lang),
        t("resp.col.section", lang),
        t("resp.col.task", lang),
        t("resp.col.text", lang),
        t("resp.col.lead", lang),
        t("resp.col.support", lang),
        t("resp.col.sites", lang),
        t("resp.col.themes", lang),
    ]
    rows = [
        [
            task.number,
            section_label(plan, task.section, lang),
            task.title.get(lang),
            task.text.get(lang),
            _names(plan, task.lead, lang),
            _names(plan, task.support, lang),
            LIST_SEPARATOR.join(site_names(plan, task, lang)),
            LIST_SEPARATOR.join(theme_names(plan, task, lang)),
        ]
        for task in tasks
    ]
    return pd.DataFrame(rows, columns=columns)


def kind_label(kind: AgencyKind, lang: str) -> str:
    return t(f"resp.kind.{kind.value}", lang)


def workload_table(plan: Plan, rows: list[Workload], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [
                agency_name(plan, w.agency, lang, mark_group=True),
                kind_label(plan.agency_by_id[w.agency].kind, lang),
                w.lead,
                w.support,
                w.total,
            ]
            for w in rows
        ],
        columns=[
            t("resp.col.agency", lang),
            t("resp.col.kind", lang),
            t("resp.col.lead_count", lang),
            t("resp.col.support_count", lang),
            t("resp.col.total_count", lang),
        ],
    )


def agency_task_table(plan: Plan, agency_id: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [
                task.number,
                section_label(plan, task.section, lang),
                task.title.get(lang),
                t(f"resp.role.{role.value}", lang),
                _names(plan, [a for a in task.lead if a != agency_id], lang),
                len(task.lead) + len(task.support) - 1,
            ]
            for task, role in agency_tasks(plan, agency_id)
        ],
        columns=[
            t("resp.col.number", lang),
            t("resp.col.section", lang),
            t("resp.col.task", lang),
            t("resp.col.role", lang),
            t("resp.col.other_leads", lang),
            t("resp.col.partners", lang),
        ],
    )
