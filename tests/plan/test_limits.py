"""Limits on lengths and counts: a plan past one gets `file:line path message` problems; plans of a real size pass."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from components.plan.loader import load_plan_text
from components.plan.model import LIMITS, MAX_NAME, MAX_REFS, MAX_TEXT, Plan
from components.validate import main as validate_main
from scripts.synthetic_plan import chained_sites_plan, dump


def load(data: dict):
    return load_plan_text(dump(data), "plan.yaml")


def line_of(raw: bytes, text: str) -> int:
    return raw[: raw.index(text.encode())].count(b"\n") + 1


def test_a_name_at_the_limit_passes_and_one_more_character_is_a_problem_at_its_line(plan_data):
    plan_data["sites"][3]["name"]["zh"] = "园" * MAX_NAME
    assert load(plan_data).ok
    plan_data["sites"][3]["name"]["en"] = "P" * (MAX_NAME + 1)
    raw = dump(plan_data)
    [problem] = load_plan_text(raw, "plan.yaml").problems
    assert (problem.path, problem.line) == ("sites[3].name", line_of(raw, "园" * MAX_NAME) - 1)
    assert f"a name or title has at most {MAX_NAME} characters, not {MAX_NAME + 1}" in problem.message


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: d["tasks"][0]["title"], "tasks[0].title"),
        (lambda d: d["agencies"][0]["name"], "agencies[0].name"),
        (lambda d: d["meta"]["title"], "meta.title"),
        (lambda d: d["indicators"][0]["unit"], "indicators[0].unit"),
    ],
)
def test_every_kind_of_name_is_bounded(plan_data, where, path):
    where(plan_data)["zh"] = "名" * (MAX_NAME + 1)
    assert [p.path for p in load(plan_data).problems] == [path]


def test_other_text_is_bounded_higher(plan_data):
    plan_data["tasks"][0]["text"]["zh"] = "文" * MAX_TEXT
    plan_data["meta"]["doc_number"] = "号" * (MAX_NAME + 1)
    plan_data["sources"][0]["note"] = "n" * (MAX_TEXT + 1)
    assert sorted(p.path for p in load(plan_data).problems) == ["meta.doc_number", "sources[0].note"]


def test_a_task_naming_too_many_units_is_a_problem(plan_data):
    plan_data["tasks"][2]["support"] = [f"unit_{i}" for i in range(MAX_REFS + 1)]
    problems = load(plan_data).problems
    assert [p.path for p in problems] == ["tasks[2].support"]
    assert f"at most {MAX_REFS} items" in problems[0].message


def test_a_list_past_its_limit_is_one_problem_at_the_list(plan_data):
    plan_data["regions"] += [{"id": f"r{i}", "name": {"zh": "区", "en": "R"}} for i in range(LIMITS["regions"])]
    raw = dump(plan_data)
    problems = load_plan_text(raw, "plan.yaml").problems
    assert [(p.path, p.line) for p in problems] == [("regions", line_of(raw, "\nregions:") + 1)]
    assert f"at most {LIMITS['regions']} items" in problems[0].message


def test_more_sites_than_the_limit_are_refused():
    with pytest.raises(ValidationError, match=f"at most {LIMITS['sites']} items") as error:
        Plan.model_validate(chained_sites_plan(LIMITS["sites"] + 1))
    assert [item["loc"] for item in error.value.errors()] == [("sites",)]


def test_the_validator_command_prints_a_limit_problem_with_file_line_and_path(tmp_path, plan_data, capsys):
    plan_data["sites"][0]["name"]["zh"] = "园" * 20_000
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    assert validate_main([str(path)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"plan.yaml:{line_of(path.read_bytes(), '园' * 10) - 1}  sites[0].name  ")
    assert f"at most {MAX_NAME} characters, not 20,000" in first
