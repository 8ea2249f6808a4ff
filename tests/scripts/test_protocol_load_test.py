"""The protocol load test: a short real run against a server, and its isolation check on made-up replies."""

from __future__ import annotations

from scripts import protocol_load_test as load


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
