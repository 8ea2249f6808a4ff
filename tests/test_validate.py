"""`python -m components.validate PATH` on each kind of hand-edited file."""

from __future__ import annotations

from components import paths
from components.plan.model import TargetEdit
from components.plan.scenarios import make_scenario, to_yaml_bytes
from components.validate import kind_of, main


def test_a_plan(capsys):
    assert main([str(paths.BUNDLED_PLAN)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"OK {paths.BUNDLED_PLAN}: 6 targets, 8 sections, 27 tasks, 34 agencies, 64 sites, 107 observations."
    )


def test_the_bundled_briefing(capsys):
    assert kind_of(paths.DEFAULT_BRIEFING) == "briefing"
    assert main([str(paths.DEFAULT_BRIEFING)]) == 0
    assert capsys.readouterr().out.strip() == f"OK {paths.DEFAULT_BRIEFING}: briefing with 10 slides."


def test_a_briefing_with_an_unknown_chart(tmp_path, capsys):
    path = tmp_path / "b.yaml"
    path.write_text(
        paths.DEFAULT_BRIEFING.read_text(encoding="utf-8").replace("chart: rd_intensity_pct", "chart: no_such_chart", 1), encoding="utf-8"
    )
    assert main([str(path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("b.yaml:") and "slides[0].chart  unknown chart 'no_such_chart'" in lines[0]
    assert lines[-1] == f"1 problem(s) in {path}: the briefing was not loaded."


def test_a_saved_scenario(tmp_path, plan, capsys):
    path = tmp_path / "稳健.yaml"
    path.write_bytes(to_yaml_bytes(make_scenario("稳健", plan, {"rd_intensity": TargetEdit(value=2.9)})))
    assert kind_of(path) == "scenario"
    assert main([str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"OK {path}: scenario '稳健' with 1 edited target(s), made for 川办发〔2022〕13号."


def test_usage(capsys):
    assert main([]) == 2
    assert "usage: python -m components.validate PATH" in capsys.readouterr().err
