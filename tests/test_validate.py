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
    assert capsys.readouterr().out.strip() == f"OK {paths.DEFAULT_BRIEFING}: briefing with 11 slides."


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


def test_the_progress_log(capsys):
    assert kind_of(paths.PROGRESS_LOG) == "progress"
    assert main([str(paths.PROGRESS_LOG)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"OK {paths.PROGRESS_LOG}: 72 entries for 27 tasks (6 overall), 13 sites, dated 2022 to 2026-02-13; checked against the bundled plan."
    )


def test_a_broken_progress_log_lists_every_problem(tmp_path, capsys):
    text = paths.PROGRESS_LOG.read_text(encoding="utf-8")
    text = text.replace("  tasks: [7]\n  sites: [lhaaso]\n", "  tasks: [7, 28]\n  sites: [lhaaso]\n", 1)
    text = text.replace('  event_date: "2023-05-10"\n', '  event_date: "2023-05-10"\n  published_on: "2023-05-11"\n', 1)
    path = tmp_path / "progress.yaml"
    path.write_text(text, encoding="utf-8")
    assert main([str(path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "].published_on  unknown key (check its spelling)" in lines[0]
    assert lines[-1] == f"1 problem(s) in {path}: the progress log was not loaded."
    path.write_text(text.replace('  published_on: "2023-05-11"\n', ""), encoding="utf-8")
    assert main([str(path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("progress.yaml:") and lines[0].endswith("].tasks[1]  unknown task number 28")


def test_a_progress_log_without_its_schema_line_is_still_recognised(tmp_path, capsys):
    path = tmp_path / "progress.yaml"
    text = paths.PROGRESS_LOG.read_text(encoding="utf-8").replace("schema: progress/1\n", "", 1)
    path.write_text(text, encoding="utf-8")
    assert kind_of(path) == "progress"
    assert main([str(path)]) == 1
    first_key = text.splitlines().index("plan_doc_number: 川办发〔2022〕13号") + 1  # a missing key is placed at the mapping it belongs to
    assert capsys.readouterr().out.strip().splitlines() == [
        f"progress.yaml:{first_key}  schema  required key is missing",
        f"1 problem(s) in {path}: the progress log was not loaded.",
    ]


def test_a_progress_log_against_another_plan(tmp_path, plan_text, capsys):
    other = tmp_path / "other-plan.yaml"
    other.write_text(plan_text.replace("doc_number: 川办发〔2022〕13号", "doc_number: 渝府办发〔2022〕1号", 1), encoding="utf-8")
    assert main([str(paths.PROGRESS_LOG), "--plan", str(other)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith("plan_doc_number  made for plan '川办发〔2022〕13号', but the loaded plan is '渝府办发〔2022〕1号'")
    assert main(["--plan", str(tmp_path / "missing.yaml"), str(paths.PROGRESS_LOG)]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        f"1 problem(s) in {tmp_path / 'missing.yaml'}: the plan to check {paths.PROGRESS_LOG} against was not loaded."
    )


def test_usage(capsys):
    for args in ([], ["a.yaml", "b.yaml"], ["a.yaml", "--plan"], ["--plan", "p.yaml"]):
        assert main(args) == 2
        assert "usage: python -m components.validate PATH [--plan PLAN]" in capsys.readouterr().err
