"""Scenarios: names are refused rather than cleaned, the file form, reading the old folder safely, uploads are checked.
Saving them is the database's job (tests/store/test_scenarios.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from components.plan import scenarios as store
from components.plan.scenarios import Scenario, ScenarioNameError, TargetEdit

BROKEN = Path(__file__).resolve().parent / "broken"
WHEN = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)


def scenario(plan, name="高目标 A", edits=None) -> Scenario:
    if edits is None:
        edits = {
            "rd_intensity": TargetEdit(value=2.8, growth_pct=0.12),
            "hightech_enterprises": TargetEdit(value=18000, target_year=2027),
            "tech_contract_turnover": TargetEdit(growth_pct=-3.5),
        }
    return store.make_scenario(name, plan, edits, saved_at=WHEN)


def tree(directory: Path) -> dict[str, str]:
    """Every path under `directory` with a hash of its bytes (or 'dir'/'link')."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(directory):
        for entry in dirnames + filenames:
            path = Path(dirpath) / entry
            rel = str(path.relative_to(directory))
            if path.is_symlink():
                found[rel] = "link"
            elif path.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# --- names ---


@pytest.mark.parametrize("name", ["高目标", "high growth 2", "情景-A_1", "a", "x" * 60, "研发 强度 3"])
def test_good_names_are_returned_unchanged(name):
    assert store.safe_name(name) == name


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("../../plan", "separator"),
        ("/etc/passwd", "separator"),
        ("a/b", "separator"),
        ("a\\b", "separator"),
        ("..\\..\\plan", "separator"),
        ("..", "dot"),
        (".", "dot"),
        (".hidden", "dot"),
        ("plan.yaml", "dot"),
        ("CON", "reserved"),
        ("con", "reserved"),
        ("Lpt1", "reserved"),
        ("NUL", "reserved"),
        ("x" * 61, "too_long"),
        ("a" * 200, "too_long"),
        ("情" * 5000, "too_long"),
        ("../" * 2000, "separator"),
        ("a\u202eb", "chars"),  # a right-to-left override
        ("a\x00b", "control"),
        ("a\nb", "control"),
        ("tab\there", "control"),
        (" lead", "edge_space"),
        ("trail ", "edge_space"),
        ("a:b", "chars"),
        ("a*b", "chars"),
        ("ＡＢ", "chars"),  # full-width letters
        ("情景\u200b", "chars"),  # zero-width space
        ("~home", "chars"),
    ],
)
def test_bad_names_are_refused_with_a_reason(name, code):
    with pytest.raises(ScenarioNameError) as raised:
        store.safe_name(name)
    assert raised.value.code == code
    assert code in store.NAME_ERROR_CODES


def test_names_that_differ_only_in_unicode_normalisation_are_one_name(plan):
    """豈 U+F900 and 豈 U+8C48 are the same text to Unicode (and look alike): both were accepted as two scenarios."""
    assert store.safe_name("\uf900情景") == "\u8c48情景"
    assert store.safe_name("\u8c48情景") == "\u8c48情景"
    assert scenario(plan, name="\uf900情景").name == "\u8c48情景"


def test_refused_name_is_not_normalised(tmp_path, plan):
    """`../../plan` is an error, not quietly taken as `plan`."""
    with pytest.raises(ScenarioNameError):
        store.safe_name("../../plan")
    with pytest.raises(ValidationError):
        scenario(plan, name="../../plan")
    assert store.list_names(tmp_path) == []


# --- the file form, and reading the old scenario folder (imported once into the database) ---


def write(directory: Path, scenario_: Scenario) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{scenario_.name}.yaml"
    path.write_bytes(store.to_yaml_bytes(scenario_))
    return path


def test_round_trip_keeps_exact_values(tmp_path, plan):
    original = scenario(plan)
    write(tmp_path, original)
    assert store.list_names(tmp_path) == ["高目标 A"]
    result = store.load(tmp_path, "高目标 A", plan)
    assert result.problems == ()
    loaded = result.value
    assert loaded == original
    assert loaded.schema_ == "scenario/1"
    assert loaded.plan_doc_number == "川办发〔2022〕13号"
    assert loaded.saved_at == WHEN
    assert loaded.edits["rd_intensity"].value == 2.8
    assert loaded.edits["rd_intensity"].growth_pct == 0.12
    assert loaded.edits["rd_intensity"].target_year is None
    assert loaded.edits["hightech_enterprises"] == TargetEdit(value=18000.0, target_year=2027)
    assert loaded.edits["tech_contract_turnover"].growth_pct == -3.5


def test_file_is_plain_readable_yaml(plan):
    text = store.to_yaml_bytes(scenario(plan)).decode("utf-8")
    assert text.startswith("schema: scenario/1\nname: 高目标 A\n")
    assert "rd_intensity:\n    value: 2.8\n    growth_pct: 0.12\n" in text
    assert "null" not in text  # unset fields are left out


def test_list_is_sorted_and_ignores_other_files(tmp_path, plan):
    for name in ["b", "a", "情景"]:
        write(tmp_path, scenario(plan, name=name))
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.yaml").write_text("x")
    (tmp_path / "sub.yaml").mkdir()
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    assert store.list_names(tmp_path) == ["a", "b", "情景"]
    assert store.list_names(tmp_path / "missing") == []


def test_symlinked_scenario_file_is_not_followed(tmp_path, plan):
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(store.to_yaml_bytes(scenario(plan, name="evil")))
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "evil.yaml").symlink_to(outside)
    result = store.load(scenarios, "evil", plan)
    assert result.value is None
    assert store.list_names(scenarios) == []


def test_path_traversal_reads_nothing_outside(tmp_path, plan):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    write(tmp_path, scenario(plan, name="plan"))  # a valid scenario file one level up
    before = tree(tmp_path)
    for name in ["../plan", "../../plan", "/etc/passwd", "..", "../scenarios/x", "..\\plan", "a/../../b"]:
        with pytest.raises(ScenarioNameError):
            store.load(scenarios, name, plan)
    assert tree(tmp_path) == before


def test_load_missing_is_a_problem(tmp_path, plan):
    result = store.load(tmp_path, "nothing", plan)
    assert result.value is None
    assert [p.message for p in result.problems] == ["no such scenario"]


# --- uploads ---


def test_parse_good_upload(plan):
    raw = "\n".join(
        [
            "schema: scenario/1",
            "name: 上传情景",
            "plan_doc_number: 川办发〔2022〕13号",
            "saved_at: 2025-01-02T03:04:05Z",
            "edits:",
            "  hv_invention_patents:",
            "    value: 6.5",
            "    target_year: 2026",
            "",
        ]
    ).encode()
    result = store.parse(raw, "up.yaml", plan)
    assert result.problems == ()
    assert result.value.name == "上传情景"
    assert result.value.edits == {"hv_invention_patents": TargetEdit(value=6.5, target_year=2026)}
    assert result.value.saved_at == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def good_text(plan) -> str:
    return store.to_yaml_bytes(scenario(plan)).decode()


def test_syntax_error_reports_its_line(plan):
    raw = good_text(plan).replace("value: 2.8", "value: [2.8").encode()
    result = store.parse(raw, "bad.yaml", plan)
    assert result.value is None
    assert len(result.problems) == 1
    assert "syntax error" in result.problems[0].message
    assert result.problems[0].line in (8, 9)  # the open bracket's line or the next


def test_broken_syntax_fixture(plan):
    result = store.parse((BROKEN / "syntax_error.yaml").read_bytes(), "syntax_error.yaml", plan)
    assert result.value is None
    assert result.problems[0].line == 3


def test_python_tag_is_refused_and_not_run(plan, tmp_path, monkeypatch):
    raw = good_text(plan).replace("name: 高目标 A", 'name: !!python/object/apply:os.system ["touch PWNED"]').encode()
    monkeypatch.chdir(tmp_path)
    result = store.parse(raw, "tag.yaml", plan)
    assert result.value is None
    assert any("not allowed" in p.message and p.line == 2 for p in result.problems)
    assert not (tmp_path / "PWNED").exists()
    fixture = store.parse((BROKEN / "python_tag.yaml").read_bytes(), "python_tag.yaml", plan)
    assert fixture.value is None and fixture.problems


def test_alias_bomb_is_refused(plan):
    result = store.parse((BROKEN / "alias_bomb.yaml").read_bytes(), "alias_bomb.yaml", plan)
    assert result.value is None
    assert "alias bomb" in result.problems[0].message


def test_oversized_upload_is_refused(plan):
    raw = good_text(plan).encode() + b"#" * store.MAX_BYTES
    result = store.parse(raw, "big.yaml", plan)
    assert result.value is None
    assert "at most" in result.problems[0].message


def test_unknown_target_is_reported_with_line_and_path(plan):
    raw = good_text(plan).replace("hightech_enterprises:", "no_such_target:").encode()
    result = store.parse(raw, "unknown.yaml", plan)
    assert result.value is None
    assert [(p.line, p.path, p.message) for p in result.problems] == [
        (9, "edits.no_such_target", "unknown target 'no_such_target'")
    ]  # the line of the key itself


def test_validation_problems_carry_line_and_path(plan):
    text = good_text(plan)
    text = text.replace("value: 2.8", "value: .nan").replace("target_year: 2027", "target_year: 3000")
    text = text.replace("growth_pct: -3.5", "growth_pct: -3.5\n    colour: red")
    result = store.parse(text.encode(), "bad.yaml", plan)
    assert result.value is None
    found = {(p.line, p.path) for p in result.problems}
    assert found == {
        (7, "edits.rd_intensity.value"),
        (11, "edits.hightech_enterprises.target_year"),
        (14, "edits.tech_contract_turnover.colour"),
    }


def test_wrong_schema_and_other_plan_are_refused(plan):
    other = good_text(plan).replace("scenario/1", "scenario/9").encode()
    assert [(p.line, p.path) for p in store.parse(other, "x.yaml", plan).problems] == [(1, "schema")]
    elsewhere = good_text(plan).replace("川办发〔2022〕13号", "川府发〔2099〕1号").encode()
    problems = store.parse(elsewhere, "x.yaml", plan).problems
    assert [(p.line, p.path) for p in problems] == [(3, "plan_doc_number")]


def test_bad_name_inside_an_upload_is_refused(plan):
    raw = good_text(plan).replace("name: 高目标 A", "name: ../../plan").encode()
    result = store.parse(raw, "x.yaml", plan)
    assert result.value is None
    assert [(p.line, p.path) for p in result.problems] == [(2, "name")]
