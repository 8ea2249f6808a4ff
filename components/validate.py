"""Command-line check for people who edit the data files by hand.

Usage: python -m components.validate PATH [--plan PLAN]
The kind of file is recognised from its top-level keys: a plan (`meta:`), a briefing (`slides:`),
a saved what-if scenario (`schema: scenario/1`) or the progress log (`schema: progress/1`, or
`entries:` without `meta:`). A progress log is checked against a plan, the bundled one unless
`--plan` names another. Exit 0 and a one-line summary for a good file; exit 1 and every problem
as `file:line  path  message` otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from components.paths import BUNDLED_PLAN
from components.plan.briefing_file import load_briefing_file
from components.plan.loader import Problem, Validated, load_plan_file, parse_yaml_mapping, read_file
from components.plan.progress import date_key, load_progress_file
from components.plan.scenarios import parse as parse_scenario

USAGE = "usage: python -m components.validate PATH [--plan PLAN]"
NAMES = {"progress": "progress log"}


def kind_of(path: Path) -> str:
    """ "plan", "briefing", "scenario" or "progress" from the file's top-level keys; "plan" when it cannot tell (its problems then say why)."""
    raw = read_file(path)
    data = None if isinstance(raw, Problem) else parse_yaml_mapping(raw, path.name).data
    if isinstance(data, dict):
        if "slides" in data and "meta" not in data:
            return "briefing"
        if str(data.get("schema", "")).startswith("scenario/"):
            return "scenario"
        if str(data.get("schema", "")).startswith("progress/") or ("entries" in data and "meta" not in data):
            return "progress"
    return "plan"


def summary(path: str, plan_path: str | Path = BUNDLED_PLAN) -> tuple[int, list[str]]:
    file = Path(path)
    kind = kind_of(file)
    result: Validated
    if kind == "progress":
        plan = load_plan_file(plan_path)
        if plan.value is None:
            lines = [str(problem) for problem in plan.problems]
            lines.append(f"{len(plan.problems)} problem(s) in {plan_path}: the plan to check {path} against was not loaded.")
            return 1, lines
        result = load_progress_file(plan.value, file)
    elif kind == "briefing":
        from components.figures.registry import CHARTS  # the chart ids; imported here so that checking a plan does not load Plotly

        result = load_briefing_file(CHARTS, file)
    elif kind == "scenario":
        raw = read_file(file)
        result = Validated(None, (raw,)) if isinstance(raw, Problem) else parse_scenario(raw, file.name, None)
    else:
        result = load_plan_file(file)
    if result.value is None:
        lines = [str(problem) for problem in result.problems]
        lines.append(f"{len(result.problems)} problem(s) in {path}: the {NAMES.get(kind, kind)} was not loaded.")
        return 1, lines
    value = result.value
    if kind == "progress":
        tasks = {number for entry in value.entries for number in entry.tasks}
        sites = {site for entry in value.entries for site in entry.sites}
        dates = sorted((entry.date for entry in value.entries), key=date_key)
        span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
        against = "the bundled plan" if Path(plan_path).resolve() == BUNDLED_PLAN else str(plan_path)
        return 0, [
            f"OK {path}: {len(value.entries)} entries for {len(tasks)} tasks ({sum(entry.overall for entry in value.entries)} overall), "
            f"{len(sites)} sites{span}; checked against {against}."
        ]
    if kind == "briefing":
        return 0, [f"OK {path}: briefing with {len(value.slides)} slides."]
    if kind == "scenario":
        return 0, [f"OK {path}: scenario {value.name!r} with {len(value.edits)} edited target(s), made for {value.plan_doc_number}."]
    return 0, [
        f"OK {path}: {len(value.targets)} targets, {len(value.sections)} sections, "
        f"{len(value.tasks)} tasks, {len(value.agencies)} agencies, {len(value.sites)} sites, "
        f"{len(value.observations)} observations."
    ]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    plan_path: str | Path = BUNDLED_PLAN
    if len(args) == 3 and "--plan" in args[:2]:
        at = args.index("--plan")
        plan_path = args.pop(at + 1)
        args.pop(at)
    if len(args) != 1 or args[0].startswith("--"):
        print(USAGE, file=sys.stderr)
        return 2
    code, lines = summary(args[0], plan_path)
    for line in lines:
        print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
