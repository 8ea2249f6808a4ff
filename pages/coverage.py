"""Reporting coverage: per agency, which of its tasks have a report for the period and which do not."""

import streamlit as st

from components.i18n import t
from components.ui.accounts import signed_in
from components.ui.coverage import coverage_view
from components.ui.session import current_plan, language

plan = current_plan()
lang = language()

st.title(t("coverage.heading", lang))
st.caption(t("coverage.intro", lang))
coverage_view(plan, signed_in(lang), lang)
