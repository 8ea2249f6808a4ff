"""The scenario panel through its widgets: save, load, compare, delete, refuse bad names, reject bad uploads; saving
needs a signed-in user and goes to the database."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from components import paths
from components.plan import scenarios as files
from components.plan.scenarios import TargetEdit
from components.store import accounts
from components.store import scenarios as store
from components.store.accounts import Role
from components.store.db import DATABASE_URL_ENV, make_engine
from components.store.migrate import migrate
from components.ui.accounts import TOKEN_KEY
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan

PAGE = str(Path(__file__).resolve().parent / "scenario_panel_app.py")
ROOT = paths.ROOT
K = "scenario::"
DOC = "川办发〔2022〕13号"
PASSWORD = "correct horse battery"


@dataclass
class Saved:
    """The database the panel writes to, and a signed-in session of its owner-to-be."""

    engine: Engine
    token: str

    def names(self) -> list[str]:
        return [info.name for info in store.list_saved(self.engine, DOC)]

    def edits(self, name: str, plan) -> dict[str, TargetEdit]:
        return store.load(self.engine, name, plan).value.edits

    def sign_in(self, name: str, role: Role = Role.reviewer) -> str:
        accounts.add_user(self.engine, name, PASSWORD, role, None, by="test")
        return accounts.sign_in(self.engine, name, PASSWORD, "test")


@pytest.fixture()
def scenarios(tmp_path, monkeypatch) -> Saved:
    url = f"sqlite:///{tmp_path / 'panel.sqlite3'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    monkeypatch.setenv(paths.SCENARIO_DIR_ENV, str(tmp_path / "old-scenarios"))
    engine = make_engine(url)
    migrate(engine)
    saved = Saved(engine, "")
    saved.token = saved.sign_in("analyst")
    yield saved
    engine.dispose()


def start(edits: dict[str, TargetEdit] | None = None, lang: str = "zh", *, token: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["lang"] = lang
    at.session_state[K + "panel"] = True  # what opening the panel's expander sets
    if token is not None:
        at.session_state[TOKEN_KEY] = token
    if edits is not None:
        at.session_state["whatif_edits"] = edits
    at.run()
    assert not at.exception
    return at


def seen(elements) -> list[str]:
    """Message texts as a reader sees them: Markdown backslash escapes removed."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def shown_edits(at: AppTest) -> str:
    return at.text[-1].value


def save_as(at: AppTest, name: str) -> None:
    at.text_input(key=K + "name").input(name)
    at.button(key=K + "save").click()
    at.run()
    assert not at.exception


def test_save_load_compare_delete(scenarios, plan):
    at = start({"rd_intensity": TargetEdit(value=2.9)}, token=scenarios.token)
    assert at.caption[0].value == "本次会话有 1 项未保存的修改。"

    save_as(at, "稳健")
    assert seen(at.success) == ["已保存情景“稳健”(1 项修改)。"]
    assert at.caption[0].value == "当前情景:稳健"
    assert scenarios.names() == ["稳健"]
    assert scenarios.edits("稳健", plan) == {"rd_intensity": TargetEdit(value=2.9)}
    assert [i.owner for i in store.list_saved(scenarios.engine, DOC)] == ["analyst"]

    at.session_state["whatif_edits"] = {
        "rd_intensity": TargetEdit(value=3.1),
        "hightech_enterprises": TargetEdit(value=20000, growth_pct=12.0),
    }
    at.run()
    assert at.caption[0].value == "当前情景:稳健(载入后已修改,未保存)"
    save_as(at, "high-2")
    assert scenarios.names() == ["high-2", "稳健"]

    # Load the first one back: it replaces the session's edits.
    at.selectbox(key=K + "pick").select("稳健")
    at.button(key=K + "load").click()
    at.run()
    assert shown_edits(at) == "edits: rd_intensity=2.9"
    assert at.session_state["whatif_edits"] == {"rd_intensity": TargetEdit(value=2.9)}
    assert at.caption[0].value == "当前情景:稳健"
    assert seen(at.success) == ["已载入情景“稳健”(1 项修改),替换了本次会话的修改。"]

    # Compare the two through the injected callback.
    at.multiselect(key=K + "compare").select("high-2").select("稳健")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("target")
    assert list(table.columns) == ["high-2", "稳健"]
    assert table.loc["rd_intensity"].tolist() == [3.1, 2.9]
    assert table.loc["hightech_enterprises"].tolist() == [20000.0, 16000.0]
    assert table.loc["tech_progress_contribution"].tolist() == [63.0, 63.0]

    # Delete asks first; cancelling keeps the file.
    at.selectbox(key=K + "pick").select("high-2")
    at.button(key=K + "delete").click()
    at.run()
    assert seen(at.warning) == ["确定删除情景“high-2”?删除后无法恢复。"]
    assert scenarios.names() == ["high-2", "稳健"]
    at.button(key=K + "cancel_delete").click()
    at.run()
    assert scenarios.names() == ["high-2", "稳健"]
    assert not at.warning

    at.selectbox(key=K + "pick").select("high-2")
    at.button(key=K + "delete").click()
    at.run()
    at.button(key=K + "confirm_delete").click()
    at.run()
    assert not at.exception
    assert scenarios.names() == ["稳健"]
    assert seen(at.success) == ["已删除情景“high-2”。"]
    assert at.selectbox(key=K + "pick").options == ["稳健(analyst)"]
    assert not at.dataframe  # one scenario left: nothing to compare
    assert shown_edits(at) == "edits: rd_intensity=2.9"  # deleting never touches the session's edits


def test_overwrite_needs_confirmation(scenarios, plan):
    at = start({"rd_intensity": TargetEdit(value=2.9)}, token=scenarios.token)
    save_as(at, "same")
    at.session_state["whatif_edits"] = {"rd_intensity": TargetEdit(value=4.0)}
    at.run()
    save_as(at, "same")
    assert seen(at.warning) == ["已有名为“same”的情景。要用当前修改覆盖它吗?"]
    assert scenarios.edits("same", plan)["rd_intensity"].value == 2.9

    at.button(key=K + "cancel_overwrite").click()
    at.run()
    assert scenarios.edits("same", plan)["rd_intensity"].value == 2.9

    save_as(at, "same")
    at.button(key=K + "confirm_overwrite").click()
    at.run()
    assert not at.warning
    assert scenarios.edits("same", plan)["rd_intensity"].value == 4.0
    assert scenarios.names() == ["same"]


def test_traversal_name_is_refused_visibly_and_writes_nothing(scenarios, tmp_path):
    plan_file = ROOT / "data" / "plan.yaml"
    plan_hash = hashlib.sha256(plan_file.read_bytes()).hexdigest()
    at = start({"rd_intensity": TargetEdit(value=2.9)}, token=scenarios.token)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if "sqlite3" not in p.name)

    save_as(at, "../../plan")
    assert seen(at.error) == ["名称“../../plan”不能使用:含有路径分隔符(/ 或 \\)。未保存任何内容。"]
    assert not at.warning
    for name, reason in [("CON", "是 Windows 保留名"), (".hidden", "含有“.”"), ("a" * 200, "超过 60 个字符")]:
        save_as(at, name)
        assert len(at.error) == 1 and reason in seen(at.error)[0]

    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if "sqlite3" not in p.name) == before
    assert scenarios.names() == []
    assert hashlib.sha256(plan_file.read_bytes()).hexdigest() == plan_hash
    assert shown_edits(at) == "edits: rd_intensity=2.9"


def test_bad_upload_shows_problems_and_keeps_edits(scenarios, plan):
    at = start({"rd_intensity": TargetEdit(value=2.9)})
    good = files.to_yaml_bytes(files.make_scenario("up", plan, {"hv_invention_patents": TargetEdit(value=7.0)}))
    bad = good.replace(b"hv_invention_patents", b"not_a_target").replace(b"name: up", b"name: ../../plan")

    at.file_uploader(key=K + "upload").set_value(("bad.yaml", bad, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert seen(at.error) == ["文件“bad.yaml”有 1 处问题,未载入;当前修改保持不变:"]
    assert at.code[0].value == "bad.yaml:2  name  Value error, the name contains a path separator (/ or \\) (got '../../plan')"
    assert shown_edits(at) == "edits: rd_intensity=2.9"

    unknown = good.replace(b"hv_invention_patents", b"not_a_target")
    at.file_uploader(key=K + "upload").set_value(("unknown.yaml", unknown, "application/x-yaml"))
    at.run()
    assert at.code[0].value == "unknown.yaml:6  edits.not_a_target  unknown target 'not_a_target'"
    assert shown_edits(at) == "edits: rd_intensity=2.9"

    hostile = b"schema: !!python/object/apply:os.system ['echo hi']\n"
    at.file_uploader(key=K + "upload").set_value(("hostile.yaml", hostile, "application/x-yaml"))
    at.run()
    assert "is not allowed" in at.code[0].value
    assert shown_edits(at) == "edits: rd_intensity=2.9"

    at.file_uploader(key=K + "upload").set_value(("good.yaml", good, "application/x-yaml"))
    at.run()
    assert not at.error
    assert shown_edits(at) == "edits: hv_invention_patents=7.0"
    assert at.caption[0].value == "当前情景:up(来自上传或已删除,未保存)"
    assert scenarios.names() == []  # an upload is not saved until asked


def test_reset_and_english(scenarios):
    at = start({"rd_intensity": TargetEdit(value=2.9)}, lang="en")
    assert at.caption[0].value == "1 unsaved edit(s) in this session."
    assert at.button(key=K + "reset").label == "Reset to the official plan"
    at.button(key=K + "reset").click()
    at.run()
    assert at.session_state["whatif_edits"] == {}
    assert shown_edits(at) == "edits: none"
    assert at.caption[0].value == "Showing the plan's own targets: no edits."
    assert not at.button(key=K + "reset").disabled, "drawn once per page run, not per edit: never left disabled by an old state"


def test_saving_needs_a_signed_in_user_but_files_do_not(scenarios, plan):
    at = start({"rd_intensity": TargetEdit(value=2.9)})
    assert at.button(key=K + "save").disabled
    assert "登录后可保存、覆盖和删除情景;下载和上传情景文件无需登录。" in [c.value for c in at.caption]
    assert not at.button(key=K + "reset").disabled
    assert at.file_uploader(key=K + "upload") is not None
    at.text_input(key=K + "name").input("偷偷保存")
    at.session_state[TOKEN_KEY] = "forged-token"  # a session that claims a token nobody was given
    at.run()
    assert at.button(key=K + "save").disabled
    assert TOKEN_KEY not in at.session_state  # dropped: it stands for nobody
    assert scenarios.names() == []


def test_only_the_owner_or_an_admin_may_delete(scenarios, plan):
    store.save(scenarios.engine, scenarios.token, files.make_scenario("mine", plan, {"rd_intensity": TargetEdit(value=3.0)}), client="test")
    other = scenarios.sign_in("someone-else")
    at = start(token=other)
    assert at.selectbox(key=K + "pick").options == ["mine(analyst)"]
    assert at.button(key=K + "delete").disabled
    assert not at.button(key=K + "load").disabled
    admin = scenarios.sign_in("boss", Role.admin)
    assert not start(token=admin).button(key=K + "delete").disabled


def test_an_uploaded_plan_saves_no_scenarios(scenarios, plan):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["lang"] = "zh"
    at.session_state[K + "panel"] = True
    at.session_state[TOKEN_KEY] = scenarios.token
    at.session_state[UPLOADED_PLAN_KEY] = UploadedPlan("mine.yaml", plan)
    at.run()
    assert at.button(key=K + "save").disabled
    assert "当前使用的是上传的方案,不能保存情景;可下载情景文件。" in [c.value for c in at.caption]


def test_a_database_that_is_down_is_a_message_and_the_edits_stay(scenarios, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, "sqlite:////nonexistent-folder/for/sure/db.sqlite3")
    at = start({"rd_intensity": TargetEdit(value=2.9)}, token=scenarios.token)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "数据库暂时无法连接,报告和账户功能不可用。其他页面可照常浏览;您已填写的内容保留在表单中,请稍后重试。"
    ]
    assert shown_edits(at) == "edits: rd_intensity=2.9"


def test_a_trimmed_name_is_said_not_done_silently(scenarios):
    at = start({"rd_intensity": TargetEdit(value=2.9)}, token=scenarios.token)
    save_as(at, "  稳健 ")
    assert seen(at.info) == ["名称已调整为“稳健”(去掉首尾空白,统一字符写法)。"]
    assert seen(at.success) == ["已保存情景“稳健”(1 项修改)。"]
    save_as(at, "\uf900情景")  # put in NFC: said too
    assert seen(at.info) == ["名称已调整为“\u8c48情景”(去掉首尾空白,统一字符写法)。"]
    assert sorted(scenarios.names()) == sorted(["\u8c48情景", "稳健"])


def test_an_uploaded_file_name_is_shown_without_its_direction_override(scenarios, plan):
    at = start()
    good = files.to_yaml_bytes(files.make_scenario("up", plan, {"hv_invention_patents": TargetEdit(value=7.0)}))
    at.file_uploader(key=K + "upload").set_value(("report\u202efdp.yaml", good, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert seen(at.success) == ["已从文件“reportfdp.yaml”载入情景“up”(1 项修改),尚未保存。"]
    at.file_uploader(key=K + "upload").set_value(("bad\u202e.yaml", b"schema: [", "application/x-yaml"))
    at.run()
    assert "\u202e" not in " ".join(seen(at.error) + [c.value for c in at.code])


def test_a_scenario_deleted_in_another_tab_is_said_in_the_page_language(scenarios, plan):
    store.save(scenarios.engine, scenarios.token, files.make_scenario("共用", plan, {"rd_intensity": TargetEdit(value=3.0)}), client="test")
    at = start(token=scenarios.token)
    at.button(key=K + "delete").click()
    at.run()
    store.delete(scenarios.engine, scenarios.token, DOC, "共用", client="test")  # the other tab
    at.button(key=K + "confirm_delete").click()
    at.run()
    assert not at.exception
    assert seen(at.error) == ["情景“共用”未能删除:该情景已不存在(可能刚在另一个标签页或由他人删除)。"]


def test_an_oversized_scenario_file_is_refused_in_the_page_language(scenarios):
    """A 4.9 MiB upload was refused with the reader's English words inside the Chinese page."""
    big = b"# " + b"x" * (49 * 2**20 // 10) + b"\n"
    at = start({"rd_intensity": TargetEdit(value=2.9)})
    at.file_uploader(key=K + "upload").set_value(("big.yaml", big, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert seen(at.error) == [f"文件“big.yaml”未载入:文件有 {len(big):,} 字节,超过上限 1,048,576 字节。当前修改保持不变。"]
    assert not at.code and shown_edits(at) == "edits: rd_intensity=2.9"
    at = start(lang="en")
    at.file_uploader(key=K + "upload").set_value(("big.yaml", big, "application/x-yaml"))
    at.run()
    assert seen(at.error) == [
        f'The file "big.yaml" was not loaded: The file is {len(big):,} bytes; the limit is 1,048,576. Your edits are unchanged.'
    ]
