"""A minimal page for AppTest: the bundled plan, the scenario panel, and a comparison that shows raw values."""

import pandas as pd
import streamlit as st

from components import paths
from components.plan.loader import load_plan_file
from components.ui.scenario_panel import render_scenario_panel

PLAN = load_plan_file(paths.BUNDLED_PLAN).value


def comparison(scenarios):
    rows = []
    for target in PLAN.targets:
        row = {"target": target.id}
        for name, edits in scenarios.items():
            edit = edits.get(target.id)
            row[name] = edit.value if edit is not None and edit.value is not None else target.value
        rows.append(row)
    return pd.DataFrame(rows)


render_scenario_panel(PLAN, st.session_state.get("lang", "zh"), comparison=comparison)
edits = st.session_state["whatif_edits"]
st.text("edits: " + ", ".join(f"{k}={v.value}" for k, v in sorted(edits.items())) if edits else "edits: none")
