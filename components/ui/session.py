"""The app's glue to Streamlit: which plan is loaded and in which language.

Kept apart from the pure modules so that everything else can be tested
without Streamlit; pages call `current_plan()` and `language()` only.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager  # private-api: the legacy-router flag (Streamlit 1.67, pinned)
from streamlit.runtime.scriptrunner_utils.script_run_context import (  # private-api: which router runs app.py (Streamlit 1.67, pinned)
    ThreadState,
    get_script_run_ctx,
)

from components.i18n import DEFAULT_LANGUAGE, LANGUAGES
from components.paths import BUNDLED_PLAN, PROGRESS_LOG
from components.plan.loader import Problem, Validated, load_plan_text, parse_yaml_mapping, read_file
from components.plan.model import Plan
from components.plan.progress import ProgressLog, load_progress_text

LANGUAGE_KEY = "lang"
UPLOADED_PLAN_KEY = "uploaded_plan"  # this session's uploaded plan (components/ui/plan_upload.py)


APP_RAN_KEY = "app_ran"  # set by app.py in every session; a page run without it came through the legacy router


def leave_legacy_pages_mode() -> None:
    """app.py: rerun at once if Streamlit's legacy `pages/` router is running this script.

    With a `pages/` folder beside app.py, Streamlit (1.67) routes script runs through its old
    multipage router until `st.navigation` first runs. The first visitor after a server start got
    widgets with other ids than in every later run (their first click, e.g. on the language
    switch, was lost), and a visitor opening a page's own URL got that page without app.py: no
    language switch, raw file names as navigation. The rerun lands on the same URL path in the
    current router; it costs one empty run per server start.

    The run is asked, not the class flag: when two first visitors arrive together, the other
    session can turn the flag off after this run was already routed the old way.
    """
    if PagesManager.uses_pages_directory or _legacy_router_run():
        PagesManager.uses_pages_directory = False
        st.rerun()
    st.session_state[APP_RAN_KEY] = True


def _legacy_router_run() -> bool:
    """The legacy router runs app.py as one of its pages, under that page's hash; Streamlit's own runs start
    app.py under the main script's hash."""
    ctx = get_script_run_ctx()
    return ctx is not None and ThreadState.get().active_script_hash != ctx.pages_manager.main_script_hash


def _rerun_through_app_py() -> None:
    """A page: if app.py has not run in this session, the legacy router started this page alone; rerun through app.py.

    The class flag alone cannot tell: when two first visitors arrive together, the other session may
    already have turned it off while this session's first run was routed the old way.
    """
    if not st.session_state.get(APP_RAN_KEY):
        PagesManager.uses_pages_directory = False
        st.rerun()


def plan_path_from_args(argv: list[str]) -> Path:
    """`streamlit run app.py -- --plan PATH` picks another plan file."""
    return _paths_from_args(argv)[0]


def _paths_from_args(argv: list[str]) -> tuple[Path, Path]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--plan", default=str(BUNDLED_PLAN))
    parser.add_argument("--progress", default=str(PROGRESS_LOG))
    known, _ = parser.parse_known_args(argv)
    return Path(known.plan), Path(known.progress)


@cache
def server_plan_path() -> Path:
    """The plan file this server was started with: read from the command line once per process, not on every run."""
    return plan_path_from_args(sys.argv[1:])


@cache
def server_progress_path() -> Path:
    """The progress log this server was started with (`-- --progress PATH`; data/progress.yaml by default)."""
    return _paths_from_args(sys.argv[1:])[1]


def file_stamp(path: Path) -> tuple[int, int, int, int] | None:
    """What says a file changed, without reading it: reading and hashing the plan and the log on every run cost
    a few ms a page (the 100x log is 6.7 MB). Any write changes the change time; None: it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


# cache_resource, not cache_data: the result is shared, not unpickled on every run. A Plan is frozen,
# so sharing it between sessions is safe, and copying a 100x plan cost ~1.5 s per page run.
@st.cache_resource(show_spinner=False, max_entries=8)
def _load(path: Path, stamp: tuple[int, int, int, int]) -> Validated[Plan]:
    raw = read_file(path)
    if isinstance(raw, Problem):
        return Validated(None, (raw,))
    return load_plan_text(raw, path.name)


def load(path: Path) -> Validated[Plan]:
    """Cached on the file's stamp, so an edited file is re-read and an unchanged one is not even read."""
    stamp = file_stamp(path)
    if stamp is None:  # it cannot be read: reading it says why, in words
        raw = read_file(path)
        return Validated(None, (raw,)) if isinstance(raw, Problem) else load_plan_text(raw, path.name)
    return _load(path, stamp)


@dataclass(frozen=True)
class UploadedPlan:
    """A plan uploaded in this session: validated, kept in memory only, never written to disk."""

    name: str  # display name, already sanitised
    plan: Plan


def uploaded_plan() -> UploadedPlan | None:
    value = st.session_state.get(UPLOADED_PLAN_KEY)
    return value if isinstance(value, UploadedPlan) else None


def current_plan_result() -> Validated[Plan]:
    """This session's uploaded plan if there is one, else the plan file the server was started with."""
    uploaded = uploaded_plan()
    if uploaded is not None:
        return Validated(uploaded.plan, ())
    return load(server_plan_path())


def current_plan() -> Plan:
    """Every page starts here, so a page opened by the legacy router is rerun through app.py first."""
    _rerun_through_app_py()
    result = current_plan_result()
    if result.value is None:
        st.stop()
    return result.value


def language() -> str:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class ProgressState:
    """The progress log for the plan in use: the log, or the problems that stopped it, or neither when the plan has none."""

    log: ProgressLog | None
    problems: tuple[Problem, ...] = ()
    fingerprint: str = ""  # of the log file's bytes: a cache key that costs nothing per run (dumping 10,000 entries took 0.1 s)


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_progress(path: Path, stamp: tuple[int, int, int, int], plan_fingerprint: str, _plan: Plan) -> ProgressState:
    """Cached on the file's stamp and the plan's content (the log is checked against the plan)."""
    raw = read_file(path)
    if isinstance(raw, Problem):
        return ProgressState(None, (raw,))
    parsed = parse_yaml_mapping(raw, path.name)
    if isinstance(parsed.data, dict) and parsed.data.get("plan_doc_number") not in (None, _plan.meta.doc_number):
        return ProgressState(None)  # a log of another plan: this plan simply has none
    result = load_progress_text(raw, path.name, _plan)
    return ProgressState(result.value, result.problems, hashlib.sha256(raw).hexdigest() if result.value else "")


def current_progress(plan: Plan) -> ProgressState:
    """The log that belongs to the plan in use. A plan without one (an upload, an imported draft) gets an empty state, not an error."""
    path = server_progress_path()
    if not path.exists():
        return ProgressState(None)
    stamp = file_stamp(path)
    if stamp is None:
        raw = read_file(path)
        return ProgressState(None, (raw,) if isinstance(raw, Problem) else ())
    return _load_progress(path, stamp, plan.fingerprint, plan)
