import streamlit as st

from components.i18n import t
from components.overview import observations_table
from components.scenario_panel import render_scenario_panel
from components.state import current_plan, language
from components.target_figures import contract_figure, indicator_figure
from components.ui import md_escape, show_figure
from components.url_state import ViewState, decode_view, encode_view
from components.whatif import assumed_change, comparison_table, edited_spec, usable_edits
from components.whatif_panel import render_whatif_editor, replace_edits, session_edits

plan = current_plan()
lang = language()
st.title(t("indicators.heading", lang))

if "indicators_view_read" not in st.session_state:
    st.session_state["indicators_view_read"] = True
    view, ignored = decode_view(st.query_params.to_dict(), plan)
    if view.indicator:
        st.session_state["indicator_choice"] = view.indicator
    if view.regions:
        st.session_state["region_choice"] = list(view.regions)
    if view.edits:
        replace_edits(plan, view.edits)
    if ignored:
        st.session_state["indicators_ignored"] = ignored
if st.session_state.get("indicators_ignored"):
    st.info(t("indicators.ignored_params", lang, names=", ".join(st.session_state["indicators_ignored"])))

indicator_ids = [i.id for i in plan.indicators]
choose, regions_column = st.columns([2, 3])
indicator = choose.selectbox(
    t("indicators.indicator", lang), indicator_ids, key="indicator_choice",
    format_func=lambda i: plan.indicator_by_id[i].name.get(lang),
)
regions = regions_column.multiselect(
    t("indicators.regions", lang), [r.id for r in plan.regions], default=[r.id for r in plan.regions],
    key="region_choice", format_func=lambda r: plan.region_by_id[r].name.get(lang),
)

edits = usable_edits(plan, session_edits())
scenario = {tid: (edited_spec(tg, edits[tid]), assumed_change(tg, edits[tid])) for tg in plan.targets if (tid := tg.id) in edits}
if edits:
    st.warning(t("whatif.active", lang, count=len(edits)), icon=":material/science:")
if dropped := sorted(set(session_edits()) - set(edits)):
    st.warning(t("whatif.dropped", lang, targets=", ".join(dropped)))

if not regions:
    st.info(t("indicators.no_region", lang))
elif not any(o.indicator == indicator and o.region in regions for o in plan.observations):
    st.info(t("indicators.no_data", lang))
show_figure(indicator_figure(plan, indicator, regions, lang, scenario=scenario), key="indicator_chart", filename=indicator)
for target in plan.targets:
    if target.indicator == indicator and target.window is not None:
        show_figure(contract_figure(plan, target, lang, edited=scenario.get(target.id)), key=f"cumulative_{target.id}", filename=f"{target.id}_cumulative")

info = plan.indicator_by_id[indicator]
if info.pitfalls:
    st.caption(md_escape(f"{t('indicators.pitfalls', lang)}: {info.pitfalls.get(lang)}"))
with st.expander(t("indicators.data_table", lang)):
    st.dataframe(observations_table(plan, indicator, regions, lang), hide_index=True, width="stretch")

st.header(t("whatif.heading", lang))
st.caption(t("whatif.intro", lang))
render_whatif_editor(plan, lang)
st.subheader(t("whatif.compare", lang))
st.dataframe(
    comparison_table(plan, {t("whatif.official", lang): {}, t("whatif.scenario", lang): usable_edits(plan, session_edits())}, lang),
    hide_index=True, width="stretch",
)

render_scenario_panel(
    plan, lang, comparison=lambda scenarios: comparison_table(plan, scenarios, lang), on_replace=lambda loaded: replace_edits(plan, loaded)
)

st.query_params.from_dict({"lang": lang, **encode_view(ViewState(indicator, tuple(regions), usable_edits(plan, session_edits())))})
st.caption(t("indicators.share_link", lang))
