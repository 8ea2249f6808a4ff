"""Science-city layout: the sites on an offline map of 四川 and 重庆, the 一城多园 tree, one site's tasks."""

import streamlit as st

from components.analysis import sites as layout
from components.analysis.progress import entries_for_site
from components.figures.site_map import MODES, VIEW_BOUNDS, layout_map
from components.figures.site_tree import hierarchy_tree_figure
from components.i18n import t
from components.plan.model import SiteKind
from components.ui.cache import cached_figure
from components.ui.layout import show_site_detail
from components.ui.session import current_plan, current_progress, language
from components.ui.widgets import md_escape, note_ignored_params, show_figure

SITE_KEY = "layout_site"

plan = current_plan()
lang = language()
labels = layout.kind_labels(lang)
names = {s.id: s.name.get(lang) for s in plan.sites}

st.title(t("layout.heading", lang))
if not plan.sites:
    st.info(t("layout.no_sites", lang))
    st.stop()
st.caption(t("layout.intro", lang, doc=md_escape(plan.meta.title.get(lang))))

kinds_present = [k for k in SiteKind if any(s.kind is k for s in plan.sites)]
with st.container(border=True):
    row = st.columns([3, 1.4, 1.6, 1.4])
    kinds = row[0].multiselect(
        t("layout.filter.kind", lang),
        kinds_present,
        default=kinds_present,
        key="layout_kinds",
        format_func=lambda k: labels[k.value],
        placeholder=t("layout.filter.placeholder", lang),
    )
    provinces = row[1].multiselect(
        t("layout.filter.province", lang),
        layout.PROVINCE_CHOICES,
        default=layout.PROVINCE_CHOICES,
        key="layout_provinces",
        format_func=lambda p: layout.province_label(p, lang),
        placeholder=t("layout.filter.placeholder", lang),
        help=t("layout.filter.province_help", lang),
    )
    mode = row[2].radio(t("layout.mode", lang), MODES, key="layout_mode", format_func=lambda m: t(f"layout.mode.{m}", lang))
    view = row[3].radio(t("layout.view", lang), list(VIEW_BOUNDS), key="layout_view", format_func=lambda v: t(f"layout.view.{v}", lang))

shown = layout.filter_sites(plan.sites, kinds=kinds, provinces=provinces)
on_map, off_map = layout.placed(shown), layout.unplaced(shown)
st.caption(t("layout.count", lang, shown=len(shown), total=len(plan.sites), placed=len(on_map), unplaced=len(off_map)))
if not shown:
    st.info(t("layout.empty", lang))

requested = st.query_params.get("site")  # e.g. a link from another page: ?site=lhaaso
if requested is not None and requested not in plan.site_by_id:
    note_ignored_params(["site"], lang)
if SITE_KEY not in st.session_state and requested in {s.id for s in shown}:
    st.session_state[SITE_KEY] = requested

map_column, tree_column = st.columns([2, 1], gap="medium")
with map_column:
    st.subheader(t("layout.map.title", lang))
    fig = cached_figure(layout_map, plan, lang, kinds=tuple(kinds), provinces=tuple(provinces), mode=mode, view=view)
    show_figure(fig, key="layout_map", filename=f"layout-map-{lang}")
    if mode != "plain":
        st.caption(t(f"layout.mode.{mode}.note", lang))
    st.caption(t("layout.map.hint", lang))
    st.caption(t("layout.map.source", lang))
with tree_column:
    st.subheader(t("layout.hierarchy", lang))
    tree = layout.tree_sites(plan.sites)
    if tree:
        show_figure(
            hierarchy_tree_figure(tree, lang=lang, kind_labels=labels, selected=st.session_state.get(SITE_KEY), width_px=290, font_px=11),
            key="layout_tree",
            filename=f"layout-hierarchy-{lang}",
        )
        st.caption(t("layout.hierarchy.hint", lang, count=len(tree)))

with st.container(border=True):
    site_id = st.selectbox(
        t("layout.select", lang),
        [s.id for s in shown],
        index=None,
        key=SITE_KEY,
        format_func=names.get,
        placeholder=t("layout.select.placeholder", lang),
    )
    if site_id is not None:
        log = current_progress(plan).log
        show_site_detail(plan, site_id, lang, entries_for_site(log, site_id) if log else None)

st.subheader(t("layout.precision.heading", lang))
st.markdown(
    t("layout.precision.intro", lang)
    + "\n"
    + "\n".join(
        f"- **{t(f'layout.ui.precision.{p.value}', lang)}**: {t(f'layout.precision.explain.{p.value}', lang)}" for p in layout.PRECISIONS
    )
)

st.subheader(t("layout.unplaced", lang, count=len(off_map)))
if off_map:
    st.caption(t("layout.unplaced.note", lang))
    st.dataframe(layout.site_table(plan, off_map, lang), hide_index=True, width="stretch")
else:
    st.caption(t("layout.unplaced.none", lang))
