"""One task's card on the tasks page: its text, responsible agencies, places and themes (words from `analysis.task_details`)."""

from __future__ import annotations

import streamlit as st

from components.analysis.responsibility import task_details
from components.i18n import t
from components.plan.model import Plan, Task
from components.ui.widgets import md_escape


def show_task_card(plan: Plan, task: Task, lang: str, *, expanded: bool) -> None:
    card = task_details(plan, task, lang)
    with st.expander(f"{card.number}. {md_escape(card.title)}", expanded=expanded):
        st.text(card.text)
        st.markdown(f"**{t('resp.col.lead', lang)}**: {md_escape(card.lead) or '—'}")
        st.markdown(f"**{t('resp.col.support', lang)}**: {md_escape(card.support) or '—'}")
        if card.sites:
            st.markdown(f"**{t('resp.col.sites', lang)}**: {md_escape(card.sites)}")
            st.page_link("pages/layout.py", label=t("tasks.sites_link", lang), icon=":material/map:")
        st.markdown(f"**{t('resp.col.themes', lang)}**: {md_escape(card.themes) or '—'}")
        if lang == "en":
            st.caption(t("tasks.original", lang) + " " + md_escape(card.original))
