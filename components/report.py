"""Command line: the assessment report (评估报告) as a Word document, the same file the app's button makes.

Usage: python -m components.report --out report.docx [--lang zh|en] [--plan PATH] [--progress PATH | --no-progress]
       [--no-reports] [--as-of YEAR]
The agencies' accepted reports come from the database ($DASHBOARD_DATABASE_URL, else the embedded SQLite file).
`--as-of YEAR` keeps the statistics of YEAR and before, and the evidence published by the end of YEAR.
Exit 0 and a one-line summary when the file is written; 1 when the plan or progress log is broken or the
file cannot be made (every problem printed, nothing written); 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from components.exports.images import start_image_server
from components.exports.report_content import report_content
from components.exports.report_docx import write_docx
from components.paths import BUNDLED_PLAN, PROGRESS_LOG
from components.plan.loader import load_plan_file
from components.plan.progress import load_progress_file
from components.store.db import database_url, make_engine
from components.store.migrate import migrate
from components.store.reports import accepted_reports

FIRST_YEAR, LAST_YEAR = 2000, 2100


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m components.report", description="Write the assessment report as a Word document.")
    p.add_argument("--out", required=True, help="the .docx file to write (an existing file is replaced)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the document (default zh)")
    p.add_argument("--plan", default=str(BUNDLED_PLAN), help="the plan file (default: the bundled plan)")
    log = p.add_mutually_exclusive_group()
    log.add_argument("--progress", default=str(PROGRESS_LOG), help="the progress log (default: data/progress.yaml)")
    log.add_argument("--no-progress", action="store_true", help="no progress log: every task reads 'no public evidence found'")
    p.add_argument(
        "--no-reports", action="store_true", help="leave out the agencies' accepted reports (default: read them from the database)"
    )
    p.add_argument("--as-of", type=int, metavar="YEAR", help="only statistics of YEAR and before, and evidence published by its end")
    return p


def out_problem(out: Path) -> str | None:
    """Why the report cannot be written to `out`, or None."""
    if out.is_dir():
        return f"{out} is a folder: give a file name ending in .docx"
    if out.suffix.lower() != ".docx":
        return f"{out} does not end in .docx: Word would not recognise it"
    if not out.parent.is_dir():
        return f"the folder {out.parent} does not exist"
    return None


def write_atomically(out: Path, data: bytes) -> None:
    """Written beside the target and renamed over it: an interrupted run never leaves half a document."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # argparse has printed the usage and what was wrong
        return int(stop.code or 0)
    out = Path(args.out)
    problem = out_problem(out)
    if problem is None and args.as_of is not None and not FIRST_YEAR <= args.as_of <= LAST_YEAR:
        problem = f"--as-of {args.as_of} is not a year between {FIRST_YEAR} and {LAST_YEAR}"
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2

    plan_result = load_plan_file(Path(args.plan))
    if plan_result.value is None:
        for line in plan_result.problems:
            print(line, file=sys.stderr)
        print(f"{len(plan_result.problems)} problem(s) in {args.plan}: no report written.", file=sys.stderr)
        return 1
    plan = plan_result.value
    log = None
    if not args.no_progress:
        log_result = load_progress_file(plan, args.progress)
        if log_result.value is None:
            for line in log_result.problems:
                print(line, file=sys.stderr)
            print(
                f"{len(log_result.problems)} problem(s) in {args.progress}: no report written (--no-progress builds one without it).",
                file=sys.stderr,
            )
            return 1
        log = log_result.value

    reports = []
    if not args.no_reports:
        try:
            engine = make_engine(database_url())
            migrate(engine)  # a database nobody has written to yet: its tables, and no reports
            reports = accepted_reports(engine, plan.meta.doc_number)
        except SQLAlchemyError as error:
            print(
                f"error: the database cannot be read ({type(error).__name__}); --no-reports builds the report without agency reports.",
                file=sys.stderr,
            )
            return 1

    started = time.perf_counter()
    try:
        start_image_server()
        content = report_content(plan, log, reports, args.lang, generated=dt.date.today(), as_of=args.as_of)
        data = write_docx(content)
        write_atomically(out, data)
    except OSError as error:
        print(f"error: could not write {out}: {error.strerror or error}", file=sys.stderr)
        return 1
    except Exception as error:  # kaleido without Chromium, a figure that cannot be drawn: say what, no traceback
        print(f"error: could not build the report: {type(error).__name__}: {str(error)[:300]}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"OK {out}: {len(content.targets)} targets, {len(content.tasks)} task paragraphs, {len(content.charts)} charts, "
        f"{len(reports)} accepted agency report(s), {len(content.annex)} sources in the annex ({len(data) / 1e6:.1f} MB, {seconds:.1f} s)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
