"""app.py leaves Streamlit's legacy `pages/` router even when another session turned the router's flag off first.

Two first visitors after a server start: the second's run was routed the old way while the first had already
turned the class flag off, so app.py saw the flag off and ran nested inside a legacy page run (widget ids of
that run differ from every later one; a tab could keep the file-name navigation).
"""

import textwrap

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from components.ui import session

MAIN = """
import streamlit as st
from components.ui.session import _legacy_router_run, leave_legacy_pages_mode

leave_legacy_pages_mode()
st.session_state.setdefault("legacy_runs", []).append(_legacy_router_run())
st.navigation([st.Page(lambda: st.write("home"), title="Home")]).run()
"""


class FlagTurnedOffElsewhere:
    """What app.py sees of the class flag once another session has turned it off; a write reaches the real flag."""

    @property
    def uses_pages_directory(self) -> bool:
        return False

    @uses_pages_directory.setter
    def uses_pages_directory(self, value: bool) -> None:
        PagesManager.uses_pages_directory = value


def run_app(tmp_path) -> AppTest:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "other.py").write_text('import streamlit as st\nst.write("other")\n', encoding="utf-8")
    (tmp_path / "main.py").write_text(textwrap.dedent(MAIN), encoding="utf-8")
    return AppTest.from_file(str(tmp_path / "main.py"), default_timeout=30).run()


def test_the_app_body_runs_only_under_the_current_router(tmp_path):
    at = run_app(tmp_path)
    assert not at.exception
    assert at.session_state["legacy_runs"] == [False]
    assert at.markdown[0].value == "home"


def test_a_run_routed_the_old_way_is_rerun_when_the_flag_is_already_off(tmp_path, monkeypatch):
    monkeypatch.setattr(session, "PagesManager", FlagTurnedOffElsewhere())
    at = run_app(tmp_path)
    assert not at.exception
    assert at.session_state["legacy_runs"] == [False], "app.py ran on inside the legacy router's page run"
    assert at.markdown[0].value == "home"
    assert at.session_state[session.APP_RAN_KEY] is True
