"""The protocol load test: a short real run against a server, and its isolation check on made-up replies."""

from __future__ import annotations

import asyncio

from streamlit.proto.WidgetStates_pb2 import WidgetState

from scripts import protocol_load_test as load
from scripts.local_server import streamlit_server


def test_isolation_check_fails_on_another_sessions_value():
    mine, theirs = load.own_value(1, 2), load.own_value(2, 1)
    chart = f'{{"y": [2.14, {mine}]}}'
    assert load.isolated(chart, mine, {theirs})
    assert not load.isolated(chart, theirs, {mine}), "its own value missing, another's shown"
    assert not load.isolated(f'{{"y": [{theirs}]}}', None, {theirs}), "a session that never edited must not see an edit"
    assert load.isolated('{"y": [2.14]}', None, {theirs})


def test_a_short_run_edits_and_keeps_sessions_apart(tmp_path):
    out = tmp_path / "performance.md"
    code = load.main(["--sessions", "3", "--duration", "4", "--think", "0.2", "0.4", "--seed", "3", "--write", str(out)])
    text = out.read_text(encoding="utf-8")
    assert code == 0, text
    assert "Errors: 0." in text
    assert "Isolation: 3 sessions were each shown only their own what-if value" in text
    assert "| what-if edit |" in text and "| page |" in text
    assert "MiB per idle session" in text


def test_a_whatif_edit_reruns_only_the_fragment_around_the_editor(tmp_path):
    """The browser sends an edit with its fragment's id; the server then runs the indicators view alone."""

    async def open_then_edit(url: str):
        async with load.connect(url) as ws:
            home = await load.rerun(ws)
            shown = await load.rerun(ws, home.pages["indicators"])
            widget = load.whatif_widget(shown)
            state = [WidgetState(id=widget, string_value="7.0000001")]
            edit = await load.rerun(ws, home.pages["indicators"], state, fragment=shown.fragments[widget])
            return shown, edit

    with streamlit_server(env={"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path}/load.sqlite3"}) as server:
        shown, edit = asyncio.run(open_then_edit(server.url))
    kinds = lambda reply: {kind for kind, _ in reply.widgets.values()}  # noqa: E731
    assert "button_group" in kinds(shown), "a page run draws the sidebar's language switch"
    assert "button_group" not in kinds(edit), "the edit's run drew only the fragment"
    assert "7.0000001" in edit.charts and "7.0000001" not in shown.charts
    assert {"selectbox", "multiselect", "text_input"} <= kinds(edit)


def test_a_session_keeps_large_elements_as_a_browser_does(tmp_path):
    """The second visit to a page gets its unchanged charts as references to what the session already holds."""

    async def visit_twice(url: str):
        cache: dict[str, bytes] = {}
        async with load.connect(url) as ws:
            home = await load.rerun(ws, cache=cache)
            first = await load.rerun(ws, home.pages["layout"], cache=cache)
            second = await load.rerun(ws, home.pages["layout"], cache=cache)
        return first, second

    with streamlit_server(env={"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path}/load.sqlite3"}) as server:
        first, second = asyncio.run(visit_twice(server.url))
    assert first.from_cache == 0 and second.from_cache >= 1
    assert second.charts == first.charts and len(first.charts) > 100_000, "the map and the site tree, read back from the cache"
