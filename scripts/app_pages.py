"""Which pages app.py registers, found by running it once: tests and scripts cover every page without a list of their own."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from components.paths import ROOT

APP = ROOT / "app.py"


@dataclass(frozen=True)
class PageInfo:
    script: str  # relative to the app, e.g. "pages/home.py"; what AppTest.switch_page takes
    url_path: str  # "" for the default page, which is served at "/"
    title: str  # in the language asked for (the default language unless told)
    default: bool

    @property
    def name(self) -> str:
        return Path(self.script).stem


@contextmanager
def server_started_with(plan: Path | None = None, progress: Path | None = None) -> Iterator[None]:
    """Run AppTest as a server started with `-- --plan PLAN --progress LOG` (None: the bundled files) would.

    A server reads its command line once (`ui/session.server_plan_path`, `server_progress_path`); AppTest
    runs app.py in this process, so the command line is set here and the cached readings dropped, before and after.
    """
    from components.ui.session import server_plan_path, server_progress_path

    saved = sys.argv
    sys.argv = [str(APP)] + (["--plan", str(plan)] if plan is not None else []) + (["--progress", str(progress)] if progress else [])
    server_plan_path.cache_clear()
    server_progress_path.cache_clear()
    try:
        yield
    finally:
        sys.argv = saved
        server_plan_path.cache_clear()
        server_progress_path.cache_clear()


@contextmanager
def apptest_runs_app_py() -> Iterator[None]:
    """Make AppTest run app.py on every rerun, as the real server does.

    AppTest resets `PagesManager.uses_pages_directory` before each run and, because
    a `pages/` folder sits next to app.py, it turns back on: the run then goes
    through the legacy pages-folder router, which on a rerun or `switch_page`
    finds `pages/<url_path>.py` by its hash and runs that file *alone*: no
    app.py, no sidebar, no plan check. Pinning the flag off restores the
    `st.navigation` behaviour (app.py always runs and picks the page).
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__  # private-api: AppTest resets the legacy-router flag in PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    try:
        yield
    finally:
        PagesManager.__init__ = original


def registered_pages(app: Path = APP, lang: str | None = None) -> list[PageInfo]:
    """Run app.py in AppTest with `st.navigation` watched and return the pages it was given, in order (titles in `lang`)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    seen: list = []
    real = st.navigation

    def watch(pages, *args, **kwargs):
        seen.append(pages)
        return real(pages, *args, **kwargs)

    with server_started_with(None), mock.patch.object(st, "navigation", watch), apptest_runs_app_py():
        at = AppTest.from_file(str(app), default_timeout=60)
        if lang:
            at.query_params["lang"] = lang
        at.run()
    if at.exception:
        raise RuntimeError(f"app.py raised while listing pages: {at.exception[0].message}")
    if not seen:
        raise RuntimeError("app.py did not call st.navigation (is the bundled plan valid?)")
    pages = seen[-1]
    flat = [p for group in pages.values() for p in group] if isinstance(pages, dict) else list(pages)
    found = []
    for page in flat:
        target = getattr(page, "_page", None)  # private-api: StreamlitPage keeps its script path and default flag privately
        if not isinstance(target, Path):
            continue  # a callable or external page has no script of its own
        found.append(
            PageInfo(
                script=target.resolve().relative_to(app.parent.resolve()).as_posix(),
                url_path=page.url_path,
                title=page.title,
                default=bool(getattr(page, "_default", False)),
            )
        )
    return found


if __name__ == "__main__":
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for info in registered_pages():
        print(f"{info.script:28} /{info.url_path:20} {info.title}{'  (default)' if info.default else ''}")
