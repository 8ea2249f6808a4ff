"""The layout page's detail of one site: its facts, where it sits in the 一城多园 tree, its parts and the tasks naming it."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.analysis import sites as layout
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import Entry
from components.ui.progress import show_entries
from components.ui.widgets import md_escape


def show_site_detail(plan: Plan, site_id: str, lang: str, milestones: Sequence[Entry] | None) -> None:
    """`milestones` are the progress-log entries naming the site; None when the plan has no progress log."""
    labels = layout.kind_labels(lang)
    site = plan.site_by_id[site_id]
    st.markdown(" · ".join(f"**{label}**: {md_escape(value)}" for label, value in layout.site_facts(plan, site, lang)))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('layout.detail.breadcrumb', lang)}**")
        st.markdown(" › ".join(md_escape(s.name.get(lang)) for s in layout.breadcrumb(plan, site_id)))
        st.markdown(f"**{t('layout.detail.children', lang)}**")
        parts = layout.children(plan, site_id)
        st.markdown(
            "\n".join(f"- {md_escape(c.name.get(lang))} ({labels[c.kind.value]})" for c in parts) or t("layout.detail.no_children", lang)
        )
    with right:
        st.markdown(f"**{t('layout.detail.tasks', lang)}**")
        tasks = layout.tasks_naming(plan, site_id)
        if not tasks:
            st.markdown(t("layout.detail.no_tasks", lang))
        for task in tasks:
            label = md_escape(t("layout.detail.task", lang, number=task.number, title=task.title.get(lang)))
            st.page_link("pages/tasks.py", label=label, icon=":material/checklist:", query_params={"task": str(task.number)})
    if milestones is not None:
        st.markdown(f"**{t('layout.detail.milestones', lang)}**")
        if milestones:
            show_entries(milestones, lang)
        else:
            st.caption(t("progress.no_evidence", lang))
