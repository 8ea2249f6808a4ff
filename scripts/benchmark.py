"""How fast every page is, on the bundled plan and on a synthetic plan 100x larger, against a bare Streamlit floor.

The bundled plan runs with the bundled progress log and an empty temporary database; the synthetic plan with
a synthetic progress log of 10,000 entries and a temporary database of 10,000 reports filed and reviewed through
the store (scripts/synthetic_plan.py). Both are measured signed in as a reviewer, so the reporting, review and
coverage pages show what a reviewer sees.

    python -m scripts.benchmark                      # print the table
    python -m scripts.benchmark --write docs/performance.md
    python -m scripts.benchmark --runs 3 --nav-runs 2 --skip-browser

For every page app.py registers:
- server-side run time in AppTest (median of --runs): the first run of the
  page in a fresh session, and reruns of it (a widget click or an edit reruns
  the page);
- in headless Chromium against a real `streamlit run`: time from clicking the
  page's link to every chart on it drawn (median of --nav-runs; a page without
  charts: to its last change before it settled);
- the what-if edit on the page that has the editor: Enter to updated chart;
- the server's resident memory after start and its peak (VmHWM) after all of it;
- the briefing's exports on the bundled plan: its slides drawn and the HTML pack
  written, and the PowerPoint written (kaleido's Chromium started beforehand, as
  the briefing page starts it when it opens); and the Word assessment report with
  the bundled progress log, built whole as its button builds it;
- the plan-text importer on a synthetic 300-task plan text (the Sichuan text's
  tasks repeated and renumbered): bytes to a validated draft and its YAML.

The floor is a bare Streamlit app whose page draws one Plotly chart; each page's
time is also given as a multiple of the floor. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import platform
import statistics
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from components.paths import ROOT
from components.store.db import DATABASE_URL_ENV
from scripts.app_pages import PageInfo, apptest_runs_app_py, registered_pages, server_started_with
from scripts.local_server import streamlit_server
from scripts.report import write_section
from scripts.synthetic_plan import (
    SEED_PASSWORD,
    SEED_REVIEWER,
    plan_text,
    scaled_plan,
    scaled_progress,
    seed_reports,
    write_plan,
    write_progress,
)

GOALS = {
    "rerun_bundled": 0.150,
    "rerun_large": 1.0,
    "charts_drawn": 2.5,
    "whatif_bundled": 0.3,
    "whatif_large": 0.5,
    "html_pack": 30.0,  # slides drawn + HTML written
    "pptx_deck": 60.0,  # PowerPoint written from drawn slides (one PNG per chart)
    "report_docx": 15.0,  # the Word assessment report: content, its charts drawn as PNG, the file written
    "import_text": 3.0,  # a 300-task plan text → validated draft plan and its YAML
}
IMPORT_TASKS = 300
SETTLE_QUIET = 0.4  # scripts.browser.wait_settled's default quiet_ms, which go_to waits for
WHATIF_INPUT = '[class*="st-key-whatif_value_"] input'
MARK_START, MARK_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"

FLOOR_APP = """
import streamlit as st
st.navigation([st.Page("views/blank.py", default=True, url_path="blank"), st.Page("views/chart.py", url_path="chart")]).run()
"""
FLOOR_BLANK = 'import streamlit as st\nst.title("floor")\n'
FLOOR_CHART = """
import plotly.graph_objects as go
import streamlit as st
st.title("floor chart")
st.plotly_chart(go.Figure(go.Scatter(x=list(range(60)), y=[i * i for i in range(60)], mode="lines+markers")), key="floor")
"""


@dataclass
class PageResult:
    script: str
    charts: int = 0
    first: list[float] = field(default_factory=list)
    rerun: list[float] = field(default_factory=list)
    nav: list[float] = field(default_factory=list)
    nav_error: str = ""
    error: str = ""


@dataclass
class PlanResult:
    label: str
    path: Path | None
    size: int
    counts: str
    progress: Path | None = None  # None: the bundled log
    database: str = ""  # the temporary database's URL
    pages: dict[str, PageResult] = field(default_factory=dict)
    whatif: list[float] = field(default_factory=list)
    whatif_page: str = ""
    whatif_error: str = ""
    rss_start: int = 0
    rss_peak: int = 0
    outside: list[str] = field(default_factory=list)


@dataclass
class ExportResult:
    slides: int = 0
    draw: list[float] = field(default_factory=list)
    html: list[float] = field(default_factory=list)  # drawing and writing, as a user waits for it
    pptx: list[float] = field(default_factory=list)  # writing only: the slides are drawn once beforehand
    pptx_error: str = ""
    report: list[float] = field(default_factory=list)  # the Word report, content to file, Chromium warm


@dataclass
class ImportTiming:
    size: int = 0
    tasks: int = 0
    sections: int = 0
    times: list[float] = field(default_factory=list)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# --- server side (AppTest) -------------------------------------------------------------------------


def quiet_streamlit() -> None:
    """AppTest.from_file in the main thread logs 'missing ScriptRunContext' every time: harmless, and it drowns the output."""
    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def time_run(at) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


@contextlib.contextmanager
def database_env(url: str | None):
    """The app's database for AppTest in this process (`DASHBOARD_DATABASE_URL`), restored afterwards."""
    from components.store.db import DATABASE_URL_ENV

    saved = os.environ.get(DATABASE_URL_ENV)
    if url:
        os.environ[DATABASE_URL_ENV] = url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(DATABASE_URL_ENV, None)
        else:
            os.environ[DATABASE_URL_ENV] = saved


def reviewer_token(url: str) -> str:
    """A session token of the seeded reviewer: AppTest sessions start signed in with it."""
    from components.store import accounts
    from components.store.db import make_engine

    engine = make_engine(url)
    try:
        token = accounts.sign_in(engine, SEED_REVIEWER, SEED_PASSWORD, "benchmark")
    finally:
        engine.dispose()
    if token is None:
        raise SystemExit("the seeded reviewer could not sign in")
    return token


def measure_apptest(
    app: Path,
    plan: Path | None,
    pages: list[PageInfo],
    runs: int,
    budget: float,
    *,
    progress: Path | None = None,
    database: str | None = None,
) -> dict[str, PageResult]:
    """First run (fresh session, median of `runs`) and reruns (median of `runs`) of every page; signed in as the
    seeded reviewer when a database is given."""
    from streamlit.testing.v1 import AppTest

    quiet_streamlit()
    results: dict[str, PageResult] = {}
    with server_started_with(plan, progress), apptest_runs_app_py(), database_env(database):
        from components.ui.accounts import TOKEN_KEY

        token = reviewer_token(database) if database else None

        def fresh() -> AppTest:
            at = AppTest.from_file(str(app), default_timeout=600)
            if token:
                at.session_state[TOKEN_KEY] = token
            return at

        fresh().run()  # imports and plan parsing, not counted
        for page in pages:
            result = results[page.script] = PageResult(page.script)
            spent_from = time.perf_counter()
            for attempt in range(runs):
                at = fresh()
                if page.default:
                    result.first.append(time_run(at))
                else:
                    at.run()
                    at.switch_page(page.script)
                    result.first.append(time_run(at))
                if at.exception:
                    result.error = at.exception[0].message[:200]
                    break
                result.charts = len(at.get("plotly_chart"))
                if attempt == 0:
                    for _ in range(runs):
                        result.rerun.append(time_run(at))
                        if time.perf_counter() - spent_from > budget and len(result.rerun) >= 1:
                            break
                if time.perf_counter() - spent_from > budget:
                    break
            del at
            gc.collect()
    return results


# --- briefing exports ------------------------------------------------------------------------------


def measure_exports(runs: int, with_pptx: bool) -> ExportResult:
    """The bundled briefing on the bundled plan: slides drawn, HTML pack built, PowerPoint built (median of `runs`)."""
    import datetime as dt

    from components.exports.html_pack import build_html
    from components.figures.registry import CHARTS, ChartInputs
    from components.figures.slides import deck_for
    from components.paths import BUNDLED_PLAN
    from components.plan.briefing_file import load_briefing_file
    from components.plan.loader import load_plan_file

    plan, briefing = load_plan_file(BUNDLED_PLAN).value, load_briefing_file(CHARTS).value
    result = ExportResult(len(briefing.slides))
    today = dt.date.today()
    for _ in range(runs):
        started = time.perf_counter()
        deck = deck_for(plan, briefing, "zh", ChartInputs(), exported=today)
        drawn = time.perf_counter()
        build_html(deck)
        result.draw.append(drawn - started)
        result.html.append(time.perf_counter() - started)
    if not with_pptx:
        return result
    try:
        from components.exports.images import start_image_server
        from components.exports.pptx_deck import build_pptx, chart_png

        start_image_server()
        chart_png(deck.slides[0].figure)  # Chromium up and warm, not counted
        for _ in range(runs):
            started = time.perf_counter()
            build_pptx(deck)
            result.pptx.append(time.perf_counter() - started)
        from components.exports.report_docx import build_report
        from components.plan.progress import load_progress_file

        log = load_progress_file(plan).value
        for _ in range(runs):
            started = time.perf_counter()
            build_report(plan, log, [], "zh", generated=today)
            result.report.append(time.perf_counter() - started)
    except Exception as error:  # no Chromium for kaleido: a result, not a crash
        first_line = str(error).splitlines()[0][:120] if str(error) else ""
        result.pptx_error = f"{type(error).__name__}: {first_line}"
    return result


# --- plan-text importer ----------------------------------------------------------------------------


def measure_import(runs: int) -> ImportTiming:
    """Bytes of a 300-task plan text to a validated draft and its YAML (median of `runs`; the first, warming run not counted)."""
    from components.plan.importer import ImportResult, import_plan

    raw = plan_text(IMPORT_TASKS).encode("utf-8")
    timing = ImportTiming(size=len(raw))
    result = import_plan(raw, "synthetic-plan.txt")  # imports and compiled patterns, not counted
    if not isinstance(result, ImportResult):
        raise SystemExit(f"the synthetic plan text was refused: {result.code}")
    timing.tasks, timing.sections = len(result.plan.tasks), len(result.plan.sections)
    for _ in range(runs):
        started = time.perf_counter()
        import_plan(raw, "synthetic-plan.txt")
        timing.times.append(time.perf_counter() - started)
    return timing


# --- browser ---------------------------------------------------------------------------------------


def measure_browser(
    browser,
    url: str,
    pages: list[PageInfo],
    results: dict[str, PageResult],
    nav_runs: int,
    timeout_ms: int,
    outside: list[str],
    *,
    signed_in: bool = False,
) -> tuple[list[float], str, str]:
    """Navigation → all charts drawn for every page (signed in as the seeded reviewer if asked); then Enter → updated
    chart on the what-if page."""
    from scripts.browser import chart_signatures, go_to, guard_offline, open_app, sign_in, wait_chart_change, wait_settled

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    guard_offline(context, outside)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    open_app(page, url, timeout_ms=timeout_ms)
    if signed_in:
        sign_in(page, SEED_REVIEWER, SEED_PASSWORD, timeout_ms=timeout_ms)
    # leave for the page with the fewest charts, so that old charts cannot be mistaken for new ones
    neutral = min(pages, key=lambda p: (results[p.script].charts, not p.default))
    # one untimed pass: the first chart in a browser session also loads plotly.js (see the floor's cold time)
    for info in pages:
        if not results[info.script].error:
            with contextlib.suppress(Exception):
                go_to(page, info.url_path, charts=results[info.script].charts, timeout_ms=timeout_ms)
    whatif_page = ""
    for info in pages:
        result = results[info.script]
        if result.error:
            continue
        other = neutral if neutral.script != info.script else next(p for p in pages if p.script != info.script)
        try:
            for _ in range(nav_runs):
                go_to(page, other.url_path, charts=results[other.script].charts, timeout_ms=timeout_ms)
                started = time.perf_counter()
                drawn = go_to(page, info.url_path, charts=result.charts, timeout_ms=timeout_ms)
                # a page without charts is "drawn" as soon as no rerun shows as pending, which can be before its
                # run began: count to its last change instead (settled, less the quiet time that proved it)
                result.nav.append(drawn if result.charts else time.perf_counter() - started - SETTLE_QUIET)
            if not whatif_page and page.locator(WHATIF_INPUT).count():
                whatif_page = info.script
        except Exception as error:  # a page too slow to draw within the limit is a result, not a crash
            result.nav_error = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
            with contextlib.suppress(Exception):
                open_app(page, url, timeout_ms=timeout_ms)
                if signed_in and not page.locator(".st-key-auth--sign_out button").count():
                    sign_in(page, SEED_REVIEWER, SEED_PASSWORD, timeout_ms=timeout_ms)

    whatif: list[float] = []
    error = ""
    if whatif_page:
        info = next(p for p in pages if p.script == whatif_page)
        try:
            go_to(page, info.url_path, charts=results[whatif_page].charts, timeout_ms=timeout_ms)
            box = page.locator(WHATIF_INPUT).first
            official = box.input_value()
            base = float(official)
            for i in range(nav_runs + 2):
                before = chart_signatures(page)
                value = f"{base * (1.2 + 0.1 * i):g}"
                box.fill(value)
                started = time.perf_counter()
                box.press("Enter")
                wait_chart_change(page, before, timeout_ms=timeout_ms)
                whatif.append(time.perf_counter() - started)
                wait_settled(page, timeout_ms=timeout_ms)
        except Exception as err:
            error = f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
    context.close()
    return whatif, whatif_page, error


def measure_floor_browser(browser, url: str, nav_runs: int, timeout_ms: int, outside: list[str]) -> tuple[float, list[float]]:
    """(first chart in a fresh browser session, then the median case) for the bare one-chart page."""
    from scripts.browser import go_to, guard_offline, open_app

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    guard_offline(context, outside)
    page = context.new_page()
    open_app(page, url, timeout_ms=timeout_ms)
    cold = go_to(page, "chart", charts=1, timeout_ms=timeout_ms)
    times = []
    for _ in range(nav_runs):
        go_to(page, "", timeout_ms=timeout_ms)  # the default page is served at /
        times.append(go_to(page, "chart", charts=1, timeout_ms=timeout_ms))
    context.close()
    return cold, times


# --- report ----------------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def ratio(value: float | None, floor: float | None) -> str:
    if value is None or not floor:
        return "—"
    return f"{value / floor:,.1f}×"


def verdict(value: float | None, goal: float) -> str:
    if value is None:
        return "—"
    return "ok" if value <= goal else "**MISS**"


def mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB" if value else "—"


def report(
    plans: list[PlanResult],
    floor: PageResult,
    floor_rss: tuple[int, int],
    floor_cold: float | None,
    args,
    started: float,
    exports: ExportResult | None = None,
    importing: ImportTiming | None = None,
) -> str:
    lines = []
    floor_rerun, floor_nav, floor_first = median(floor.rerun), median(floor.nav), median(floor.first)
    lines.append(
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}), `python -m scripts.benchmark "
        f"--runs {args.runs} --nav-runs {args.nav_runs} --factor {args.factor} --entries {args.entries} --reports {args.reports}` in {time.time() - started:,.0f} s. "
        "Medians; times are wall-clock on a shared machine, so expect ±30 %."
    )
    lines.append("")
    lines.append(
        f"Floor (a bare Streamlit page drawing one Plotly chart): first run {ms(floor_first)}, rerun {ms(floor_rerun)}, "
        f"navigation → chart drawn {ms(floor_nav)}, server memory {mib(floor_rss[0])} after start, peak {mib(floor_rss[1])}. "
        f"The first chart in a new browser session takes {ms(floor_cold)} on the floor too (the browser loads and compiles "
        "plotly.js once); the navigation times below are after one untimed pass over every page."
    )
    lines.append("")
    for plan in plans:
        rerun_goal = GOALS["rerun_bundled"] if plan.path is None else GOALS["rerun_large"]
        whatif_goal = GOALS["whatif_bundled"] if plan.path is None else GOALS["whatif_large"]
        lines.append(f"**{plan.label}** ({plan.counts}; {plan.size / 1024:,.0f} KB of YAML)")
        lines.append("")
        lines.append(
            f"| page | charts | first run | rerun | rerun ÷ floor | goal ≤{ms(rerun_goal)} | navigation → charts drawn | ÷ floor | goal ≤{ms(GOALS['charts_drawn'])} |"
        )
        lines.append("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |")
        for result in plan.pages.values():
            if result.error:
                lines.append(f"| `{result.script}` | | error: {result.error} | | | | | | |")
                continue
            rerun, nav = median(result.rerun), median(result.nav)
            nav_text = ms(nav) if not result.nav_error else f"not drawn ({result.nav_error})"
            lines.append(
                f"| `{result.script}` | {result.charts} | {ms(median(result.first))} | {ms(rerun)} | {ratio(rerun, floor_rerun)} | "
                f"{verdict(rerun, rerun_goal)} | {nav_text} | {ratio(nav, floor_nav)} | {verdict(nav, GOALS['charts_drawn'])} |"
            )
        lines.append("")
        if plan.whatif_page or plan.whatif_error:
            value = median(plan.whatif)
            lines.append(
                f"What-if edit → updated chart (`{plan.whatif_page}`): {ms(value)} (goal ≤{ms(whatif_goal)}: "
                f"{verdict(value, whatif_goal)}){' — ' + plan.whatif_error if plan.whatif_error else ''}."
            )
        elif not args.skip_browser:
            lines.append("What-if edit: no registered page shows the what-if editor.")
        if not args.skip_browser:
            lines.append(f"Server memory: {mib(plan.rss_start)} after start, peak {mib(plan.rss_peak)} after every page was drawn.")
            lines.append(f"Requests to other hosts: {len(plan.outside)}.")
        lines.append("")
    if exports is not None:
        html, pptx = median(exports.html), median(exports.pptx)
        pptx_text = f"not built ({exports.pptx_error})" if exports.pptx_error else ms(pptx)
        lines.append(
            f"Briefing exports (bundled plan, {exports.slides} slides): slides drawn {ms(median(exports.draw))}; "
            f"HTML pack drawn and written {ms(html)} (goal ≤{ms(GOALS['html_pack'])}: {verdict(html, GOALS['html_pack'])}); "
            f"PowerPoint written {pptx_text} (goal ≤{ms(GOALS['pptx_deck'])}: {verdict(pptx, GOALS['pptx_deck'])})."
        )
        report_time = median(exports.report)
        report_text = f"not built ({exports.pptx_error})" if exports.pptx_error else ms(report_time)
        lines.append(
            f"Word assessment report (bundled plan and progress log, zh): built {report_text} "
            f"(goal ≤{ms(GOALS['report_docx'])}: {verdict(report_time, GOALS['report_docx'])})."
        )
        lines.append("")
    if importing is not None:
        value = median(importing.times)
        lines.append(
            f"Plan-text import (synthetic text of {importing.tasks} tasks in {importing.sections} sections, "
            f"{importing.size / 1024:,.0f} KB, median of {len(importing.times)}): {ms(value)} from bytes to a validated draft "
            f"and its YAML (goal ≤{ms(GOALS['import_text'])}: {verdict(value, GOALS['import_text'])})."
        )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="AppTest runs per page (first runs and reruns each)")
    parser.add_argument("--nav-runs", type=int, default=3, help="browser navigations per page")
    parser.add_argument("--factor", type=int, default=100, help="size of the synthetic plan")
    parser.add_argument("--entries", type=int, default=10_000, help="entries in the synthetic plan's progress log")
    parser.add_argument("--reports", type=int, default=10_000, help="reports in the synthetic plan's database")
    parser.add_argument("--page-budget", type=float, default=90.0, help="seconds of AppTest runs per page before stopping early")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a page's charts in the browser")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--export-runs", type=int, default=2, help="builds of each briefing export (0: skip them)")
    parser.add_argument("--import-runs", type=int, default=5, help="imports of the 300-task plan text (0: skip)")
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file (between benchmark markers)")
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    started = time.time()
    timeout_ms = int(args.timeout * 1000)

    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        tmp = Path(tmp)
        from components.plan.loader import load_plan_file
        from components.plan.progress import load_progress_file

        large_data = scaled_plan(args.factor)
        large = write_plan(large_data, tmp / f"plan-{args.factor}x.yaml")
        large_log = write_progress(scaled_progress(large_data, args.entries), large, tmp / f"progress-{args.entries}.yaml")
        plans = []
        for label, path, log, reports in [
            ("Bundled plan", None, None, 0),
            (f"Synthetic plan, {args.factor}× larger", large, large_log, args.reports),
        ]:
            plan = load_plan_file(path or ROOT / "data" / "plan.yaml").value
            database = f"sqlite:///{tmp / ('reports-' + ('large' if path else 'bundled') + '.sqlite3')}"
            print(f"seeding {reports:,} reports for {label}", flush=True)
            seed_reports(database, plan, reports)
            entries = len(load_progress_file(plan, log).value.entries) if log else len(load_progress_file(plan).value.entries)
            counts = (
                f"{len(plan.tasks):,} tasks, {len(plan.agencies):,} agencies, {len(plan.sites):,} sites, "
                f"{len(plan.observations):,} observations, {entries:,} progress entries, {reports:,} reports"
            )
            plans.append(PlanResult(label, path, (path or ROOT / "data" / "plan.yaml").stat().st_size, counts, log, database))

        floor_dir = tmp / "floor"
        (floor_dir / "views").mkdir(parents=True)
        (floor_dir / "app.py").write_text(textwrap.dedent(FLOOR_APP))
        (floor_dir / "views" / "blank.py").write_text(FLOOR_BLANK)
        (floor_dir / "views" / "chart.py").write_text(textwrap.dedent(FLOOR_CHART))
        floor_pages = [PageInfo("views/chart.py", "chart", "chart", False)]

        print("pages:", ", ".join(p.script for p in registered_pages()), flush=True)
        pages = registered_pages()
        print("AppTest: floor", flush=True)
        floor = measure_apptest(floor_dir / "app.py", None, floor_pages, args.runs, args.page_budget)["views/chart.py"]
        for plan in plans:
            print(f"AppTest: {plan.label}", flush=True)
            plan.pages = measure_apptest(
                ROOT / "app.py", plan.path, pages, args.runs, args.page_budget, progress=plan.progress, database=plan.database
            )

        floor_rss = (0, 0)
        floor_cold = None
        if not args.skip_browser:
            from playwright.sync_api import sync_playwright

            from scripts.browser import launch, missing_browser, warm_up

            reason = missing_browser()
            if reason:
                print(f"browser part skipped: {reason}", file=sys.stderr)
                args.skip_browser = True
            else:
                with sync_playwright() as playwright:
                    browser = launch(playwright)
                    print("browser: floor", flush=True)
                    with streamlit_server(app=floor_dir / "app.py") as server:
                        floor_rss = (server.rss_bytes(), 0)
                        outside: list[str] = []
                        warm_up(browser, server.url)
                        floor_cold, floor.nav = measure_floor_browser(browser, server.url, args.nav_runs, timeout_ms, outside)
                        floor_rss = (floor_rss[0], server.peak_rss_bytes())
                    for plan in plans:
                        print(f"browser: {plan.label}", flush=True)
                        with streamlit_server(plan.path, progress=plan.progress, env={DATABASE_URL_ENV: plan.database}) as server:
                            time.sleep(1)
                            plan.rss_start = server.rss_bytes()
                            warm_up(browser, server.url)
                            plan.whatif, plan.whatif_page, plan.whatif_error = measure_browser(
                                browser, server.url, pages, plan.pages, args.nav_runs, timeout_ms, plan.outside, signed_in=True
                            )
                            plan.rss_peak = server.peak_rss_bytes()
                    browser.close()

    exports = None
    if args.export_runs > 0:
        print("briefing exports", flush=True)
        exports = measure_exports(args.export_runs, with_pptx=not args.skip_browser)
    importing = None
    if args.import_runs > 0:
        print("plan-text import", flush=True)
        importing = measure_import(args.import_runs)
    body = report(plans, floor, floor_rss, floor_cold, args, started, exports, importing)
    print()
    print(body)
    if args.write:
        write_section(args.write, body, start=MARK_START, end=MARK_END, heading="Benchmark")
        print(f"written to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
