"""Progress reports: an agency's reporter files reports (form or 台账 sheet); everyone reads the accepted ones."""

import streamlit as st

from components.i18n import t
from components.store.accounts import Role
from components.ui.accounts import signed_in
from components.ui.report_form import own_reports, report_form, sheet_round_trip
from components.ui.reports import show_accepted_list
from components.ui.session import current_plan, language, uploaded_plan

plan = current_plan()
lang = language()
actor = signed_in(lang)

st.title(t("reports.heading", lang))
st.caption(t("reports.intro", lang))

if uploaded_plan() is not None:
    st.info(t("reports.uploaded_plan", lang), icon=":material/edit_off:")
elif actor is None:
    st.info(t("reports.sign_in_needed", lang), icon=":material/login:")
elif actor.role is Role.reporter:
    report_form(plan, actor, lang)
    sheet_round_trip(plan, actor, lang)
    own_reports(plan, lang)
    st.divider()
elif actor.role is Role.reviewer:
    st.info(t("reports.for_reviewers", lang), icon=":material/fact_check:")
    st.page_link("pages/review.py", label=t("nav.review", lang), icon=":material/fact_check:")
else:
    st.info(t("reports.for_admins", lang), icon=":material/manage_accounts:")

show_accepted_list(plan, lang)
