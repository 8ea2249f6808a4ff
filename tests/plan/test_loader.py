"""The loader on good, broken and hostile files: every problem named with its line and path."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from components import paths
from components.plan.loader import MAX_BYTES, MAX_NODES, load_plan_file, load_plan_text
from components.plan.model import Flag
from components.validate import main as validate_main

BROKEN = Path(__file__).parent / "broken"
ROOT = paths.ROOT


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def load_dict(data: dict):
    return load_plan_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode(), "plan.yaml")


def test_bundled_plan_loads(plan):
    assert plan.meta.doc_number == "川办发〔2022〕13号"
    assert str(plan.meta.issue_date) == "2022-01-24"


def test_syntax_error_names_line():
    result = load_plan_file(BROKEN / "syntax_error.yaml")
    assert result.value is None
    [problem] = result.problems
    assert problem.line == 3
    assert "YAML syntax error" in problem.message


def test_empty_and_comment_only():
    assert messages(load_plan_file(BROKEN / "empty.yaml")) == ["empty.yaml  (document)  file is empty"]
    assert messages(load_plan_file(BROKEN / "comment_only.yaml")) == ["comment_only.yaml  (document)  file holds no YAML document"]


def test_multi_document_rejected():
    [problem] = load_plan_file(BROKEN / "multi_document.yaml").problems
    assert "more than one YAML document" in problem.message
    assert problem.line == 3


def test_non_mapping_rejected():
    [problem] = load_plan_file(BROKEN / "not_a_mapping.yaml").problems
    assert "must be a mapping" in problem.message


def test_python_tag_is_refused_and_never_run(tmp_path):
    marker = Path("/tmp/pwned")
    marker.unlink(missing_ok=True)
    result = load_plan_file(BROKEN / "python_tag.yaml")
    assert not marker.exists()
    assert any("tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in m for m in messages(result))
    assert any(p.path == "meta" and p.line == 2 for p in result.problems)


def test_alias_bomb_is_bounded():
    """The builder stops counting at MAX_NODES values: the refusal says so instead of expanding the bomb."""
    [problem] = load_plan_file(BROKEN / "alias_bomb.yaml").problems
    assert problem.message == f"document expands to more than {MAX_NODES:,} values (alias bomb?)"


def test_duplicate_key_reported_with_line():
    result = load_plan_file(BROKEN / "duplicate_keys.yaml")
    dup = [p for p in result.problems if "duplicate key" in p.message]
    assert [(p.line, p.path) for p in dup] == [(4, "meta.doc_number")]


def test_gbk_reported_as_encoding_problem():
    [problem] = load_plan_file(BROKEN / "gbk.yaml").problems
    assert "not valid UTF-8" in problem.message and "GBK" in problem.message
    assert problem.line == 2


def test_binary_file():
    [problem] = load_plan_file(BROKEN / "binary.yaml").problems
    assert "binary" in problem.message


@pytest.mark.parametrize(("raw", "line"), [(b"\x01", 1), (b"meta:\n  title:\x0b x\n", 2), ("a: 1\nb: 2\n名称: \x7f\n".encode(), 3)])
def test_a_control_character_is_a_problem_with_its_line(raw, line):
    """Found by the fuzz tests: PyYAML refuses such a character when the reader is made, before parsing, and that raised."""
    result = load_plan_text(raw, "plan.yaml")
    assert result.value is None
    [problem] = result.problems
    assert problem.line == line
    assert "is not allowed in a YAML file (a control character)" in problem.message


def test_huge_file_refused_before_parsing():
    huge = b"a: " + b"x" * (MAX_BYTES + 1)
    [problem] = load_plan_text(huge, "huge.yaml").problems
    assert "limit" in problem.message


def test_deeply_nested_document():
    text = "a: " + "[" * 5000 + "]" * 5000
    result = load_plan_text(text.encode(), "deep.yaml")
    assert result.value is None and result.problems


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_nesting_a_hundred_thousand_levels_deep_is_a_problem_not_a_crash(opening):
    """libyaml's own composer recurses in C and crashed the process on this; the loader builds nodes with a stack."""
    closing = "]" if opening == "[" else "}"
    result = load_plan_text(("a: " + opening * 100_000 + closing * 100_000).encode(), "deep.yaml")
    assert [problem.message for problem in result.problems] == ["nested deeper than 64 levels"]


def test_missing_file():
    [problem] = load_plan_file(ROOT / "no-such-plan.yaml").problems
    assert "cannot read file" in problem.message


def test_bom_is_accepted(plan_text):
    result = load_plan_text(b"\xef\xbb\xbf" + plan_text.encode("utf-8"), "bom.yaml")
    assert result.problems == ()
    assert len(result.value.tasks) == 27


def test_wrong_types_all_collected(plan_data, plan_text):
    plan_data["targets"][0]["value"] = "two point five"
    plan_data["tasks"][3]["number"] = "four"
    plan_data["meta"]["issue_date"] = "yesterday"
    result = load_dict(plan_data)
    paths = {p.path for p in result.problems}
    assert {"targets[0].value", "tasks[3].number", "meta.issue_date"} <= paths
    assert all(p.line for p in result.problems)


def test_unknown_agency_named_with_path_and_line(plan_data):
    plan_data["tasks"][12]["lead"][0] = "kejiting"
    result = load_dict(plan_data)
    [problem] = result.problems
    assert problem.path == "tasks[12].lead[0]"
    assert problem.message == "unknown agency 'kejiting'"
    dumped = yaml.safe_dump(plan_data, allow_unicode=True, sort_keys=False).splitlines()
    assert "kejiting" in dumped[problem.line - 1]
    assert str(problem) == f"plan.yaml:{problem.line}  tasks[12].lead[0]  unknown agency 'kejiting'"


def test_unknown_key_is_a_typo(plan_data):
    plan_data["tasks"][0]["leed"] = ["kjt"]
    [problem] = load_dict(plan_data).problems
    assert (problem.path, problem.message) == ("tasks[0].leed", "unknown key (check its spelling)")


def test_duplicate_ids(plan_data):
    plan_data["agencies"][1]["id"] = plan_data["agencies"][0]["id"]
    result = load_dict(plan_data)
    assert any(p.path == "agencies[1].id" and p.message.startswith("duplicate id") for p in result.problems)


def test_site_cycle_detected(plan_data):
    sites = plan_data["sites"]
    child = next(s for s in sites if s.get("parent"))
    parent = next(s for s in sites if s["id"] == child["parent"])
    parent["parent"] = child["id"]
    result = load_dict(plan_data)
    assert any("its own ancestor" in p.message for p in result.problems)


def test_out_of_range_values(plan_data):
    share = next(o for o in plan_data["observations"] if o["indicator"] == "rd_intensity_pct")
    share["value"] = 250
    count = next(o for o in plan_data["observations"] if o["indicator"] == "hightech_enterprises")
    count["value"] = -5
    found = {(p.path, p.message) for p in load_dict(plan_data).problems}
    index_share = plan_data["observations"].index(share)
    index_count = plan_data["observations"].index(count)
    assert found == {
        (f"observations[{index_share}].value", "250.0 is a share over 100"),
        (f"observations[{index_count}].value", "-5.0 is negative"),
    }


def test_implausible_years_and_non_finite_numbers(plan_data):
    plan_data["observations"][0]["year"] = 3025
    plan_data["targets"][0]["value"] = float("nan")
    found = {(p.path, p.message.split(" (got")[0]) for p in load_dict(plan_data).problems}
    assert found == {
        ("observations[0].year", "Input should be less than or equal to 2100"),
        ("targets[0].value", "Value error, must be a finite number"),
    }


def test_observation_without_source(plan_data):
    del plan_data["observations"][2]["source"]
    [problem] = load_dict(plan_data).problems
    assert (problem.path, problem.message) == ("observations[2].source", "required key is missing")


def test_two_charted_values_for_one_year(plan_data):
    snapshot = next(o for o in plan_data["observations"] if o.get("charted") is False)
    snapshot["charted"] = True
    [problem] = load_dict(plan_data).problems
    assert "two charted values" in problem.message


def test_an_uncharted_value_must_say_why_and_a_snapshot_its_date(plan_data):
    snapshot = next(o for o in plan_data["observations"] if "snapshot" in o.get("flags", []))
    index = plan_data["observations"].index(snapshot)
    del snapshot["decision"], snapshot["as_of"]
    problems = {(p.path, p.message) for p in load_dict(plan_data).problems}
    assert problems == {
        (f"observations[{index}].as_of", "a snapshot must say the date it counts at (as_of: 2025-09)"),
        (f"observations[{index}].decision", "a value that is not charted must say why (decision: {zh: …, en: …})"),
    }


@pytest.mark.parametrize(
    ("as_of", "kept"), [(dt.date(2025, 9, 25), "2025-09-25"), ("2025-09", "2025-09"), ("2025-13", None), ("Sept", None)]
)
def test_as_of_is_a_month_or_a_day(plan_data, as_of, kept):
    snapshot = next(o for o in plan_data["observations"] if "snapshot" in o.get("flags", []))
    snapshot["as_of"] = as_of
    result = load_dict(plan_data)
    if kept is None:
        assert [p.path for p in result.problems] == [f"observations[{plan_data['observations'].index(snapshot)}].as_of"]
    else:
        assert next(o for o in result.value.observations if Flag.snapshot in o.flags).as_of == kept


def test_a_lower_bound_is_a_flag_the_model_knows(plan_data):
    plan_data["observations"][0]["flags"] = ["lower_bound", "guessed"]
    [problem] = load_dict(plan_data).problems
    assert problem.path == "observations[0].flags[1]"


def test_validator_command_good_plan(capsys):
    assert validate_main([str(ROOT / "data" / "plan.yaml")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("OK ") and "27 tasks" in out[0]


def test_validator_command_every_broken_file_answers_without_traceback():
    for path in sorted(BROKEN.iterdir()):
        run = subprocess.run(
            [sys.executable, "-m", "components.validate", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert run.returncode == 1, path.name
        assert "Traceback" not in run.stdout + run.stderr, path.name
        assert run.stdout.strip().splitlines()[-1].endswith("the plan was not loaded."), path.name
