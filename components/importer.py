"""Command line: read a plan's published text into a draft plan.yaml for a person to check.

Usage: python -m components.importer PLAN_FILE -o draft.yaml
PLAN_FILE is plain text (UTF-8 or GB18030/GBK), an HTML page as published, or a Word .docx.
Prints one summary line, then every uncertainty with its line in the source. Exit 0 when a draft
that validates was written; 1 when the file cannot be read as a plan (the reason is printed) or the
draft cannot be written; 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from components.i18n import t
from components.plan.importer import MAX_BYTES, ImportResult, Refusal, import_plan
from components.plan.loader import Problem, read_file

LANG = "en"


def summary(result: ImportResult) -> str:
    plan = result.plan
    draft = plan.meta.draft
    rule = t(f"import.rule.{draft.lead_rule.value}", LANG) if draft else ""
    quote = f" ({draft.lead_rule_quote})" if draft and draft.lead_rule_quote else ""
    return (
        f"{result.source.name}: {len(plan.sections)} sections, {len(plan.tasks)} tasks, {len(plan.agencies)} agencies, "
        f"{len(plan.targets)} targets ({result.targets_found} quantities in the goals); {rule}{quote}; "
        f"{len(result.uncertainties)} to check."
    )


def run(path: str, out: str) -> tuple[int, list[str]]:
    """(exit code, lines to print) for one import."""
    source = Path(path)
    raw = read_file(source, MAX_BYTES)
    if isinstance(raw, Problem):
        return 1, [f"{source.name}: {raw.message}"]
    result = import_plan(raw, source.name)
    if isinstance(result, Refusal):
        return 1, [f"{source.name}: not read as a plan. {t(f'import.refused.{result.code}', LANG, **result.values)}"]
    target = Path(out)
    try:
        if target.exists() and source.exists() and target.resolve() == source.resolve():
            return 1, [f"{target}: that is the plan file itself; choose another output file."]
        handle, temporary = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".draft-", suffix=".yaml")
        with os.fdopen(handle, "wb") as stream:
            stream.write(result.yaml_bytes)
        os.replace(temporary, target)  # a reader never sees half a file
    except OSError as error:
        return 1, [f"{target}: cannot write the draft: {error.strerror or error}"]
    lines = [summary(result) + f" Draft written to {target}."]
    lines += [f"{issue.where(source.name, result.source.kind)}  {issue.message(LANG)}" for issue in result.uncertainties]
    return 0, lines


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # a usage message and exit 2, never a traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m components.importer", description="Read a plan's text (.txt, .html, .docx) into a draft plan.yaml.")
    parser.add_argument("plan_file")
    parser.add_argument("-o", "--output", required=True, help="where to write the draft plan YAML")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    code, lines = run(args.plan_file, args.output)
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:  # `… | head` closed the pipe: the draft is written; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


if __name__ == "__main__":
    sys.exit(main())
