"""Command-line check for people who edit the data files by hand.

Usage: python -m components.validate PATH
The kind of file is recognised from its top-level keys: a plan (`meta:`), a briefing (`slides:`)
or a saved what-if scenario (`schema: scenario/1`). Exit 0 and a one-line summary for a good
file; exit 1 and every problem as `file:line  path  message` otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from components.plan.briefing_file import load_briefing_file
from components.plan.loader import Problem, Validated, load_plan_file, parse_yaml_mapping, read_file
from components.plan.scenarios import parse as parse_scenario


def kind_of(path: Path) -> str:
    """ "plan", "briefing" or "scenario" from the file's top-level keys; "plan" when it cannot tell (its problems then say why)."""
    raw = read_file(path)
    data = None if isinstance(raw, Problem) else parse_yaml_mapping(raw, path.name).data
    if isinstance(data, dict):
        if "slides" in data and "meta" not in data:
            return "briefing"
        if str(data.get("schema", "")).startswith("scenario/"):
            return "scenario"
    return "plan"


def summary(path: str) -> tuple[int, list[str]]:
    file = Path(path)
    kind = kind_of(file)
    result: Validated
    if kind == "briefing":
        from components.figures.registry import CHARTS  # the chart ids; imported here so that checking a plan does not load Plotly

        result = load_briefing_file(CHARTS, file)
    elif kind == "scenario":
        raw = read_file(file)
        result = Validated(None, (raw,)) if isinstance(raw, Problem) else parse_scenario(raw, file.name, None)
    else:
        result = load_plan_file(file)
    if result.value is None:
        lines = [str(problem) for problem in result.problems]
        lines.append(f"{len(result.problems)} problem(s) in {path}: the {kind} was not loaded.")
        return 1, lines
    value = result.value
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
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m components.validate PATH", file=sys.stderr)
        return 2
    code, lines = summary(args[0])
    for line in lines:
        print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
