"""Indicators and what-if: each indicator's series against its targets, the what-if editor, saved scenarios; the view lives in the URL."""

import streamlit as st

from components.analysis.overview import observations_table
from components.analysis.whatif import comparison_table, overlay_of
from components.figures.targets import contract_figure, indicator_figure
from components.i18n import t
from components.ui.cache import cached_figure, cached_table
from components.ui.scenario_panel import render_scenario_panel, render_scenario_status
from components.ui.session import current_plan, language
from components.ui.url_view import INDICATOR_KEY, REGIONS_KEY, restore_view_once, write_view
from components.ui.whatif_editor import active_edits, render_whatif_editor
from components.ui.widgets import md_escape, note_ignored_params, open_expander, show_figure

DATA_TABLE_KEY = "indicators_data_table"  # whether the data table's expander is open
COMPARE_KEY = "whatif_compare_table"  # whether the plan-and-scenario table's expander is open
PICKER_PX = 400  # the indicator picker's width: its longest name in Chinese fits; the regions take the rest

plan = current_plan()
lang = language()
st.title(t("indicators.heading", lang))
if not plan.indicators:
    st.info(t("indicators.none", lang))
    st.stop()
note_ignored_params(restore_view_once(plan), lang)


@st.fragment
def indicator_view() -> None:
    """Every widget from here down reruns only this part, not app.py's sidebar and navigation: a what-if edit
    (or a new indicator) is one short script run, and its charts are all that the browser redraws."""
    pickers = st.container(horizontal=True)  # one block, not st.columns' three: fewer parts for the browser to redraw
    indicator = pickers.selectbox(
        t("indicators.indicator", lang),
        [i.id for i in plan.indicators],
        key=INDICATOR_KEY,
        format_func=lambda i: plan.indicator_by_id[i].name.get(lang),
        width=PICKER_PX,
    )
    regions = pickers.multiselect(
        t("indicators.regions", lang),
        [r.id for r in plan.regions],
        default=[r.id for r in plan.regions],
        key=REGIONS_KEY,
        format_func=lambda r: plan.region_by_id[r].name.get(lang),
    )

    edits = active_edits(plan)  # the editor's callbacks ran before this line, so these are the edits as just typed
    overlay = overlay_of(plan, edits.usable)
    if edits.usable:
        st.warning(t("whatif.active", lang, count=len(edits.usable)), icon=":material/science:")
    if edits.dropped:
        st.warning(t("whatif.dropped", lang, targets=", ".join(edits.dropped)))

    has_series = any(o.indicator == indicator for o in plan.observations)
    if not has_series:
        st.info(t("indicators.no_series", lang))
    elif not regions:
        st.info(t("indicators.no_region", lang))
    elif not any(o.indicator == indicator and o.region in regions for o in plan.observations):
        st.info(t("indicators.no_data", lang))
    if has_series:
        figure = (
            indicator_figure(plan, indicator, regions, lang, overlay=overlay)
            if any(target.indicator == indicator and target.id in overlay for target in plan.targets)
            else cached_figure(indicator_figure, plan, lang, indicator=indicator, regions=tuple(regions))
        )
        show_figure(figure, key="indicator_chart", filename=indicator)
    for target in plan.targets:
        if has_series and target.indicator == indicator and target.window is not None:
            edited = overlay.get(target.id)
            show_figure(
                contract_figure(plan, target, lang, edited=edited) if edited else cached_figure(contract_figure, plan, lang, target=target),
                key=f"cumulative_{target.id}",
                filename=f"{target.id}_cumulative",
            )

    info = plan.indicator_by_id[indicator]
    if info.pitfalls:
        st.caption(md_escape(f"{t('indicators.pitfalls', lang)}: {info.pitfalls.get(lang)}"))
    if (
        table_panel := open_expander(t("indicators.data_table", lang), DATA_TABLE_KEY)
    ) is not None:  # filled only when open: on a 100x plan the table was 110 KB of every what-if edit
        table_panel.dataframe(
            cached_table(observations_table, plan, indicator=indicator, regions=tuple(regions), lang=lang),
            hide_index=True,
            width="stretch",
            column_config={
                t("col.flags", lang): st.column_config.TextColumn(width="medium"),
                t("col.decision", lang): st.column_config.TextColumn(width="large"),
            },
        )

    st.header(t("whatif.heading", lang))
    st.caption(t("whatif.intro", lang))
    render_whatif_editor(plan, lang, indicator)
    if (
        compare_panel := open_expander(t("whatif.compare", lang), COMPARE_KEY)
    ) is not None:  # filled only when open: the table was 40 ms of every edit's redraw in the browser
        scenarios = {t("whatif.official", lang): {}, t("whatif.scenario", lang): edits.usable}
        unedited = not edits.usable  # then every visitor's table is the same, made once
        table = (
            cached_table(comparison_table, plan, scenarios=scenarios, lang=lang) if unedited else comparison_table(plan, scenarios, lang)
        )
        compare_panel.dataframe(table, hide_index=True, width="stretch")
        compare_panel.caption(t("whatif.trend_rule", lang))
    render_scenario_status(lang)
    write_view(lang, indicator, regions, edits.usable)


indicator_view()
# outside the fragment: an edit does not redraw the panel; its own buttons rerun the page, editor included
render_scenario_panel(plan, lang, comparison=lambda scenarios: comparison_table(plan, scenarios, lang), status=False)
st.caption(t("indicators.share_link", lang))
