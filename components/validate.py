"""Command-line check for people who edit a plan by hand.

Usage: python -m components.validate PATH
Exit 0 and a one-line summary for a good plan; exit 1 and every problem otherwise.
"""

from __future__ import annotations

import sys

from components.plan.loader import load_plan_file


def summary(path: str) -> tuple[int, list[str]]:
    result = load_plan_file(path)
    if result.value is None:
        lines = [str(problem) for problem in result.problems]
        lines.append(f"{len(result.problems)} problem(s) in {path}: the plan was not loaded.")
        return 1, lines
    plan = result.value
    return 0, [
        f"OK {path}: {len(plan.targets)} targets, {len(plan.sections)} sections, "
        f"{len(plan.tasks)} tasks, {len(plan.agencies)} agencies, {len(plan.sites)} sites, "
        f"{len(plan.observations)} observations."
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
