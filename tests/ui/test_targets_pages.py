"""The targets and indicators pages wired to real numbers: cards, charts, what-if edits and shared links."""

from streamlit.testing.v1 import AppTest

from tests.ui.apptest import APP, decode, figure, open_page


def trace(fig: dict, name: str) -> dict:
    return next(tr for tr in fig["data"] if tr.get("name") == name)


def test_target_cards_show_status_and_freshness():
    at = open_page("pages/targets.py")
    cards = [m.value.split("\n\n") for m in at.markdown if m.value.startswith("#### ")]
    assert len(cards) == 6 and all(len(card) == 3 for card in cards), "a card's words are one element"
    lines = [line.replace("\\", "") for card in cards for line in card[2].split("  \n")]
    texts = [line for line in lines if not line.startswith(":small[")]
    assert "目标:2025 年达到 2.5%左右" in texts
    assert "最新实际值:2.14 %(2022 年)" in texts
    assert "累计至 2024 年:7,605.3 亿元" in texts
    small = [line.removeprefix(":small[:gray[").removesuffix("]]") for line in lines if line.startswith(":small[")]
    assert "2025 年数据尚未纳入;最新为 2022 年。" in small
    # the status of a number in words, not only a hollow marker
    assert ":material/info: 注意:2019 年数值为初步/预计数,终值公布后可能改变。" in small
    assert ":material/info: 累计值中 2022、2024 年为推算值。" in small
    assert ":material/info: 2024 年:报告未说明“技术合同增长33.6%”指成交额还是合同数;若指合同数,此推算不成立。" in small
    assert "更新的数字(未入图):2025 年 19,000 家(截至 2025-09 的时点数、二手来源)。" in small
    statuses = {card[0].removeprefix("#### ").replace("\\", ""): card[1] for card in cards}
    assert statuses["全社会研发投入强度"] == ":orange-badge[:material/warning: 滞后]"
    assert statuses["高新技术企业数量"] == ":green-badge[:material/check_circle: 提前完成]"
    assert statuses["技术合同成交额(累计)"] == ":green-badge[:material/check_circle: 提前完成]"
    assert statuses["每万人有效高价值发明专利拥有量"] == ":gray-badge[:material/help: 无数据]"


def test_indicator_chart_data_has_gaps_and_target():
    at = open_page("pages/indicators.py")
    fig = figure(at)
    sichuan = trace(fig, "四川")
    assert decode(sichuan["x"])[:4] == [2015, 2016, None, 2019]
    assert decode(sichuan["y"])[-1] == 2.14
    target = trace(fig, "方案目标(四川,2025)")
    assert (decode(target["x"]), decode(target["y"])) == ([2025], [2.5])
    projection = trace(fig, "按近期趋势外推(2020—2022 年)")
    assert decode(projection["x"])[0] == 2022
    national = trace(fig, "全国")
    years, values = decode(national["x"]), decode(national["y"])
    assert values[years.index(2020)] == 2.4 and values[years.index(2025)] == 2.8  # first-published 2020; preliminary 2025
    assert national["marker"]["symbol"][years.index(2025)] == "circle-open"
    # drawn as the figure says, with its own look (style.self_styled_figure): Streamlit then redraws nothing
    chart = at.get("plotly_chart")[0].proto
    assert (chart.theme, fig["layout"]["template"], fig["layout"]["datarevision"]) == ("", None, "self-styled")
    assert fig["layout"]["yaxis"]["tickfont"] == {"color": "#808495", "size": 12}


def test_data_table_and_what_if_say_how_each_value_is_used():
    at = open_page("pages/indicators.py")
    assert not at.dataframe, "neither table is drawn (nor sent with every edit) while its expander is closed"
    assert [e.label for e in at.expander][:2] == ["数据表(含未绘制的数值)", "方案与情景对照表"]
    at.session_state["indicators_data_table"] = True  # what opening the expanders sets
    at.session_state["whatif_compare_table"] = True
    at.run()
    assert len(at.dataframe) == 2
    data = at.dataframe[0].value
    national = data[(data["地区"] == "全国") & (data["年份"] == 2020)].set_index("目标值")
    assert national.loc[2.4, "绘图使用"] == "✓" and national.loc[2.36, "绘图使用"] == "—"
    assert national.loc[2.36, "取舍说明"].startswith("不绘制:与2020年公报首次公布的2.40不同")
    compare = at.dataframe[-1].value.set_index(["目标", "方案/情景"])
    assert compare.loc[("科技进步贡献率", "方案"), "趋势依据"] == "可用数值不足两年,无趋势;未计入 2017 年(下限值)、2019 年(初步/预计数)"
    assert any(c.value.startswith("近期趋势:最近三个年份数值的年均变化") for c in at.caption)


def test_what_if_edit_recomputes_table_and_chart():
    at = open_page("pages/indicators.py")
    at.session_state["whatif_compare_table"] = True  # the comparison table, opened
    at.text_input(key="whatif_value_rd_intensity").set_value("2.8").run()
    at.text_input(key="whatif_target_year_rd_intensity").set_value("2027").run()
    assert not at.exception
    table = at.dataframe[-1].value
    rows = table[table["目标"] == "全社会研发投入强度"].set_index("方案/情景")
    assert rows.loc["方案", "目标值(年份)"] == "2.5 (2025)"
    assert rows.loc["情景", "目标值(年份)"] == "2.8 (2027)"
    assert rows.loc["情景", "所需年均变化"] == "+0.13 个百分点/年"
    fig = figure(at)
    scenario = trace(fig, "情景目标")
    assert (decode(scenario["x"]), decode(scenario["y"])) == ([2027], [2.8])
    assert at.query_params["whatif"] == "rd_intensity:2.8:2027:"


def test_impossible_edit_is_refused_under_its_row_naming_the_field():
    at = open_page("pages/indicators.py")
    at.session_state["whatif_compare_table"] = True  # the comparison table, opened
    at.selectbox(key="indicator_choice").set_value("hightech_revenue_share_pct").run()
    at.text_input(key="whatif_value_hightech_revenue_share").set_value("130").run()
    assert [e.value for e in at.error] == ["目标值：比重不能超过 100%。"]
    at.selectbox(key="indicator_choice").set_value("rd_intensity_pct").run()
    assert not at.error, "a refusal shows under its own row, and that row is not drawn under another indicator"
    at.text_input(key="whatif_value_rd_intensity").set_value("").run()
    assert "目标值：请输入数值(或点“恢复方案值”)。" in [e.value for e in at.error]
    table = at.dataframe[-1].value
    plan_rows, scenario_rows = table[table["方案/情景"] == "方案"], table[table["方案/情景"] == "情景"]
    assert list(scenario_rows["目标值(年份)"]) == list(plan_rows["目标值(年份)"])


def test_the_editor_shows_the_chosen_indicators_targets_and_names_the_edits_kept_elsewhere():
    at = open_page("pages/indicators.py")
    assert {w.key for w in at.text_input if w.key.startswith("whatif_")} == {
        "whatif_value_rd_intensity",
        "whatif_target_year_rd_intensity",
        "whatif_growth_pct_rd_intensity",
    }
    at.text_input(key="whatif_value_rd_intensity").set_value("2.8").run()
    at.selectbox(key="indicator_choice").set_value("hightech_enterprises").run()
    assert "whatif_value_rd_intensity" not in [w.key for w in at.text_input]
    assert "其他指标下另有 1 项修改仍然有效:全社会研发投入强度。选择相应指标即可查看或更改。" in [c.value for c in at.caption]
    assert "当前为情景推演结果(已修改 1 项目标)。" in [w.value for w in at.warning]
    at.text_input(key="whatif_value_hightech_enterprises").set_value("20000").run()
    assert at.query_params["whatif"] == "hightech_enterprises:20000::;rd_intensity:2.8::"
    at.selectbox(key="indicator_choice").set_value("rd_intensity_pct").run()
    assert at.text_input(key="whatif_value_rd_intensity").value == "2.8", "the edit is kept and shown again"
    assert trace(figure(at), "情景目标")["y"]
    at.selectbox(key="indicator_choice").set_value("rd_expenditure_100m_yuan").run()
    assert not [w for w in at.text_input if w.key.startswith("whatif_")]
    assert "方案没有为这一指标设定目标,无可修改项;请选择其他指标。" in [c.value for c in at.caption]
    assert "其他指标下另有 2 项修改仍然有效:全社会研发投入强度、高新技术企业数量。选择相应指标即可查看或更改。" in [
        c.value for c in at.caption
    ]


def test_the_scenario_panel_is_drawn_only_when_opened():
    at = open_page("pages/indicators.py")
    assert "scenario::save" not in [b.key for b in at.button], "closed, its widgets are not sent with every edit"
    at.session_state["scenario::panel"] = True  # what opening its expander sets
    at.run()
    assert "scenario::save" in [b.key for b in at.button]
    assert "登录后可保存、覆盖和删除情景;下载和上传情景文件无需登录。" in [c.value for c in at.caption]


def test_query_params_restore_a_view_and_note_bad_ones():
    at = open_page(
        "pages/indicators.py",
        {"indicator": "hightech_enterprises", "regions": "sichuan,atlantis", "whatif": "hightech_enterprises:20000::"},
    )
    assert at.selectbox(key="indicator_choice").value == "hightech_enterprises"
    assert at.multiselect(key="region_choice").value == ["sichuan"]
    assert at.text_input(key="whatif_value_hightech_enterprises").value == "20000"
    assert any("regions" in i.value for i in at.info)


def test_pages_in_english():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/indicators.py").run()
    assert at.title[0].value == "Indicator trends and what-if"
    assert trace(figure(at), "Sichuan")


def test_a_decimal_comma_or_half_year_is_refused_with_its_reason_not_read_as_another_number():
    """`2,5` became 25 % with no note; `2024.5` said only 'not a valid number'."""
    at = open_page("pages/indicators.py")
    at.text_input(key="whatif_value_rd_intensity").set_value("2,5").run()
    at.text_input(key="whatif_target_year_rd_intensity").set_value("2024.5").run()
    assert [e.value for e in at.error] == [
        "目标值：小数请用小数点(如 2.5);逗号只用于千位分隔(如 16,000)。",
        "目标年：年份须为整数,如 2027。",
    ]
    at.text_input(key="whatif_growth_pct_rd_intensity").set_value("1e308").run()
    assert "假定年均增速：不是有效数字。" in [e.value for e in at.error]
    assert "whatif" not in at.query_params
    assert not any("情景推演" in i.value for i in at.info)


def test_a_share_link_that_changes_nothing_is_not_a_changed_target_and_a_bad_value_is_noted():
    at = open_page("pages/indicators.py", {"whatif": "rd_intensity:::"})
    assert not any("已修改" in w.value for w in at.warning)
    assert any("whatif" in i.value for i in at.info)
    at = open_page("pages/indicators.py", {"lang": "en", "whatif": "rd_intensity::2024.5:;hightech_enterprises:20000::"})
    assert at.selectbox(key="indicator_choice").value == "hightech_enterprises", "a link without an indicator opens where its edit shows"
    assert at.text_input(key="whatif_value_hightech_enterprises").value == "20000"
    assert "These link parameters were invalid and were ignored: whatif" in [i.value for i in at.info]
    assert "Showing a what-if scenario (1 target(s) changed)." in [w.value for w in at.warning]


def test_a_crafted_link_with_repeated_regions_is_noted_not_drawn_50000_times():
    at = open_page("pages/indicators.py", {"lang": "en", "regions": "sichuan," * 50_000, "indicator": "hightech_enterprises"})
    assert "These link parameters were invalid and were ignored: regions" in [i.value for i in at.info]
    assert len(figure(at)["data"]) < 20
    at = open_page("pages/indicators.py", {"regions": "sichuan,sichuan", "indicator": "hightech_enterprises"})
    assert at.multiselect(key="region_choice").value == ["sichuan"] and not at.info
