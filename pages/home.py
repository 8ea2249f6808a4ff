import streamlit as st

from components.analysis.overview import plan_counts, section_table, targets_table
from components.analysis.progress import tasks_with_evidence
from components.i18n import t
from components.ui.cache import cached_table
from components.ui.navigation import PAGES, pages_by_group
from components.ui.session import current_plan, current_progress, language
from components.ui.widgets import md_escape

plan = current_plan()
lang = language()
meta = plan.meta

st.title(md_escape(meta.title.get(lang)))
st.caption(
    t(
        "home.doc",
        lang,
        issuer=md_escape(meta.issuer.get(lang)),
        doc_number=md_escape(meta.doc_number),
        date=meta.issue_date.isoformat() if meta.issue_date else t("home.date_unknown", lang),
    )
)
st.write(t("home.period", lang, start=meta.period_start, end=meta.period_end, target_year=meta.target_year))

counts = plan_counts(plan)
for column, (key, value) in zip(
    st.columns(5),
    [
        ("home.count.targets", counts.targets),
        ("home.count.sections", counts.sections),
        ("home.count.tasks", counts.tasks),
        ("home.count.agencies", counts.agencies),
        ("home.count.sites", counts.sites),
    ],
):
    column.metric(t(key, lang), value)

log = current_progress(plan).log
if log is not None:
    left, right, _ = st.columns([1, 1, 3])
    left.metric(t("home.count.entries", lang), len(log.entries))
    right.metric(t("home.count.evidenced", lang), t("home.evidenced", lang, count=tasks_with_evidence(plan, log), total=len(plan.tasks)))
    st.caption(t("home.progress_note", lang, as_of=log.as_of.isoformat()))

st.subheader(t("home.pages", lang))
# one column per sidebar group: four rows of three columns were 16 of the page's 93 elements
for column, (group, specs) in zip(st.columns(len(pages_by_group())), pages_by_group().items()):
    column.markdown(f"**{t(f'nav.group.{group}', lang)}**")
    for spec in specs:
        if spec != PAGES[0]:
            column.page_link(spec.script, label=t(f"nav.{spec.key}", lang), icon=spec.icon)
            column.caption(t(f"home.link.{spec.key}", lang, targets=counts.targets, tasks=counts.tasks, year=meta.target_year))

st.subheader(t("home.purpose", lang))
st.text(meta.purpose.get(lang))

st.subheader(t("home.targets", lang, year=meta.target_year))  # full width: the five columns were cut off in half a page
if plan.targets:
    st.dataframe(cached_table(targets_table, plan, lang=lang), hide_index=True, width="stretch")
    st.caption(t("home.source", lang, source=md_escape(meta.doc_number if meta.draft else f"{meta.doc_number} 一(二)")))
else:
    st.info(t("home.no_targets", lang))
st.subheader(t("home.sections", lang, count=counts.sections))
st.dataframe(cached_table(section_table, plan, lang=lang), hide_index=True, width="stretch")

st.subheader(t("home.safeguards", lang))
if not plan.safeguards:
    st.caption(t("home.no_safeguards", lang))
for safeguard in plan.safeguards:
    with st.expander(f"{safeguard.number}. {md_escape(safeguard.title.get(lang))}"):
        st.text(safeguard.text.get(lang))

if lang == "en":
    st.caption(md_escape(meta.translation_note.get(lang)))
