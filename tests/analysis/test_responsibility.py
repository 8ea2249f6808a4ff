"""Responsibility tables, filters, section cells and shared tasks against counts made by hand from the document.

Hand counts from data/sources/action-plan-2022.txt (the 责任单位 line under
each task; names before the first comma lead, the rest support):
  科技厅 leads 2-6, 8-12, 14-21, 25, 27 (20 tasks) and supports 1, 7, 13, 22, 23, 24 (6);
  省委组织部 leads 15, 22, 23, 24 and supports 1, 13, 20;
  教育厅 leads 13, 15 and supports 1, 2, 4, 7, 8, 9, 10, 12, 14, 16, 18, 21, 22, 23, 24, 25, 27 (17);
  有关市(州)人民政府 supports every task except 1, 5, 16, 25 (23);
  科技厅 appears in every task except 26, so it shares a task with 教育厅 19 times
  and with 有关市(州)人民政府 22 times; 省知识产权中心 appears in 12-14, 16-19 and 26.
"""

from __future__ import annotations

import pytest

from components.analysis.responsibility import (
    Cell,
    Role,
    TaskFilter,
    agency_task_table,
    agency_tasks,
    assignments,
    co_occurrence,
    filter_tasks,
    page_of,
    section_cells,
    section_sizes,
    shared_tasks,
    task_size,
    workload,
)
from components.plan.model import AgencyKind


def numbers(tasks) -> list[int]:
    return [task.number for task in tasks]


def ids_by_name(plan) -> dict[str, str]:
    return {a.name.zh: a.id for a in plan.agencies}


@pytest.fixture(scope="module")
def loads(plan):
    return {w.agency: w for w in workload(plan)}


def cell_count(cells: dict[tuple[str, str], Cell], agency: str, section: str) -> int:
    """Tasks of `section` that `agency` leads or supports (0 when it has none there)."""
    return cells.get((agency, section), Cell()).count


def shared(weights: dict[tuple[str, str], int], a: str, b: str) -> int:
    """Tasks two agencies share, whichever order the pair is stored in (0 when they share none)."""
    return weights.get((a, b), weights.get((b, a), 0))


# --- counts -----------------------------------------------------------------


def test_34_distinct_agencies_all_used(plan):
    assert len({a.agency for a in assignments(plan)}) == len(plan.agencies) == 34
    assert len(workload(plan)) == 34
    assert len(workload(plan, include_group=False)) == 33


def test_hand_counts_per_agency(plan, loads):
    name = ids_by_name(plan)
    kjt, zzb, jyt, cities = name["科技厅"], name["省委组织部"], name["教育厅"], name["有关市(州)人民政府"]
    assert (loads[kjt].lead, loads[kjt].support) == (20, 6)
    assert (loads[zzb].lead, loads[zzb].support) == (4, 3)
    assert (loads[jyt].lead, loads[jyt].support) == (2, 17)
    assert (loads[cities].lead, loads[cities].support) == (0, 23)
    assert [t.number for t, role in agency_tasks(plan, zzb) if role is Role.lead] == [15, 22, 23, 24]
    assert [t.number for t, role in agency_tasks(plan, kjt) if role is Role.support] == [1, 7, 13, 22, 23, 24]
    missing = {t.number for t in plan.tasks} - {t.number for t, _ in agency_tasks(plan, cities)}
    assert missing == {1, 5, 16, 25}


def test_hand_counts_per_task(plan):
    name = ids_by_name(plan)
    by_number = {t.number: t for t in plan.tasks}
    assert len(by_number[19].lead) == 2 and len(by_number[19].support) == 10
    assert by_number[19].lead == [name["科技厅"], name["省地方金融监管局"]]
    assert by_number[26].lead == [name["省市场监管局"], name["省知识产权中心"]]
    rows = assignments(plan)
    assert sum(a.role is Role.lead for a in rows) == 34  # 27 tasks; 2 and 15 have 3 leads, 11, 19 and 26 have 2
    assert sum(a.task == 19 for a in rows) == 12


def test_workload_is_sorted_and_lead_only_drops_non_leads(plan):
    name = ids_by_name(plan)
    rows = workload(plan)
    assert [r.agency for r in rows[:4]] == [name["科技厅"], name["有关市(州)人民政府"], name["教育厅"], name["省发展改革委"]]
    assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)
    leads = workload(plan, lead_only=True)
    assert [(r.agency, r.lead) for r in leads[:2]] == [(name["科技厅"], 20), (name["省委组织部"], 4)]
    assert len(leads) == 10 and all(r.lead > 0 for r in leads)
    assert sum(r.lead for r in leads) == 34


# --- filters ----------------------------------------------------------------


def test_filter_section_and_support_agency(plan):
    name = ids_by_name(plan)
    f = TaskFilter(sections=frozenset({"s5"}), agency=name["省知识产权中心"], role="support")
    assert numbers(filter_tasks(plan, f)) == [16, 17, 18, 19]
    # as lead it leads only task 26, which is in section 八
    assert numbers(filter_tasks(plan, TaskFilter(sections=frozenset({"s5"}), agency=name["省知识产权中心"], role="lead"))) == []
    assert numbers(filter_tasks(plan, TaskFilter(agency=name["省知识产权中心"], role="lead"))) == [26]
    assert numbers(filter_tasks(plan, TaskFilter(agency=name["省知识产权中心"]))) == [12, 13, 14, 16, 17, 18, 19, 26]


def test_filter_keyword_chinese_substring(plan):
    # 天府 occurs in task 1 (四川天府新区), 5 (天府实验室), 19 (天府科创贷), 20 (天府国际技术转移中心), 23 (天府实验室), 24 (天府英才卡)
    assert numbers(filter_tasks(plan, TaskFilter(keyword="天府"))) == [1, 5, 19, 20, 23, 24]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="  天府  实验室 "))) == [5, 20, 23]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="tianfu"))) == [1, 5, 19, 20, 23, 24]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="双一流"))) == [13]
    assert numbers(filter_tasks(plan, TaskFilter(keyword="不存在的词"))) == []


def test_filter_kind_theme_and_role_combine(plan):
    name = ids_by_name(plan)
    assert numbers(filter_tasks(plan, TaskFilter(kinds=frozenset({AgencyKind.judicial})))) == [26]
    assert numbers(filter_tasks(plan, TaskFilter(kinds=frozenset({AgencyKind.central_branch})))) == [12, 19]
    assert numbers(filter_tasks(plan, TaskFilter(kinds=frozenset({AgencyKind.central_branch}), role="lead"))) == []
    assert numbers(filter_tasks(plan, TaskFilter(agency=name["省委组织部"], role="lead"))) == [15, 22, 23, 24]
    talent = TaskFilter(themes=frozenset({"talent"}), agency=name["省委组织部"], role="lead")
    assert numbers(filter_tasks(plan, talent)) == [15, 22, 23, 24]
    assert numbers(filter_tasks(plan, TaskFilter(themes=frozenset({"talent"}), keyword="天府"))) == [1, 23, 24]
    assert len(filter_tasks(plan, TaskFilter())) == 27


# --- section cells and shared tasks ----------------------------------------


def test_section_cells(plan):
    name = ids_by_name(plan)
    cells = section_cells(plan)
    kjt, zzb, ip, cities = name["科技厅"], name["省委组织部"], name["省知识产权中心"], name["有关市(州)人民政府"]
    assert cells[(kjt, "s1")].lead == (2, 3, 4) and cells[(kjt, "s1")].support == (1,)
    assert cell_count(cells, kjt, "s1") == 4
    assert cells[(zzb, "s7")].lead == (22, 23, 24) and cell_count(cells, zzb, "s7") == 3
    assert cells[(ip, "s5")].support == (16, 17, 18, 19) and cell_count(cells, ip, "s5") == 4
    assert cells[(ip, "s8")].lead == (26,) and cells[(ip, "s8")].support == ()
    assert cell_count(cells, cities, "s5") == 3  # 17, 18, 19 (16 names no city governments)
    assert cell_count(cells, zzb, "s2") == 0 and (zzb, "s2") not in cells  # only non-empty cells are kept
    assert sum(cell.count for cell in cells.values()) == len(assignments(plan)) == 34 + 150
    without_group = {agency for agency, _ in section_cells(plan, include_group=False)}
    assert without_group == {a.id for a in plan.agencies} - {cities}


def test_network_edge_weights(plan):
    name = ids_by_name(plan)
    weights = co_occurrence(plan)
    kjt = name["科技厅"]
    assert shared(weights, kjt, name["教育厅"]) == 19
    assert shared(weights, name["教育厅"], kjt) == 19
    assert shared(weights, kjt, name["有关市(州)人民政府"]) == 22
    assert shared(weights, kjt, name["省发展改革委"]) == 17
    assert shared(weights, kjt, name["省委组织部"]) == 7
    assert shared(weights, kjt, name["省知识产权中心"]) == 7
    assert shared(weights, name["省法院"], name["省检察院"]) == 1
    assert shared(weights, kjt, name["省市场监管局"]) == 0
    pair = tuple(sorted((kjt, name["省委组织部"]), key=[a.id for a in plan.agencies].index))
    assert shared_tasks(plan)[pair] == (1, 13, 15, 20, 22, 23, 24)
    without_group = co_occurrence(plan, include_group=False)
    assert shared(without_group, kjt, name["教育厅"]) == 19
    assert all(name["有关市(州)人民政府"] not in pair for pair in without_group)


def test_task_and_section_sizes_count_every_assignment(plan):
    by_number = {t.number: t for t in plan.tasks}
    sizes = section_sizes(plan)
    assert task_size(by_number[19]) == 12  # 2 leads, 10 supporters
    assert [task_size(by_number[n]) for n in (16, 17, 18, 19)] == [8, 8, 5, 12]
    assert sizes["s5"] == 8 + 8 + 5 + 12
    assert list(sizes) == [s.id for s in plan.sections_in_order]
    assert sum(sizes.values()) == len(assignments(plan)) == 34 + 150


def test_a_filter_narrowed_to_one_section_and_the_page_of_a_task(plan):
    name = ids_by_name(plan)
    others = TaskFilter(agency=name["省知识产权中心"], role="support")
    assert numbers(filter_tasks(plan, others.with_section("s5"))) == [16, 17, 18, 19]
    assert others.with_section("s5").with_section("") == others
    tasks = filter_tasks(plan, TaskFilter())
    assert [page_of(tasks, n, size=10) for n in (1, 10, 11, 27)] == [0, 0, 1, 2]
    assert page_of(tasks, 999, size=10) == page_of(tasks, None) == 0


def test_agency_task_table_roles(plan):
    name = ids_by_name(plan)
    table = agency_task_table(plan, name["省委组织部"], "en")
    assert list(table["No."]) == [1, 13, 15, 20, 22, 23, 24]
    assert list(table["Role"]) == ["Support", "Support", "Lead", "Support", "Lead", "Lead", "Lead"]


def test_a_filter_narrows_only_when_a_task_can_fail_it():
    assert not TaskFilter().narrows and not TaskFilter(role="lead", keyword="  ").narrows
    assert TaskFilter(keyword="人才").narrows and TaskFilter(agency="fy").narrows and TaskFilter(themes=frozenset({"x"})).narrows
    assert TaskFilter().with_section("s5").narrows
