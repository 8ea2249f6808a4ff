"""The importer against hand-checked reference parses of six real plans, each written in its own convention.

Sichuan's plan is checked against data/plan.yaml (curated by hand and checked against the text in
tests/plan/test_source_text.py); the others against the `*.json` beside them (see README.md here).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from components import paths
from components.plan.importer import ImportResult, import_plan
from components.plan.loader import load_plan_text
from components.plan.model import LeadRule, Plan

HERE = Path(__file__).parent
SICHUAN = paths.DATA / "sources" / "action-plan-2022.txt"
# file → (lead rule, numbering of its tasks as written in the reference)
REFERENCES = {
    "shanghai-parks-2026.txt": LeadRule.none,
    "gov-bonded-zones-2019.txt": LeadRule.first_listed,
    "guangzhou-talent-2012.html": LeadRule.labelled,
    "gov-farm-machinery-2018.html": LeadRule.first_listed,
    "gov-sports-events-2018.html": LeadRule.none,
}


def fixture_bytes(name: str) -> bytes:
    """The shared .txt files open with three `#` lines saying where they were read; the plan starts on line 4."""
    raw = (HERE / name).read_bytes()
    return b"".join(raw.splitlines(keepends=True)[3:]) if name.endswith(".txt") else raw


@cache
def imported(name: str) -> ImportResult:
    result = import_plan(fixture_bytes(name), name)
    assert isinstance(result, ImportResult), result
    return result


def names(plan: Plan, ids: list[str]) -> list[str]:
    return [plan.agency_by_id[a].name.zh for a in ids]


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def sichuan() -> ImportResult:
    result = import_plan(SICHUAN.read_bytes(), SICHUAN.name)
    assert isinstance(result, ImportResult), result
    return result


# --- Sichuan against data/plan.yaml ------------------------------------------------------------------


def test_sichuan_sections_are_the_eight_of_plan_yaml(sichuan, plan):
    expected = [(s.number, s.numeral, s.title.zh) for s in plan.sections_in_order]
    assert [(s.number, s.numeral, s.title.zh) for s in sichuan.plan.sections_in_order] == expected


def test_sichuan_task_titles_sections_and_text(sichuan, plan):
    got, expected = sichuan.plan, plan
    assert [t.number for t in got.tasks_in_order] == list(range(1, 28))
    for mine, theirs in zip(got.tasks_in_order, expected.tasks_in_order, strict=True):
        assert mine.title.zh == theirs.title.zh, mine.number
        assert got.section_by_id[mine.section].number == expected.section_by_id[theirs.section].number, mine.number
        assert normalise(mine.text.zh) == normalise(theirs.text.zh), mine.number  # page breaks fall mid-sentence in the text


def test_sichuan_lead_and_supporting_units_exactly(sichuan, plan):
    for mine, theirs in zip(sichuan.plan.tasks_in_order, plan.tasks_in_order, strict=True):
        assert [normalise(n) for n in names(sichuan.plan, mine.lead)] == [normalise(n) for n in names(plan, theirs.lead)], mine.number
        assert [normalise(n) for n in names(sichuan.plan, mine.support)] == [normalise(n) for n in names(plan, theirs.support)], mine.number
        assert mine.lead_stated


def test_sichuan_rule_meta_and_registry(sichuan, plan):
    meta = sichuan.plan.meta
    assert (meta.title.zh, meta.doc_number, meta.issuer.zh, meta.issue_date) == (
        plan.meta.title.zh,
        plan.meta.doc_number,
        plan.meta.issuer.zh,
        plan.meta.issue_date,
    )
    assert meta.draft.lead_rule is LeadRule.before_comma
    assert meta.draft.lead_rule_quote == "逗号前为牵头单位,下同"
    assert {normalise(a.name.zh) for a in sichuan.plan.agencies} == {normalise(a.name.zh) for a in plan.agencies}
    assert len(sichuan.plan.agencies) == 34
    [variants] = [u for u in sichuan.uncertainties if u.code == "name_variants"]  # the text writes it both ways
    assert variants.values["names"] == "有关市(州)人民政府 / 有关市（州）人民政府"


def test_sichuan_targets_are_plan_yaml_targets(sichuan, plan):
    got = [(t.value, t.comparator, t.comparator_text, t.target_year, normalise(t.quote)) for t in sichuan.plan.targets]
    expected = [(t.value, t.comparator, t.comparator_text, t.target_year, normalise(t.quote)) for t in plan.targets]
    assert got == expected
    cumulative = sichuan.plan.targets[-1]
    assert cumulative.window.start == 2022 and cumulative.window.end == 2025  # an assumption the draft says it makes
    assert "请核对" in cumulative.window.assumption.zh


def test_sichuan_safeguards(sichuan, plan):
    assert [(s.number, s.title.zh) for s in sichuan.plan.safeguards] == [(s.number, s.title.zh) for s in plan.safeguards]


# --- the other real plans against their reference parses -----------------------------------------


@pytest.mark.parametrize("name", REFERENCES)
def test_tasks_lead_and_supporting_exactly(name):
    reference = json.loads((HERE / name).with_suffix(".json").read_text(encoding="utf-8"))
    result = imported(name)
    plan = result.plan
    written = {entry.number: entry for entry in result.outline}
    got = []
    for task in plan.tasks_in_order:
        section = plan.section_by_id[task.section]
        section_number = next(e.number for e in written.values() if e.title == section.title.zh)
        got.append((task.label or str(task.number), section_number, task.title.zh, names(plan, task.lead), names(plan, task.support)))
    expected = [(t["number"], t["section"], t["title"], t["lead"], t["supporting"]) for t in reference["tasks"]]
    assert got == expected


@pytest.mark.parametrize("name", REFERENCES)
def test_outline_and_rule(name):
    reference = json.loads((HERE / name).with_suffix(".json").read_text(encoding="utf-8"))
    result = imported(name)
    assert [(e.number, e.title, e.parent) for e in result.outline] == [
        (s["number"], s["title"], s.get("parent")) for s in reference["sections"]
    ]
    assert result.plan.meta.draft.lead_rule is REFERENCES[name]
    assert len(result.plan.agencies) == reference["counts"]["distinct_agencies"]
    no_rule = REFERENCES[name] is LeadRule.none
    assert all(task.lead_stated is not no_rule for task in result.plan.tasks)
    assert ("no_rule" in {u.code for u in result.uncertainties}) is no_rule


@pytest.mark.parametrize("name", REFERENCES)
def test_meta_as_far_as_the_text_gives_it(name):
    reference = json.loads((HERE / name).with_suffix(".json").read_text(encoding="utf-8"))
    meta = imported(name).plan.meta
    assert meta.title.zh == reference["title"]
    text = fixture_bytes(name).decode("utf-8")
    if reference["doc_number"] and reference["doc_number"] in text:
        assert meta.doc_number == reference["doc_number"]
    if reference["issuer"]:
        assert meta.issuer.zh == reference["issuer"]
        assert meta.issue_date.isoformat() == reference["date"]
    else:
        assert meta.issue_date is None, "a date the text does not give must not be made up"


def test_the_shanghai_document_number_is_not_in_its_text():
    """It is only in the file's header line, which is not the plan's text: the draft says it found none."""
    result = imported("shanghai-parks-2026.txt")
    assert result.plan.meta.doc_number == "(文中未见文号)"
    assert "doc_number_missing" in {u.code for u in result.uncertainties}


def goal_targets(name: str) -> list[tuple]:
    return [(t.value, t.target_year, t.quote) for t in imported(name).plan.targets]


def test_shanghai_goal_targets_are_the_reference_goals():
    reference = json.loads((HERE / "shanghai-parks-2026.json").read_text(encoding="utf-8"))
    expected = [(float(t["value"]), 2028, t["text"]) for t in reference["targets"] if t["task"] == "一"]
    assert goal_targets("shanghai-parks-2026.txt") == expected
    units = [
        imported("shanghai-parks-2026.txt").plan.indicator_by_id[t.indicator].unit.zh
        for t in imported("shanghai-parks-2026.txt").plan.targets
    ]
    assert units == [t["unit"] for t in reference["targets"] if t["task"] == "一"]


@pytest.mark.parametrize("name", ["gov-farm-machinery-2018.html", "gov-sports-events-2018.html", "gov-bonded-zones-2019.txt"])
def test_goal_targets_of_the_state_council_plans(name):
    reference = json.loads((HERE / name).with_suffix(".json").read_text(encoding="utf-8"))
    assert goal_targets(name) == [(float(t["value"]), t["year"], t["text"]) for t in reference["targets"]]


def test_goals_without_a_year_are_reported_not_drafted():
    result = imported("guangzhou-talent-2012.html")
    reference = json.loads((HERE / "guangzhou-talent-2012.json").read_text(encoding="utf-8"))
    assert result.plan.targets == []
    assert [u.values["quote"] for u in result.uncertainties if u.code == "target_no_year"] == [t["text"] for t in reference["targets"]]


def test_a_closing_paragraph_is_not_the_last_tasks_text():
    result = imported("gov-sports-events-2018.html")
    last = result.plan.tasks_in_order[-1]
    assert "各地区、各有关部门要充分认识" not in last.text.zh
    [trailing] = [u for u in result.uncertainties if u.code == "trailing_text"]
    assert trailing.task == 19


def test_open_ended_units_are_reported_not_registered():
    result = imported("gov-bonded-zones-2019.txt")
    assert [u.task for u in result.uncertainties if u.code == "open_ended"] == [6, 18, 21]
    assert "等有关部门" not in {a.name.zh for a in result.plan.agencies}


@pytest.mark.parametrize("name", [*REFERENCES, "sichuan"])
def test_every_draft_round_trips_through_the_loader(name, sichuan):
    result = sichuan if name == "sichuan" else imported(name)
    loaded = load_plan_text(result.yaml_bytes, "draft.yaml")
    assert loaded.ok, loaded.problems
    assert loaded.value == result.plan
    assert result.yaml_bytes.startswith(b"# Draft plan imported from")
    assert all(a.kind_guessed for a in result.plan.agencies)


def test_generic_units_are_whole_and_marked_as_groups():
    plan = imported("guangzhou-talent-2012.html").plan
    groups = sorted(a.name.zh for a in plan.agencies if a.kind.value == "group")
    assert groups == ["各区、县级市", "各有关区、县级市", "各有关单位", "各项目牵头单位"]
