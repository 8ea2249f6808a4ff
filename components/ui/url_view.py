"""The indicators page's view in its URL: read once when a session arrives, written back on every run.

The codec and its checks are pure (`analysis/url_state.py`); this module only moves values
between `st.query_params` and the session keys the page's widgets use.
"""

from __future__ import annotations

import streamlit as st

from components.analysis.url_state import ViewState, decode_view, encode_view
from components.plan.model import Plan, TargetEdit
from components.ui.whatif_editor import replace_edits

INDICATOR_KEY = "indicator_choice"
REGIONS_KEY = "region_choice"
_READ_KEY = "indicators_view_read"  # the URL is read once per session: later runs keep what the user chose
_IGNORED_KEY = "indicators_ignored"  # names of parameters that did not fit the plan, shown as a note


def restore_view_once(plan: Plan) -> list[str]:
    """On a session's first visit, set the widgets and edits from the URL; returns the parameters that were ignored."""
    if _READ_KEY not in st.session_state:
        st.session_state[_READ_KEY] = True
        view, ignored = decode_view(st.query_params.to_dict(), plan)
        if view.indicator:
            st.session_state[INDICATOR_KEY] = view.indicator
        elif view.edits:  # a hand-made link with edits and no indicator opens where the first edit shows
            first = next(target for target in plan.targets if target.id in view.edits)
            st.session_state[INDICATOR_KEY] = first.indicator
        if view.regions:
            st.session_state[REGIONS_KEY] = list(view.regions)
        if view.edits:
            replace_edits(plan, view.edits)
        st.session_state[_IGNORED_KEY] = ignored
    return st.session_state.get(_IGNORED_KEY, [])


def write_view(lang: str, indicator: str, regions: list[str], edits: dict[str, TargetEdit]) -> None:
    """The URL always describes what is on screen, so copying it shares the view."""
    st.query_params.from_dict({"lang": lang, **encode_view(ViewState(indicator, tuple(regions), edits))})
