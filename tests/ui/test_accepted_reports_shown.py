"""An accepted agency report appears apart from public evidence: on the task card, the progress page, the assessment
page and in the Word report the command line writes; a pending one appears nowhere a visitor looks."""

from __future__ import annotations

import subprocess
import sys

import pytest
from argon2 import PasswordHasher
from docx import Document

from components import paths
from components.plan.loader import load_plan_file
from components.plan.progress import Stage
from components.plan.reports import Period, ProgressStatus, ReportDraft
from components.store import accounts, reports
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from scripts.app_pages import apptest_runs_app_py, server_started_with
from tests.ui.apptest import chart_data, open_page

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
CLIENT = "127.0.0.1"
PASSWORD = "correct horse battery staple"
DONE = "国家实验室四川基地完成二期设备安装"


def signed_in_store(tmp_path, monkeypatch):
    """A fresh SQLite store the app reads (by its URL), with a 科技厅 reporter and a reviewer signed in."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts._dummy_hash.cache_clear()
    url = f"sqlite:///{tmp_path / 'shown.sqlite3'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test")
    accounts.add_user(engine, "fgw-zhao", PASSWORD, Role.reviewer, None, by="test")
    return engine, url, accounts.sign_in(engine, "kjt-li", PASSWORD, CLIENT), accounts.sign_in(engine, "fgw-zhao", PASSWORD, CLIENT)


@pytest.fixture()
def database(tmp_path, monkeypatch):
    engine, url, reporter, reviewer = signed_in_store(tmp_path, monkeypatch)
    draft = ReportDraft(task=5, period=Period(2025), stage=Stage.completed, status=ProgressStatus.done, done=DONE, next_steps="验收准备")
    accepted = reports.file_report(engine, reporter, PLAN, draft, client=CLIENT)
    reports.accept_report(engine, reviewer, PLAN, accepted, 1, "同意", client=CLIENT)
    pending = ReportDraft(task=6, period=Period(2025), stage=None, status=ProgressStatus.on_track, done="待审核的内容", next_steps="")
    reports.file_report(engine, reporter, PLAN, pending, client=CLIENT)
    with server_started_with(None), apptest_runs_app_py():
        yield url
    engine.dispose()


def test_task_card_lists_the_accepted_report_apart_from_public_evidence(database):
    at = open_page("pages/tasks.py", {"task": "5"})
    card = next(e for e in at.expander if e.label.startswith("5."))
    texts = [block for m in card.markdown for block in m.value.split("\n\n")]
    assert texts.index("**公开证据**") < texts.index("**单位报告(已审核通过)**")
    assert any(DONE in text for text in texts)
    other = next(e for e in at.expander if e.label.startswith("6."))
    assert not any("待审核的内容" in m.value for m in other.markdown)  # a pending report is not shown to visitors


def test_progress_page_and_assessment_show_it_apart(database):
    timeline = open_page("pages/progress.py", {"view": "timeline", "task": "5", "lang": "en"})
    traces = chart_data(timeline.get("plotly_chart")[0])
    reports_trace = next(trace for trace in traces if trace["name"] == "Agency report (accepted)")
    assert reports_trace["y"] == ["Completed / in operation"]
    assert sum(len(trace["x"]) for trace in traces) == 14 + 1
    entries = open_page("pages/progress.py", {"view": "entries"})
    assert entries.subheader[1].value == "已审核通过的单位报告:1 / 1"
    table = entries.dataframe[1].value
    assert table.iloc[0]["已完成工作"] == DONE and table.iloc[0]["报告期"] == "2025"
    assessment = open_page("pages/assessment.py")
    assert any("另有 1 份单位报告经审核通过,涉及 1 项任务" in m.value for m in assessment.markdown)


def test_the_word_report_from_the_command_line_cites_the_accepted_report(database, tmp_path):
    out = tmp_path / "report.docx"
    run = subprocess.run(
        [sys.executable, "-m", "components.report", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        env={**__import__("os").environ, DATABASE_URL_ENV: database},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "1 accepted agency report(s)" in run.stdout
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert DONE in text and "待审核的内容" not in text


def test_many_accepted_reports_are_shown_a_page_at_a_time(tmp_path, monkeypatch):
    """25 accepted reports: the reporting page shows 20, then the other 5 on the second page."""
    engine, _, reporter, reviewer = signed_in_store(tmp_path, monkeypatch)
    mine = [task.number for task in PLAN.tasks_in_order if "kjt" in (*task.lead, *task.support)][:25]
    assert len(mine) == 25
    for number in mine:
        draft = ReportDraft(
            task=number, period=Period(2025), stage=None, status=ProgressStatus.on_track, done=f"第{number}项进展", next_steps=""
        )
        reports.accept_report(
            engine, reviewer, PLAN, reports.file_report(engine, reporter, PLAN, draft, client=CLIENT), 1, "同意", client=CLIENT
        )
    with server_started_with(None), apptest_runs_app_py():
        at = open_page("pages/report.py")
        pager = at.selectbox(key="accepted::page")
        assert pager.options == ["第 1–20 份,共 25 份", "第 21–25 份,共 25 份"]
        first = [m.value for m in at.markdown if m.value.startswith("**任务 ")]
        assert len(first) == 20
        pager.select(1).run()
        second = [m.value for m in at.markdown if m.value.startswith("**任务 ")]
        assert len(second) == 5 and not set(first) & set(second)
    engine.dispose()
