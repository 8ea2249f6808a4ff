"""Target progress: one card per target with its latest actual, baseline, progress, status and trend line."""

import streamlit as st

from components.analysis.target_cards import card_for, latest_data_year
from components.analysis.targets import charted_points
from components.figures.targets import sparkline
from components.i18n import t
from components.ui.cache import cached_value
from components.ui.session import current_plan, language
from components.ui.widgets import md_escape, target_card_markdown

plan = current_plan()
lang = language()

st.title(t("targets.heading", lang, year=plan.meta.target_year))
st.caption(t("targets.intro", lang, year=latest_data_year(plan), target_year=plan.meta.target_year))
if not plan.targets:
    st.info(t("targets.none", lang))

columns = st.columns(3)
for index, target in enumerate(plan.targets):
    card = card_for(plan, target, lang)
    with columns[index % 3].container(border=True):
        st.markdown(target_card_markdown(card))
        if charted_points(plan.observations, target.indicator, target.region):  # with no values the card already says so: no empty chart
            st.plotly_chart(
                cached_value(sparkline, plan, target=target), key=f"spark_{target.id}", config={"displayModeBar": False, "staticPlot": True}
            )
        if card.latest_source:
            st.caption(md_escape(t("card.source", lang, source=card.latest_source)))

with st.expander(t("targets.status_rules_title", lang), expanded=False):
    st.markdown(t("targets.status_rules", lang, baseline_year=plan.meta.baseline_year))
