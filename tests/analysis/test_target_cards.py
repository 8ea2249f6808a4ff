"""A target card says in words what kind of number its latest value is: preliminary, a mid-year count, derived."""

from components.analysis.target_cards import card_for, latest_data_year
from components.plan.model import Flag, Observation


def card(plan, target_id, lang="zh"):
    return card_for(plan, next(t for t in plan.targets if t.id == target_id), lang)


def test_a_preliminary_latest_value_is_said_in_words(plan):
    progress = card(plan, "tech_progress_contribution")
    assert progress.latest == "最新实际值:58.0 %(2019 年)"
    assert progress.caveats == ("注意:2019 年数值为初步/预计数,终值公布后可能改变。",)
    assert card(plan, "tech_progress_contribution", "en").caveats == ("Note: the 2019 figure is preliminary; the final figure may differ.",)
    assert card(plan, "rd_intensity").caveats == ()  # 2022 comes from the year's own bulletin


def test_a_cumulative_total_names_its_derived_years(plan):
    contracts = card(plan, "tech_contract_turnover")
    assert contracts.latest == "累计至 2024 年:7,605.3 亿元"
    assert contracts.caveats == (
        "累计值中 2022、2024 年为推算值。",
        "2024 年:报告未说明“技术合同增长33.6%”指成交额还是合同数;若指合同数,此推算不成立。",
    )
    assert card(plan, "tech_contract_turnover", "en").caveats[0] == "In the cumulative total, 2022, 2024: derived."


def test_a_newer_mid_year_count_is_shown_for_what_it_is_but_not_charted(plan):
    enterprises = card(plan, "hightech_enterprises")
    assert enterprises.latest == "最新实际值:18,000 家(2024 年)"
    assert enterprises.newer == "更新的数字(未入图):2025 年 19,000 家(截至 2025-09 的时点数、二手来源)。"
    assert card(plan, "hightech_enterprises", "en").newer == (
        "A newer figure, not charted: 19,000 enterprises for 2025 (a count as of 2025-09, secondary source)."
    )
    assert card(plan, "rd_intensity").newer == ""
    assert latest_data_year(plan) == 2024  # the uncharted 2025 count does not make the data run to 2025


def test_a_snapshot_charted_as_the_latest_value_says_its_date(plan):
    """A plan that charts a mid-year count (the bundled one does not): the card gives the date it counts at."""
    snapshot = Observation(
        indicator="hightech_enterprises",
        region="sichuan",
        year=2025,
        value=19000,
        source="reportify_sc_hightech_2025",
        quote="增长至1.9万家",
        flags=[Flag.snapshot, Flag.secondary],
        as_of="2025-09",
    )
    others = [o for o in plan.observations if not (o.indicator == "hightech_enterprises" and o.region == "sichuan" and o.year == 2025)]
    edited = plan.model_copy(update={"observations": [*others, snapshot]})
    result = card(edited, "hightech_enterprises")
    assert result.latest == "最新实际值:19,000 家(2025 年)"
    assert result.caveats == ("注意:2025 年数值是 2025-09 的时点数,不是年末数。", "2025 年数值读自二手来源,待官方来源核对。")
    assert result.newer == ""
