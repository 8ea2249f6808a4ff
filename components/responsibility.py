"""Who does what: derived tables of the plan's task responsibilities.

Pure functions of a `Plan` (no Streamlit): the task × agency table with roles,
workload counts, the agency × section matrix, agencies sharing tasks, the
task filter and a deterministic layout for the co-responsibility network.
Localised tables for display and download take `lang` and label their
columns with `t()`.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from typing import Literal

import pandas as pd

from components.i18n import t
from components.model import Agency, AgencyKind, Plan, Task

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


def is_group(agency: Agency) -> bool:
    """有关市(州)人民政府 names a group of city governments, not one agency."""
    return agency.kind is AgencyKind.city_group


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


def assignments(plan: Plan) -> list[Assignment]:
    """Every (task, agency, role), in task order, leads before supporters as the document lists them."""
    rows = []
    for task in sorted(plan.tasks, key=lambda x: x.number):
        rows += [Assignment(task.number, task.section, a, Role.lead) for a in task.lead]
        rows += [Assignment(task.number, task.section, a, Role.support) for a in task.support]
    return rows


def assignment_frame(plan: Plan) -> pd.DataFrame:
    """The task × agency table with roles, one row per assignment (ids, not display names)."""
    return pd.DataFrame(
        [
            {
                "task": a.task,
                "section": a.section,
                "agency": a.agency,
                "kind": plan.agency_by_id[a.agency].kind.value,
                "role": a.role.value,
            }
            for a in assignments(plan)
        ],
        columns=["task", "section", "agency", "kind", "role"],
    )


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


def section_cells(plan: Plan, *, include_group: bool = True) -> dict[tuple[str, str], Cell]:
    """(agency, section) → the task numbers it leads and supports there; only non-empty cells."""
    lead: dict[tuple[str, str], list[int]] = {}
    support: dict[tuple[str, str], list[int]] = {}
    for a in assignments(plan):
        target = lead if a.role is Role.lead else support
        target.setdefault((a.agency, a.section), []).append(a.task)
    keep = {a.id for a in _included(plan, include_group)}
    return {
        key: Cell(tuple(lead.get(key, ())), tuple(support.get(key, ())))
        for key in sorted(set(lead) | set(support))
        if key[0] in keep
    }


def section_matrix(plan: Plan, *, include_group: bool = True) -> pd.DataFrame:
    """Agency × section counts of tasks the agency leads or supports (rows in workload order, columns in section order)."""
    cells = section_cells(plan, include_group=include_group)
    agencies = [w.agency for w in workload(plan, include_group=include_group)]
    sections = [s.id for s in sorted(plan.sections, key=lambda s: s.number)]
    return pd.DataFrame(
        [[cells.get((a, s), Cell()).count for s in sections] for a in agencies],
        index=pd.Index(agencies, name="agency"),
        columns=pd.Index(sections, name="section"),
    )


def shared_tasks(plan: Plan, *, include_group: bool = True) -> dict[tuple[str, str], tuple[int, ...]]:
    """Pairs of agencies (ids in plan order) → the tasks both are responsible for, in any role."""
    order = {a.id: i for i, a in enumerate(plan.agencies)}
    keep = {a.id for a in _included(plan, include_group)}
    pairs: dict[tuple[str, str], list[int]] = {}
    for task in sorted(plan.tasks, key=lambda x: x.number):
        involved = sorted({a for a in agencies_in_role(task, "any") if a in keep}, key=order.__getitem__)
        for pair in combinations(involved, 2):
            pairs.setdefault(pair, []).append(task.number)
    return {pair: tuple(tasks) for pair, tasks in pairs.items()}


def co_occurrence(plan: Plan, *, include_group: bool = True) -> dict[tuple[str, str], int]:
    """Edge weights of the co-responsibility network: number of shared tasks per pair."""
    return {pair: len(tasks) for pair, tasks in shared_tasks(plan, include_group=include_group).items()}


def edge_weight(weights: dict[tuple[str, str], int], a: str, b: str) -> int:
    return weights.get((a, b), weights.get((b, a), 0))


KIND_ORDER: tuple[AgencyKind, ...] = tuple(AgencyKind)


def arc_layout(plan: Plan, *, include_group: bool = True) -> dict[str, tuple[float, float]]:
    """Agencies on two facing arcs, grouped by kind and, within a kind, by workload (largest first).

    Deterministic and label-friendly. Going clockwise from the top, agencies
    fill the right arc downwards and then the left arc upwards, one empty slot
    between kinds. Slots are spaced evenly in height, not in angle, so
    horizontal labels pointing away from the centre never overlap however
    long they are; x bulges out like an ellipse so chords stay apart.
    """
    loads = {w.agency: w for w in workload(plan, include_group=include_group)}
    kind_rank = {k: i for i, k in enumerate(KIND_ORDER)}
    nodes = sorted(
        (a for a in plan.agencies if a.id in loads),
        key=lambda a: (kind_rank[a.kind], -loads[a.id].total, -loads[a.id].lead, a.id),
    )
    slots: list[str | None] = []
    for i, agency in enumerate(nodes):
        if i > 0 and agency.kind != nodes[i - 1].kind:
            slots.append(None)
        slots.append(agency.id)
    per_side = max(1, math.ceil(len(slots) / 2))
    positions: dict[str, tuple[float, float]] = {}
    for index, agency_id in enumerate(slots):
        if agency_id is None:
            continue
        side, j = (1.0, index) if index < per_side else (-1.0, 2 * per_side - 1 - index)
        y = 1 - (j + 0.5) * 2 / per_side
        x = side * (0.25 + 0.75 * math.sqrt(max(0.0, 1 - y * y)))
        positions[agency_id] = (round(x, 6), round(y, 6))
    return positions


def agency_tasks(plan: Plan, agency_id: str) -> list[tuple[Task, Role]]:
    """The tasks an agency is responsible for, in task order, with its role in each."""
    found = []
    for task in sorted(plan.tasks, key=lambda x: x.number):
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
    return [task for task in sorted(plan.tasks, key=lambda x: x.number) if matches(plan, task, f)]


# --- localised tables (display and download) ---


TASKS_PER_PAGE = 50


def page_ranges(count: int, size: int = TASKS_PER_PAGE) -> list[range]:
    """Positions shown on each page of a long task list: a plan of thousands of tasks must not draw them all at once."""
    return [range(start, min(start + size, count)) for start in range(0, max(count, 1), size)]


def agency_name(plan: Plan, agency_id: str, lang: str, *, mark_group: bool = False) -> str:
    agency = plan.agency_by_id[agency_id]
    name = agency.name.get(lang)
    return name + t("resp.group_suffix", lang) if mark_group and is_group(agency) else name


def section_label(plan: Plan, section_id: str, lang: str) -> str:
    section = plan.section_by_id[section_id]
    return f"({section.numeral}) {section.title.get(lang)}"


def _names(plan: Plan, ids: list[str], lang: str) -> str:
    return LIST_SEPARATOR.join(agency_name(plan, a, lang) for a in ids)


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
            LIST_SEPARATOR.join(plan.site_by_id[s].name.get(lang) for s in task.sites if s in plan.site_by_id),
            LIST_SEPARATOR.join(plan.theme_by_id[x].name.get(lang) for x in task.themes if x in plan.theme_by_id),
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
