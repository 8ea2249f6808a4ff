"""The reporting, review and coverage pages through their widgets: signing in, filing, the sheet upload, reviewing,
what each visitor sees, and a database that is down or locked (a message, the page still readable, the text kept)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from components import paths
from components.exports.report_sheet import sheet_bytes
from components.plan.reports import ProgressStatus, ReportDraft, ReportState, current_period, local_date
from components.store import accounts, db, reports
from components.store.accounts import Role, utc_now
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from components.ui.accounts import TOKEN_KEY
from components.ui.report_form import DONE_KEY, NEXT_KEY, STATUS_KEY, TASK_KEY
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan
from scripts.app_pages import apptest_runs_app_py, server_started_with
from tests.helpers import fill_sheet

APP = str(paths.ROOT / "app.py")
PASSWORD = "correct horse battery"
DOWN = "数据库暂时无法连接,报告和账户功能不可用。其他页面可照常浏览;您已填写的内容保留在表单中,请稍后重试。"
LOCKED = "数据库正忙(已被锁定),本次未能保存。您已填写的内容保留在表单中,请稍后再提交。"
PERIOD = current_period(local_date(utc_now()))


@pytest.fixture(scope="module", autouse=True)
def app_py():
    with server_started_with(None), apptest_runs_app_py():
        yield


@pytest.fixture()
def database(tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts._dummy_hash.cache_clear()
    url = f"sqlite:///{tmp_path / 'pages.sqlite3'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    monkeypatch.setenv(paths.SCENARIO_DIR_ENV, str(tmp_path / "old-scenarios"))
    engine = make_engine(url)
    migrate(engine)
    accounts.add_user(engine, "kjt-li", PASSWORD, Role.reporter, "kjt", by="test")
    accounts.add_user(engine, "fgw-zhao", PASSWORD, Role.reviewer, None, by="test")
    yield engine
    engine.dispose()
    accounts._dummy_hash.cache_clear()


def visit(page: str, lang: str = "zh", token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if token:
        at.session_state[TOKEN_KEY] = token
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> None:
    if "auth::panel" not in at.session_state or not at.session_state["auth::panel"]:
        at.session_state["auth::panel"] = True  # what opening the sign-in expander sets: its form is drawn only then
        at.run()
    at.sidebar.text_input(key="auth::username").input(name)
    at.sidebar.text_input(key="auth::password").input(password)
    at.sidebar.button[-1].click().run()  # the form's submit button
    assert not at.exception, at.exception


def fill(at: AppTest, task: int, status: ProgressStatus | None, done: str, next_steps: str = "") -> None:
    at.selectbox(key=TASK_KEY).set_value(task)
    if status is not None:
        at.radio(key=STATUS_KEY).set_value(status)
    at.text_area(key=DONE_KEY).input(done)
    at.text_area(key=NEXT_KEY).input(next_steps)


def submit(at: AppTest) -> None:
    at.button(key="report::submit").click().run()
    assert not at.exception, at.exception


def texts(elements) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def test_a_visitor_reads_and_is_told_to_sign_in(database):
    at = visit("pages/report.py")
    assert at.title[0].value == "进展填报"
    assert texts(at.info)[0] == "填报需要登录:请在侧边栏用本单位的填报账户登录。无需登录即可阅读下方已采纳的报告。"
    assert not at.text_area  # no form for a visitor
    assert at.subheader[0].value == "已采纳的进展报告(0 份)"
    review = visit("pages/review.py")
    assert "需要登录审核账户" in texts(review.info)[0]
    assert not review.main.button


def test_a_wrong_password_and_an_unknown_name_get_the_same_words(database):
    at = visit("pages/report.py")
    sign_in(at, "kjt-li", "not the password")
    first = texts(at.sidebar.error)
    sign_in(at, "nobody-at-all", PASSWORD)
    assert texts(at.sidebar.error) == first == ["用户名或密码不正确,或账户暂时锁定。请稍后再试。"]
    assert at.sidebar.text_input(key="auth::password").value == ""  # the password is not kept in the form
    assert TOKEN_KEY not in at.session_state


def test_a_reporter_files_a_report_and_a_reviewer_accepts_it(database, plan):
    at = visit("pages/report.py")
    sign_in(at, "kjt-li")
    assert "已登录:**kjt\\-li**(填报人员 · 科技厅)" in [m.value for m in at.sidebar.markdown]
    assert at.selectbox(key=TASK_KEY).options[:2] == [
        "任务 1:协同推进成渝综合性科学中心建设(配合)",
        "任务 2:协同共建西部科学城(牵头)",
    ]
    # the status definitions sit beside the form
    assert any("**进度滞后**:工作已启动,但落后于年度工作安排" in m.value for m in at.markdown)
    fill(at, 3, ProgressStatus.on_track, "印发园区评价办法", "首批评价")
    submit(at)
    assert texts(at.success) == ["已提交报告 #1,等待审核。"]
    assert at.text_area(key=DONE_KEY).value == ""  # emptied after a successful write
    assert at.subheader[2].value == "本单位的报告(1 份)"

    reviewer = visit("pages/review.py")
    sign_in(reviewer, "fgw-zhao")
    assert reviewer.subheader[0].value == "待审核的报告(1 份)"
    reviewer.button(key="review::accept").click().run()
    assert texts(reviewer.success) == ["已采纳报告 #1 第 1 版,现已公开。"]
    assert reviewer.subheader[0].value == "待审核的报告(0 份)"

    public = visit("pages/report.py")
    assert public.subheader[0].value == "已采纳的进展报告(1 份)"
    shown = "\n".join(m.value for m in public.markdown)
    assert "任务 3 · 协同推进高新区等各类园区高质量发展" in shown and "印发园区评价办法" in shown
    assert any("kjt\\-li 填报于" in c.value and "fgw\\-zhao 审核采纳于" in c.value for c in public.caption)


def test_a_bad_form_lists_its_problems_and_keeps_the_text(database):
    at = visit("pages/report.py")
    sign_in(at, "kjt-li")
    fill(at, 3, None, "写了一半的进展")
    at.text_input(key="report::link").input("javascript:alert(1)")
    submit(at)
    assert texts(at.error) == [
        "未提交,请修改以下内容:\n- 进展状态:必须填写\n- 佐证链接(http 或 https 网址):不是以 http:// 或 https:// 开头的完整网址"
    ]
    assert at.text_area(key=DONE_KEY).value == "写了一半的进展"
    assert reports.reports_for(database, at.session_state[TOKEN_KEY], "川办发〔2022〕13号") == []


def test_the_review_page_refuses_a_reporter_and_shows_no_decision(database):
    token = accounts.sign_in(database, "kjt-li", PASSWORD, "test")
    at = visit("pages/review.py", token=token)
    assert "需要登录审核账户" in texts(at.info)[0]
    assert not at.text_area and not at.main.button


def test_a_database_that_is_down_leaves_the_page_readable_and_the_text_typed(database, monkeypatch):
    at = visit("pages/report.py")
    sign_in(at, "kjt-li")
    fill(at, 3, ProgressStatus.behind, "落后的原因和措施写在这里", "下一步")
    monkeypatch.setenv(DATABASE_URL_ENV, "sqlite:////nonexistent-folder/for/sure/db.sqlite3")
    submit(at)
    assert DOWN in texts(at.error)
    assert at.title[0].value == "进展填报"
    assert at.text_area(key=DONE_KEY).value == "落后的原因和措施写在这里"
    assert at.text_area(key=NEXT_KEY).value == "下一步"
    assert "已采纳的进展报告" in [s.value for s in at.subheader]  # no count: "0" would say there are none
    assert [b.proto.disabled for b in at.get("download_button")] == [True]  # the sheet's "last accepted" column is unknown
    monkeypatch.setenv(DATABASE_URL_ENV, str(database.url))  # back up: the same text goes through
    submit(at)
    assert texts(at.success) == ["已提交报告 #1,等待审核。"]


@pytest.mark.parametrize("page", ["pages/report.py", "pages/review.py", "pages/coverage.py"])
def test_every_page_of_this_feature_stays_readable_without_a_database(database, monkeypatch, page):
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    at = visit(page)
    assert at.title[0].value in {"进展填报", "报告审核", "填报情况"}
    assert page == "pages/review.py" or DOWN in texts(at.error)


def test_a_locked_database_refuses_the_write_and_keeps_the_text(database, monkeypatch):
    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.2)
    path = Path(database.url.database)
    locked_url = f"sqlite:///{path.parent}/./{path.name}"  # the same file, through a new engine that waits only 0.2 s
    monkeypatch.setenv(DATABASE_URL_ENV, locked_url)
    at = visit("pages/report.py")
    sign_in(at, "kjt-li")
    fill(at, 3, ProgressStatus.done, "已完成的工作")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        submit(at)
        assert LOCKED in texts(at.error)
        assert at.text_area(key=DONE_KEY).value == "已完成的工作"
        assert at.subheader[0].value == "填写进展报告(科技厅)"  # still signed in: reads go on while writes wait
    finally:
        other.execute("ROLLBACK")
        other.close()
    submit(at)
    assert texts(at.success) == ["已提交报告 #1,等待审核。"]


def test_a_sheet_upload_good_and_bad(database, plan):
    token = accounts.sign_in(database, "kjt-li", PASSWORD, "test")
    at = visit("pages/report.py", token=token)
    blank = sheet_bytes(plan, "kjt", PERIOD, [], "zh")
    bad = fill_sheet(blank, {3: {"status": "已完成", "done": "好的一行"}, 4: {"status": "差不多", "done": "坏的一行"}})
    at.file_uploader(key="report::sheet_0").set_value(("kjt\u202eslx.xlsx", bad, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert texts(at.error) == ["台账“kjtslx.xlsx”有 1 处问题,整表未保存:"]  # shown without its right-to-left override
    problems = at.dataframe[0].value
    assert problems.values.tolist() == [[5, "G", "“差不多”不是列表中的选项"]]
    assert reports.reports_for(database, token, plan.meta.doc_number) == []

    good = fill_sheet(blank, {3: {"status": "已完成", "done": "好的一行"}, 4: {"status": "进度滞后", "done": "第二行"}})
    at.file_uploader(key="report::sheet_1").set_value(("kjt.xlsx", good, "application/octet-stream")).run()
    assert texts(at.success) == ["台账“kjt.xlsx”已提交:2 份报告等待审核。"]
    views = reports.reports_for(database, token, plan.meta.doc_number)
    assert [(v.task, v.state, v.latest.via_sheet) for v in views] == [(3, ReportState.submitted, True), (4, ReportState.submitted, True)]


def test_coverage_shows_a_visitor_accepted_reports_only(database, plan):
    reporter = accounts.sign_in(database, "kjt-li", PASSWORD, "test")
    reviewer = accounts.sign_in(database, "fgw-zhao", PASSWORD, "test")
    accepted = reports.file_report(database, reporter, plan, ReportDraft(3, PERIOD, None, ProgressStatus.done, "完成"), client="t")
    reports.accept_report(database, reviewer, plan, accepted, 1, client="t")
    reports.file_report(database, reporter, plan, ReportDraft(4, PERIOD, None, ProgressStatus.behind, "滞后"), client="t")

    public = visit("pages/coverage.py")
    summary = public.dataframe[0].value.set_index("责任单位")
    assert list(summary.columns) == ["承担任务", "已采纳", "尚无已采纳报告"]  # pending work is not a visitor's to see
    assert summary.loc["科技厅"].tolist() == [26, 1, 25]
    assert "科技厅:1 / 26 项任务已有采纳的报告" in [m.value for m in public.markdown]
    detail = public.dataframe[1].value.set_index("任务")
    assert detail.loc[3, "本期报告"] == "已采纳" and detail.loc[4, "本期报告"] == "尚无已采纳报告"

    own = visit("pages/coverage.py", token=reporter)
    assert own.dataframe[0].value.set_index("责任单位").loc["科技厅"].tolist() == [26, 1, 1, 0, 24]
    assert own.dataframe[1].value.set_index("任务").loc[4, "本期报告"] == "待审核"
    assert "科技厅:2 / 26 项任务已有报告" in [m.value for m in own.markdown]


def test_the_review_queue_is_read_a_page_at_a_time(database, plan, monkeypatch):
    from components.ui import review

    monkeypatch.setattr(review, "PER_PAGE", 2)
    reporter = accounts.sign_in(database, "kjt-li", PASSWORD, "test")
    reviewer = accounts.sign_in(database, "fgw-zhao", PASSWORD, "test")
    for task in (2, 3, 4, 5, 6):
        reports.file_report(database, reporter, plan, ReportDraft(task, PERIOD, None, ProgressStatus.on_track, f"任务{task}"), client="t")
    at = visit("pages/review.py", token=reviewer)
    assert at.subheader[0].value == "待审核的报告(5 份)"
    pager = at.selectbox(key="review::page::queue")
    assert pager.options == ["第 1–2 份,共 5 份", "第 3–4 份,共 5 份", "第 5–5 份,共 5 份"]
    pick = at.selectbox(key="review::pick")
    assert len(pick.options) == 2 and pick.value == 1  # oldest first: the reports on tasks 2 and 3
    pager.set_value(2).run()
    pick = at.selectbox(key="review::pick")
    assert len(pick.options) == 1 and pick.value == 5  # the pick left the page: the page's report instead
    assert "任务 6" in pick.options[0]


def test_an_uploaded_plan_turns_writing_off(database, plan):
    token = accounts.sign_in(database, "kjt-li", PASSWORD, "test")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = token
    at.session_state[UPLOADED_PLAN_KEY] = UploadedPlan("mine.yaml", plan)
    at.run()
    at.switch_page("pages/report.py").run()
    assert texts(at.info)[0].startswith("当前使用的是您上传的方案")
    assert not at.text_area


def test_english(database):
    at = visit("pages/report.py", lang="en")
    sign_in(at, "kjt-li")
    assert at.subheader[0].value == "File a progress report (Department of Science and Technology)"
    assert at.radio(key=STATUS_KEY).options == ["Done", "On track", "Behind", "Not started"]
    assert at.selectbox(key="report::period").value == PERIOD
