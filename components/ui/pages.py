"""The sidebar's st.Page objects, made once per session and language."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from components.i18n import t
from components.ui.navigation import PAGES, pages_by_group

NAV_PAGES_KEY = "nav_pages"  # language -> app.py's pages, grouped under their sidebar headings


def navigation_pages(lang: str) -> dict[str, list[StreamlitPage]]:
    """Made once per session and language: making the thirteen pages on every run resolved and checked thirteen
    paths on disk (3-6% of the server's time under load). Not shared between sessions: st.navigation marks the
    page it returns as the one to run, and running it clears the mark."""
    made: dict[str, dict[str, list[StreamlitPage]]] = st.session_state.setdefault(NAV_PAGES_KEY, {})
    if lang not in made:
        made[lang] = {
            t(f"nav.group.{group}", lang): [
                st.Page(spec.script, title=t(f"nav.{spec.key}", lang), icon=spec.icon, url_path=spec.url_path, default=spec == PAGES[0])
                for spec in specs
            ]
            for group, specs in pages_by_group().items()
        }
    return made[lang]
