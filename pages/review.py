"""Review: a reviewer accepts or returns each report, seeing its full history; others are told what the page is for."""

import streamlit as st

from components.i18n import t
from components.store.accounts import Role
from components.ui.accounts import signed_in
from components.ui.review import review_panel
from components.ui.session import current_plan, language, uploaded_plan

plan = current_plan()
lang = language()
actor = signed_in(lang)

st.title(t("review.heading", lang))
st.caption(t("review.intro", lang))

if uploaded_plan() is not None:
    st.info(t("reports.uploaded_plan", lang), icon=":material/edit_off:")
elif actor is None or actor.role is not Role.reviewer:
    st.info(t("review.sign_in_needed", lang), icon=":material/login:")
    st.page_link("pages/report.py", label=t("nav.report", lang), icon=":material/edit_note:")
else:
    review_panel(plan, lang)
