"""Load test: N concurrent browser sessions clicking through one local dashboard server, for a bounded time.

    python -m scripts.load_test                         # 20 sessions, 120 s, a server started here on 127.0.0.1
    python -m scripts.load_test --sessions 5 --duration 30
    python -m scripts.load_test --write docs/performance.md

Each session is its own browser context (its own cookies and websocket, so its
own Streamlit session) in one headless Chromium. A session opens `/` and
visits every page once, untimed: in a real office each person's browser loads
and compiles plotly.js on its own machine, while here twenty tabs do it on the
server's two cores. When every session has warmed up, the timed window opens;
until it closes each session repeats, with a pause (--think) like a reader:
switch to a random page, type a keyword filter on the tasks page, or edit a
target on the what-if page (each where the page exists). Every action is timed
from the click or Enter until the affected charts are drawn again.

At the end every session goes back to the what-if page and must see its own
last edit, or the official value if it made none: a session that sees
another's edit fails the isolation check. Session 0 never edits, so at least
one session always checks the official value while others have changed it.

Only 127.0.0.1 is contacted; any request elsewhere is aborted and counted as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from components.paths import ROOT
from scripts.browser import (
    CHARTS_DRAWN_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    EXPAND_SIDEBAR,
    NAV_LINK,
    NAV_MORE,
    PATH_IS_JS,
    RESET_SETTLED_JS,
    RUNNING,
    SETTLED_JS,
    is_local,
    missing_browser,
)
from scripts.local_server import HOST, peak_rss_bytes, rss_bytes, streamlit_server
from scripts.report import write_section

TASKS_PAGE = "pages/tasks.py"
WHATIF_PAGES = ("pages/targets.py", "pages/indicators.py")
KEYWORD_KEY = "tasks_keyword"
POLL_MS = 50  # how often each tab checks its condition: a finer poll in 20 tabs loads the CPU the server needs
MARK_START, MARK_END = "<!-- load-test:start -->", "<!-- load-test:end -->"


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    isolation: list[str] = field(default_factory=list)
    isolation_checked: int = 0
    server_cpu: float = 0.0  # the server's CPU use during the timed window, in cores
    warm_up: float = 0.0  # seconds until every session had opened and visited every page once

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.error_examples) < 8:
            self.error_examples.append(f"{kind}: {detail[:160]}")


@dataclass
class Site:
    url: str
    pages: list  # PageInfo
    charts: dict[str, int]
    whatif_page: object | None
    tasks_page: object | None
    target_id: str
    official: str
    keywords: list[str]


@dataclass
class Start:
    """The timed window opens when every session has warmed up (or given up) and lasts `duration` seconds."""

    expected: int
    duration: float
    began: float = field(default_factory=time.monotonic)
    arrived: int = 0
    deadline: float = 0.0
    opened: asyncio.Event = field(default_factory=asyncio.Event)

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.expected:
            self.deadline = time.monotonic() + self.duration
            self.opened.set()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def settle(page, timeout_ms: int) -> None:
    await page.evaluate(RESET_SETTLED_JS)
    await page.wait_for_function(SETTLED_JS, arg=[300, RUNNING], polling=POLL_MS, timeout=timeout_ms)


async def go_to(page, site: Site, info, timeout_ms: int) -> float:
    expand = page.locator(EXPAND_SIDEBAR)
    if await expand.count() and await expand.first.is_visible():  # the briefing page starts with the sidebar collapsed
        await expand.first.click()
        await page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')?.dataset.collapsed === 'false'")
        await page.wait_for_timeout(300)
    await page.wait_for_selector(NAV_LINK, timeout=timeout_ms)
    target = None
    for _attempt in range(2):
        links = page.locator(NAV_LINK)
        for i in range(await links.count()):
            href = await links.nth(i).get_attribute("href") or ""
            if urlsplit(href).path.strip("/") == info.url_path:
                target = links.nth(i)
                break
        more = page.locator(NAV_MORE)
        if target is not None or not await more.count():
            break
        await more.first.click()  # a long navigation is folded behind "View more"
    if target is None:
        raise LookupError(f"no link for /{info.url_path}")
    started = time.perf_counter()
    await target.click()
    await page.wait_for_function(PATH_IS_JS, arg=info.url_path, polling=POLL_MS, timeout=timeout_ms)
    await page.wait_for_function(CHARTS_DRAWN_JS, arg=[site.charts[info.script], RUNNING], polling=POLL_MS, timeout=timeout_ms)
    elapsed = time.perf_counter() - started
    await settle(page, timeout_ms)
    return elapsed


WATCH_CHARTS_JS = """() => {
    window.__chartChanged = false;
    (window.__chartObservers || []).forEach(o => o.disconnect());
    window.__chartObservers = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
        const observer = new MutationObserver(() => { window.__chartChanged = true; });
        observer.observe(chart, {subtree: true, childList: true, attributes: true, characterData: true});
        return observer;
    });
}"""
CHART_MUTATED_JS = """(running) => window.__chartChanged === true && !document.querySelector(running)
    && document.querySelectorAll('[data-stale="true"]').length === 0"""


async def change_and_time(page, act, timeout_ms: int) -> float:
    """Time from the action to the charts being redrawn: a MutationObserver per chart, cheap under load
    (comparing every chart's SVG markup every few milliseconds in 20 tabs costs more CPU than the app)."""
    await page.evaluate(WATCH_CHARTS_JS)
    started = time.perf_counter()
    await act()
    await page.wait_for_function(CHART_MUTATED_JS, arg=RUNNING, polling=POLL_MS, timeout=timeout_ms)
    elapsed = time.perf_counter() - started
    await settle(page, timeout_ms)
    return elapsed


async def current(page) -> str:
    return urlsplit(page.url).path.strip("/")


async def session(
    index: int, browser, site: Site, start: Start, stats: Stats, timeout_ms: int, seed: int, think: tuple[float, float]
) -> None:
    rng = random.Random(seed * 1000 + index)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})

    async def guard(route):
        if is_local(route.request.url):
            await route.continue_()
        else:
            stats.outside.append(route.request.url)
            await route.abort()

    await context.route("**/*", guard)
    page = await context.new_page()
    page.on("websocket", lambda ws: None if is_local(ws.url) else stats.outside.append(ws.url))
    my_value: str | None = None  # the what-if value this session last set
    edits_allowed = index != 0
    try:
        await page.goto(site.url + "/", wait_until="domcontentloaded", timeout=timeout_ms)
        await page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout_ms)
        await settle(page, timeout_ms)
        for info in site.pages:
            if info.url_path != await current(page):
                await go_to(page, site, info, timeout_ms)
    except Exception as error:
        stats.error("open and warm-up", f"session {index}: {type(error).__name__}: {str(error).splitlines()[0]}")
        start.arrive()
        await context.close()
        return
    start.arrive()
    await start.opened.wait()

    actions = ["page"] * 4
    if site.tasks_page is not None:
        actions += ["filter"] * 2
    if site.whatif_page is not None and edits_allowed:
        actions += ["whatif"] * 2
    while time.monotonic() < start.deadline:
        action = rng.choice(actions)
        try:
            if action == "page":
                choices = [p for p in site.pages if p.url_path != await current(page)]
                info = rng.choice(choices)
                stats.times["page switch → charts drawn"].append(await go_to(page, site, info, timeout_ms))
            elif action == "filter":
                if await current(page) != site.tasks_page.url_path:
                    await go_to(page, site, site.tasks_page, timeout_ms)
                box = page.locator(f".st-key-{KEYWORD_KEY} input")
                keyword = rng.choice(site.keywords)
                if await box.input_value() == keyword:
                    keyword = ""

                async def type_keyword(box=box, keyword=keyword):
                    await box.fill(keyword)
                    await box.press("Enter")

                stats.times["task filter → chart updated"].append(await change_and_time(page, type_keyword, timeout_ms))
            elif action == "whatif":
                if await current(page) != site.whatif_page.url_path:
                    await go_to(page, site, site.whatif_page, timeout_ms)
                box = page.locator(f".st-key-whatif_value_{site.target_id} input")
                value = f"{float(site.official) * rng.choice([0.6, 0.8, 1.2, 1.4, 1.6, 1.8]) + index / 1000:g}"
                if await box.input_value() == value:
                    continue

                async def edit(box=box, value=value):
                    await box.fill(value)
                    await box.press("Enter")

                stats.times["what-if edit → chart updated"].append(await change_and_time(page, edit, timeout_ms))
                my_value = value
            if await page.locator(EXCEPTION).count():
                stats.error("exception box", f"session {index} after {action} on /{await current(page)}")
        except Exception as error:
            stats.error(f"{action} timeout/failure", f"session {index}: {type(error).__name__}: {str(error).splitlines()[0]}")
            try:  # start this session's page afresh, as a person would reload
                await page.goto(site.url + "/", wait_until="domcontentloaded", timeout=timeout_ms)
                await settle(page, timeout_ms)
            except Exception:
                break
        await asyncio.sleep(rng.uniform(*think))

    if site.whatif_page is not None:
        try:
            if await current(page) != site.whatif_page.url_path:
                await go_to(page, site, site.whatif_page, timeout_ms)
            seen = await page.locator(f".st-key-whatif_value_{site.target_id} input").input_value()
            expected = my_value if my_value is not None else site.official
            stats.isolation_checked += 1
            if seen != expected:
                stats.isolation.append(f"session {index} expected {expected}, saw {seen}")
        except Exception as error:
            stats.error("isolation check", f"session {index}: {type(error).__name__}: {str(error).splitlines()[0]}")
    await context.close()


async def sample_memory(pid: int, stop: asyncio.Event, samples: list[int]) -> None:
    while not stop.is_set():
        samples.append(rss_bytes(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


async def run(
    site: Site, pid: int | None, sessions: int, duration: float, timeout_ms: int, seed: int, think: tuple[float, float]
) -> tuple[Stats, list[int], int]:
    from playwright.async_api import async_playwright

    stats = Stats()
    samples: list[int] = []
    stop = asyncio.Event()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        # one throwaway session first: it loads the plan and builds the shared caches (scripts/browser.warm_up)
        context = await browser.new_context()
        await context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
        warm = await context.new_page()
        await warm.goto(site.url + "/", wait_until="domcontentloaded", timeout=timeout_ms)
        await warm.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout_ms)
        await settle(warm, timeout_ms)
        await context.close()
        memory = asyncio.create_task(sample_memory(pid, stop, samples)) if pid else None
        start = Start(sessions, duration)
        users = asyncio.gather(*(session(i, browser, site, start, stats, timeout_ms, seed, think) for i in range(sessions)))
        warm_up_limit = sessions * (len(site.pages) + 1) * timeout_ms / 1000
        try:
            await asyncio.wait_for(start.opened.wait(), timeout=warm_up_limit)
            stats.warm_up = time.monotonic() - start.began
            cpu_before, wall_before = (cpu_seconds(pid) if pid else 0.0), time.monotonic()
            await asyncio.wait_for(users, timeout=duration + 3 * timeout_ms / 1000 + 60)
        except TimeoutError:
            stats.error("run", "sessions did not finish within the time limit")
            cpu_before, wall_before = 0.0, time.monotonic()
        stop.set()
        if pid:
            stats.server_cpu = (cpu_seconds(pid) - cpu_before) / max(1e-9, time.monotonic() - wall_before)
        if memory:
            await memory
        await browser.close()
    return stats, samples, peak_rss_bytes(pid) if pid else 0


def discover(url: str, plan: Path | None) -> Site:
    """Pages, chart counts and the what-if target from AppTest on the same plan the server uses."""
    import logging

    from streamlit.testing.v1 import AppTest

    from components.plan.loader import load_plan_file
    from scripts.app_pages import apptest_runs_app_py, registered_pages, server_started_with

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    pages = registered_pages()
    charts = {}
    with server_started_with(plan), apptest_runs_app_py():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
        for info in pages:
            at.switch_page(info.script).run()
            charts[info.script] = len(at.get("plotly_chart"))
    plan_obj = load_plan_file(plan or ROOT / "data" / "plan.yaml").value
    target = plan_obj.targets[0]
    by_script = {p.script: p for p in pages}
    whatif = None
    for script in WHATIF_PAGES:
        source = ROOT / script
        if script in by_script and source.exists() and "render_whatif_editor" in source.read_text(encoding="utf-8"):
            whatif = by_script[script]
    words = [task.title.zh[:2] for task in plan_obj.tasks[:12]] + [plan_obj.tasks[0].title.zh]
    return Site(
        url=url,
        pages=pages,
        charts=charts,
        whatif_page=whatif,
        tasks_page=by_script.get(TASKS_PAGE),
        target_id=target.id,
        official=f"{target.value:g}",
        keywords=sorted(set(words)),
    )


def mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def report(site: Site, stats: Stats, samples: list[int], peak: int, args, started: float) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')}: `python -m scripts.load_test --sessions {args.sessions} --duration {args.duration:g} "
        f"--think {args.think}` "
        f"against one local server ({'bundled plan' if not args.plan else Path(args.plan).name}), "
        f"{len(site.pages)} pages, in {time.time() - started:,.0f} s. All sessions and the server share this 2-core machine, "
        "so the browser's own work is part of every time below.",
        "",
        f"Warm-up (untimed): {args.sessions} sessions opened and visited every page once in {stats.warm_up:,.0f} s; "
        f"then {args.duration:g} s of clicking, timed:",
        "",
        "| action | count | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    every = []
    for kind, values in sorted(stats.times.items()):
        every += values
        lines.append(
            f"| {kind} | {len(values)} | {percentile(values, 0.5):.2f} s | {percentile(values, 0.95):.2f} s | {max(values):.2f} s |"
        )
    if every:
        lines.append(
            f"| all actions | {len(every)} | {percentile(every, 0.5):.2f} s | {percentile(every, 0.95):.2f} s | {max(every):.2f} s |"
        )
    lines.append("")
    total_errors = sum(stats.errors.values())
    lines.append(
        f"Errors: {total_errors}" + (" — " + ", ".join(f"{k}: {v}" for k, v in stats.errors.items()) if total_errors else "") + "."
    )
    for example in stats.error_examples:
        lines.append(f"- {example}")
    lines.append(f"Requests to other hosts: {len(stats.outside)}.")
    if samples:
        lines.append(
            f"Server memory (RSS): {mib(samples[0])} at start of the run, {mib(max(samples))} highest sample, "
            f"{mib(samples[-1])} at the end; peak (VmHWM) {mib(peak)}."
        )
    if stats.server_cpu:
        lines.append(
            f"Server CPU use during the timed window: {stats.server_cpu:.2f} cores (of 2; Chromium's {args.sessions} tabs had the rest)."
        )
    if site.whatif_page is None:
        lines.append("Isolation: not checked (no what-if page registered).")
    elif stats.isolation:
        lines.append(
            f"Isolation: **FAILED** — {len(stats.isolation)} of {stats.isolation_checked} sessions saw another session's value: {stats.isolation[:5]}."
        )
    else:
        lines.append(
            f"Isolation: {stats.isolation_checked} sessions each saw only their own what-if value "
            "(session 0 never edited and still saw the official value)."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of clicking (default 120)")
    parser.add_argument("--plan", type=Path, help="plan file for the server started here")
    parser.add_argument("--url", help="an already running local server (http://127.0.0.1:PORT) instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for its memory")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one action may take before it counts as an error")
    parser.add_argument("--think", default="2-6", help="pause between one session's actions, seconds MIN-MAX (default 2-6)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, help="put the results into this Markdown file (between load-test markers)")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 200:
        parser.error("--sessions must be between 1 and 200")
    if not 1 <= args.duration <= 3600:
        parser.error("--duration must be between 1 and 3600 seconds")
    if args.url and (urlsplit(args.url).hostname or "") not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--url must be a server on this machine (127.0.0.1 or localhost)")
    try:
        think = tuple(float(x) for x in args.think.split("-", 1))
        assert len(think) == 2 and 0 <= think[0] <= think[1] <= 600
    except (ValueError, AssertionError):
        parser.error("--think must be MIN-MAX seconds, e.g. 2-6")
    reason = missing_browser()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    started = time.time()
    timeout_ms = int(args.timeout * 1000)
    if args.url:
        site = discover(args.url.rstrip("/"), args.plan)
        stats, samples, peak = asyncio.run(run(site, args.pid, args.sessions, args.duration, timeout_ms, args.seed, think))
    else:
        with streamlit_server(args.plan) as server:
            assert urlsplit(server.url).hostname == HOST
            site = discover(server.url, args.plan)
            print(f"server {server.url} (pid {server.pid}); {args.sessions} sessions for {args.duration:g} s", flush=True)
            stats, samples, peak = asyncio.run(run(site, server.pid, args.sessions, args.duration, timeout_ms, args.seed, think))
    body = report(site, stats, samples, peak, args, started)
    print(body)
    if args.write:
        write_section(args.write, body, start=MARK_START, end=MARK_END, heading="Load test")
        print(f"written to {args.write}")
    return 1 if stats.isolation else 0


if __name__ == "__main__":
    sys.exit(main())
