"""Server capacity: N concurrent sessions speaking Streamlit's own websocket protocol, no browser.

    python -m scripts.protocol_load_test                          # 100 sessions, 120 s, a server started here
    python -m scripts.protocol_load_test --replicas 2             # two servers behind Debian's nginx (docs/deploy.md)
    python -m scripts.protocol_load_test --replicas 4             # four: two processes per core on this machine
    python -m scripts.protocol_load_test --sessions 10 --duration 20
    python -m scripts.protocol_load_test --write docs/performance.md

The browser load test (`scripts.load_test`) found its Chromium tabs, not the server, were the limit at 20
sessions. Here each session is one websocket to `/_stcore/stream` carrying the protobuf messages a browser
sends (`streamlit.proto.BackMsg`: a rerun with the page's script hash and widget states) and reading what
the server sends back (`ForwardMsg` deltas until `script_finished`). A reply is timed from the request sent
to the script finished on the server, every element received: the server's whole part of a click.

Every session opens the home page, then until the window closes it waits 2–5 s (--think), then opens a
random page or, one time in three, types a value into the what-if editor (the value field of the first
target, a different number per session; the edit carries the id of the fragment the field is drawn in, as the
browser sends it, so the server reruns that fragment alone). A session on another page opens the what-if
page first, timed as a page open; one already on it types straight away, as a person making a second edit
does. At the end each session opens the what-if page again and must be shown its own last value there: a
session shown another's fails the isolation check. Session 0 never edits.
Errors: an exception element in a reply, a reply over --timeout, a closed connection.

Memory: the server's RSS with one warm session, then with every session connected and idle after the
window; the difference divided by the sessions is the memory an idle session holds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from scripts.load_test import cpu_seconds, mib, percentile
from scripts.local_server import rss_bytes, streamlit_server
from scripts.nginx_proxy import nginx_proxy
from scripts.report import write_section

RERUN_FOR_NAVIGATION = 2  # ForwardMsg.script_finished: ended early to run again (app.py's navigation does this)
WHATIF_FIELD = "whatif_value_"  # the key prefix of the what-if editor's value fields (ui/whatif_editor.py)
MARKERS = ("<!-- protocol-load-test:start -->", "<!-- protocol-load-test:end -->")


@dataclass
class Reply:
    seconds: float
    pages: dict[str, str]  # url path → script hash, from the navigation message
    widgets: dict[str, tuple[str, str]]  # widget id → (element type, shown string value)
    exceptions: list[str]
    charts: str = ""  # every chart's figure JSON, one after another
    fragments: dict[str, str] = field(default_factory=dict)  # widget id → the fragment it was drawn in
    from_cache: int = 0  # elements the server sent as a reference to the session's cache


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: {"page": [], "what-if edit": []})
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    isolation_failed: list[int] = field(default_factory=list)
    isolation_checked: int = 0
    idle_sessions: int = 0
    finished_sessions: int = 0
    typed: dict[int, set[str]] = field(default_factory=dict)  # session → every what-if value it typed

    def error(self, kind: str, example: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {example[:200]}")


async def rerun(
    ws,
    page_hash: str = "",
    widgets: list[WidgetState] | None = None,
    timeout: float = 30.0,
    fragment: str = "",
    cache: dict[str, bytes] | None = None,
) -> Reply:
    """One request and everything the server sends until the script finished (not just restarted for navigation).

    A widget drawn inside an `st.fragment` is sent with that fragment's id, as the browser sends it: the server
    then reruns the fragment alone. `cache` is the session's message cache, as the browser keeps one: large
    elements received before are listed with the request, the server sends a reference instead of the element
    again, and the reference is read from the cache."""
    message = BackMsg()
    message.rerun_script.page_script_hash = page_hash
    message.rerun_script.fragment_id = fragment
    message.rerun_script.query_string = ""
    message.rerun_script.widget_states.widgets.extend(widgets or [])
    message.rerun_script.cached_message_hashes.extend(cache or ())
    started = time.perf_counter()
    await ws.send(message.SerializeToString())
    reply = Reply(0.0, {}, {}, [])
    async with asyncio.timeout(timeout):
        while True:
            raw = await ws.recv()
            incoming = ForwardMsg()
            incoming.ParseFromString(raw)
            if cache is not None and incoming.WhichOneof("type") == "ref_hash":
                incoming.ParseFromString(cache[incoming.ref_hash])
                reply.from_cache += 1
            elif cache is not None and incoming.metadata.cacheable:
                cache[incoming.hash] = raw
            kind = incoming.WhichOneof("type")
            if kind == "navigation":
                reply.pages = {page.url_pathname: page.page_script_hash for page in incoming.navigation.app_pages}
            elif kind == "delta" and incoming.delta.WhichOneof("type") == "new_element":
                element = incoming.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "exception":
                    reply.exceptions.append(element.exception.message)
                elif element_type == "plotly_chart":
                    reply.charts += element.plotly_chart.spec
                widget = getattr(element, element_type)
                widget_id = getattr(widget, "id", None)
                if isinstance(widget_id, str) and widget_id:
                    reply.widgets[widget_id] = (element_type, str(getattr(widget, "value", "")))
                    if incoming.delta.fragment_id:
                        reply.fragments[widget_id] = incoming.delta.fragment_id
            elif kind == "script_finished" and incoming.script_finished != RERUN_FOR_NAVIGATION:
                reply.seconds = time.perf_counter() - started
                return reply


def whatif_widget(reply: Reply) -> str | None:
    return next((wid for wid, (kind, _) in reply.widgets.items() if kind == "text_input" and WHATIF_FIELD in wid), None)


def isolated(charts: str, own_last: str | None, others: set[str]) -> bool:
    """The what-if page shows this session's last value (or none typed) and no value another session typed."""
    return (own_last is None or own_last in charts) and not any(value in charts for value in others)


def own_value(number: int, step: int) -> str:
    """A what-if value no other session types, and no chart holds by chance: 7.NNNSSS1 (session number, step)."""
    return f"7.{number:03d}{step:03d}1"


def connect(url: str):
    """A websocket to the server's stream, as a browser tab opens it."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    return websockets.connect(ws_url, subprotocols=["streamlit"], origin=url, max_size=None, ping_interval=None)


async def session(url: str, number: int, stop: asyncio.Event, stats: Stats, args, connected: asyncio.Event, rng: random.Random) -> None:
    last_value: str | None = None
    cache: dict[str, bytes] = {}  # this session's message cache, as its browser tab would keep
    try:
        async with connect(url) as ws:
            home = await rerun(ws, timeout=args.timeout, cache=cache)
            pages = home.pages
            whatif_hash = pages.get("indicators")
            connected.set()
            await args.go.wait()  # the timed window opens for every session at once
            step = 0
            shown: Reply | None = None  # the what-if page as last opened, while the session is still on it
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=rng.uniform(*args.think))
                if stop.is_set():
                    break
                step += 1
                try:
                    problems: list[str] = []
                    if whatif_hash and number != 0 and rng.random() < 1 / 3:
                        if shown is None:  # on another page: open the what-if page first, a page open like any other
                            shown = await rerun(ws, whatif_hash, timeout=args.timeout, cache=cache)
                            stats.times["page"].append(shown.seconds)
                            problems += shown.exceptions
                        widget = whatif_widget(shown)
                        if widget is None:
                            stats.error("no what-if field", f"session {number}")
                            shown = None
                            continue
                        value = own_value(number, step)
                        state = [WidgetState(id=widget, string_value=value)]
                        edit = await rerun(
                            ws, whatif_hash, state, timeout=args.timeout, fragment=shown.fragments.get(widget, ""), cache=cache
                        )
                        stats.times["what-if edit"].append(edit.seconds)
                        last_value = value
                        stats.typed.setdefault(number, set()).add(value)
                        problems += edit.exceptions
                    else:
                        page = rng.choice(list(pages.values()))
                        reply = await rerun(ws, page, timeout=args.timeout, cache=cache)
                        stats.times["page"].append(reply.seconds)
                        shown = reply if page == whatif_hash else None
                        problems += reply.exceptions
                    for problem in problems:
                        stats.error("exception on the page", problem)
                except TimeoutError:
                    stats.error("no reply in time", f"session {number}")
                    shown = None
            stats.idle_sessions += 1
            await args.idle.wait()  # every session stays connected until memory is measured
            if whatif_hash:
                final = await rerun(ws, whatif_hash, timeout=args.timeout, cache=cache)
                others = {value for n, values in stats.typed.items() if n != number for value in values}
                stats.isolation_checked += 1
                if not isolated(final.charts, last_value, others):
                    stats.isolation_failed.append(number)
            stats.finished_sessions += 1
            await args.done.wait()
    except (OSError, websockets.WebSocketException, TimeoutError) as problem:
        stats.error("connection", f"session {number}: {problem!r}")
        stats.finished_sessions += 1
        connected.set()


async def until(condition, seconds: float) -> bool:
    """Wait until `condition()` holds, at most `seconds`; whether it held."""
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def warm_up(server_url: str, timeout: float) -> None:
    """Every page once on one server process, untimed, as on a server that has been up a while: its first visit
    of a page imports that page's modules and builds the shared figures, once per process (the benchmark times
    those first runs; `--cold` leaves them in the window)."""
    async with connect(server_url) as ws:
        home = await rerun(ws, timeout=timeout)
        for page in home.pages.values():
            await rerun(ws, page, timeout=timeout)


async def run(url: str, servers: list[str], pids: list[int], args) -> tuple[Stats, dict[str, float]]:
    stats = Stats()
    if not args.cold:
        for server in servers:  # each process directly, not through nginx, so that every one is warmed
            await warm_up(server, args.timeout)
    rng = random.Random(args.seed)
    args.go, args.idle, args.done = asyncio.Event(), asyncio.Event(), asyncio.Event()
    stop = asyncio.Event()
    # one warm session per server first (a new visitor gets the next replica): imports, the plan and the caches
    # are loaded once per process, not counted per session
    tasks = []
    for number in range(len(pids)):
        warm = asyncio.Event()
        tasks.append(asyncio.create_task(session(url, number, stop, stats, args, warm, random.Random(rng.random()))))
        await warm.wait()
    await asyncio.sleep(1.0)
    memory = {"one session": sum(rss_bytes(pid) for pid in pids)}
    started = time.perf_counter()
    for number in range(len(pids), args.sessions):
        connected = asyncio.Event()
        tasks.append(asyncio.create_task(session(url, number, stop, stats, args, connected, random.Random(rng.random()))))
        await connected.wait()
    memory["warm-up seconds"] = time.perf_counter() - started
    cpu_before, window_start, own_before = sum(cpu_seconds(pid) for pid in pids), time.perf_counter(), time.process_time()
    args.go.set()
    await asyncio.sleep(args.duration)
    stop.set()
    window = time.perf_counter() - window_start
    memory["cpu cores"] = (sum(cpu_seconds(pid) for pid in pids) - cpu_before) / window
    memory["load cores"] = (time.process_time() - own_before) / window  # this script's sessions share the machine
    # the last actions finish (or time out) before memory is read with every session connected and idle
    await until(lambda: stats.idle_sessions + stats.finished_sessions >= args.sessions, args.timeout + 5)
    await asyncio.sleep(3.0)
    memory["all sessions idle"] = sum(rss_bytes(pid) for pid in pids)
    args.idle.set()
    if not await until(lambda: stats.finished_sessions >= args.sessions, 2 * args.timeout):
        stats.error("unfinished", f"{args.sessions - stats.finished_sessions} sessions still waiting for a reply at the end")
    args.done.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats, memory


def report(stats: Stats, memory: dict[str, float], args, started: float) -> str:
    per_session = (memory["all sessions idle"] - memory["one session"]) / max(1, args.sessions - args.replicas)
    servers = "one local server" if args.replicas == 1 else f"{args.replicas} local replicas behind nginx (`docs/nginx-replicas.conf`)"
    warm = "one warm session" if args.replicas == 1 else f"one warm session each ({args.replicas} processes)"
    before = (
        "No page had been opened before the window (`--cold`): each process's first visit of each page falls in it."
        if args.cold
        else "Before that, every page was opened once on each process, untimed (its first run imports the page's modules "
        "and builds the shared figures, once per process; the benchmark times first runs)."
    )
    every = [t for values in stats.times.values() for t in values]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')}: `python -m scripts.protocol_load_test --sessions {args.sessions} "
        f"--duration {args.duration:g} --replicas {args.replicas}{' --cold' if args.cold else ''}` against {servers} on the {'bundled plan' if not args.plan else Path(args.plan).name}, "
        f"in {time.time() - started:,.0f} s; the sessions and the server share this 2-core machine. The sessions "
        f"connected one after another ({memory['warm-up seconds']:,.0f} s, untimed), then acted together for {args.duration:g} s, "
        f"each pausing {args.think[0]:g}–{args.think[1]:g} s between actions. {before}",
        "",
        "| reply (request sent → script finished, every element received) | count | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind, values in [*stats.times.items(), ("all", every)]:
        if values:
            lines.append(
                f"| {kind} | {len(values)} | {statistics.median(values):.2f} s | {percentile(values, 0.95):.2f} s | {max(values):.2f} s |"
            )
    total = sum(stats.errors.values())
    lines += [
        "",
        f"Errors: {total}" + (" — " + ", ".join(f"{k}: {v}" for k, v in stats.errors.items()) if total else "") + ".",
        *[f"- {example}" for example in stats.examples],
        (
            f"Isolation: **FAILED** for sessions {stats.isolation_failed[:10]}."
            if stats.isolation_failed
            else f"Isolation: {stats.isolation_checked} sessions were each shown only their own what-if value "
            "(session 0 never edited and was shown the official value)."
        ),
        f"Server memory (RSS): {mib(memory['one session'])} with {warm}, {mib(memory['all sessions idle'])} with "
        f"{args.sessions} connected and idle: about {per_session / 2**20:.1f} MiB per idle session.",
        f"Server CPU during the window: {memory['cpu cores']:.2f} cores of {os.cpu_count()}; the load test's own sessions "
        f"used {memory['load cores']:.2f}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of the timed window")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 5.0), metavar=("MIN", "MAX"), help="pause between actions")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a reply counts as an error")
    parser.add_argument("--plan", type=Path, help="another plan file for the server")
    parser.add_argument(
        "--replicas",
        type=int,
        choices=range(1, 9),
        default=1,
        help="more than 1: that many server processes behind Debian's nginx, configured as docs/deploy.md says",
    )
    parser.add_argument("--cold", action="store_true", help="no untimed pass over every page before the sessions connect")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, help="put the result into this Markdown file (between its markers)")
    args = parser.parse_args(argv)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="protocol-load-") as tmp:
        env = {"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp}/load.sqlite3"}  # never the dashboard's own database
        with contextlib.ExitStack() as running:
            servers = [running.enter_context(streamlit_server(args.plan, env=env)) for _ in range(args.replicas)]
            url = servers[0].url
            if args.replicas > 1:
                url = running.enter_context(nginx_proxy(tuple(server.url.removeprefix("http://") for server in servers))).url
            stats, memory = asyncio.run(run(url, [server.url for server in servers], [server.process.pid for server in servers], args))
    text = report(stats, memory, args, started)
    print(text)
    if args.write:
        write_section(args.write, text, start=MARKERS[0], end=MARKERS[1], heading="Capacity without browsers")
    return 1 if sum(stats.errors.values()) or stats.isolation_failed else 0


if __name__ == "__main__":
    sys.exit(main())
