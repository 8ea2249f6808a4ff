"""What-if edits: parsing, refusals, the side-by-side table and the shareable URL state."""

import pytest

from components.analysis.url_state import ViewState, decode_view, encode_view, task_number_param
from components.analysis.whatif import (
    assess_with_edit,
    check_edit,
    comparison_table,
    parse_number,
    parse_year,
    target_year_range,
    usable_edits,
)
from components.plan.scenarios import TargetEdit


def target(plan, target_id):
    return next(t for t in plan.targets if t.id == target_id)


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("2.6", 2.6, None),
        ("２.６", 2.6, None),
        ("16,000", 16000, None),
        ("1.6万", 16000, None),
        ("38%", 38, None),
        ("", None, "whatif.err.empty"),
        ("   ", None, "whatif.err.empty"),
        ("abc", None, "whatif.err.not_number"),
        ("1e400", None, "whatif.err.not_number"),
        ("nan", None, "whatif.err.not_number"),
        ("--3", None, "whatif.err.not_number"),
        ("2,5", None, "whatif.err.decimal_comma"),  # was read as 25 with no note
        ("２，５", None, "whatif.err.decimal_comma"),
        ("2,50", None, "whatif.err.decimal_comma"),
        (",5", None, "whatif.err.decimal_comma"),
        ("1,6000", None, "whatif.err.decimal_comma"),
        ("1,,600", None, "whatif.err.not_number"),
        ("1,234,567.5", 1234567.5, None),
        ("１６，０００", 16000, None),
        ("－３", -3, None),
        ("1e308", None, "whatif.err.not_number"),
        ("NaN", None, "whatif.err.not_number"),
        ("inf", None, "whatif.err.not_number"),
        ("-Infinity", None, "whatif.err.not_number"),
        ("1_000", None, "whatif.err.not_number"),
        ("²", None, "whatif.err.not_number"),  # NFKC made these 2 and 1
        ("①", None, "whatif.err.not_number"),
        ("٣", None, "whatif.err.not_number"),
        ("9" * 5000, None, "whatif.err.not_number"),
    ],
    ids=lambda value: repr(value)[:20],
)
def test_parse_number(text, value, problem):
    parsed = parse_number(text)
    assert (parsed.value, parsed.problem) == (value, problem)


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("2027", 2027, None),
        ("２０２７", 2027, None),
        (" 2027 ", 2027, None),
        ("2024.5", None, "whatif.err.year_whole"),
        ("2024.", None, "whatif.err.year_whole"),
        ("2,024", None, "whatif.err.not_number"),
        ("1e3", None, "whatif.err.not_number"),
        ("NaN", None, "whatif.err.not_number"),
        ("２０２⁵", None, "whatif.err.not_number"),
        ("9" * 5000, None, "whatif.err.not_number"),
        ("", None, "whatif.err.empty"),
    ],
    ids=lambda value: repr(value)[:20],
)
def test_parse_year(text, value, problem):
    parsed = parse_year(text)
    assert (parsed.value, parsed.problem) == (value, problem)


def no_data(plan, target_id):
    """The plan with every observation of one target's indicator removed: a target without data."""
    indicator = target(plan, target_id).indicator
    return plan.model_copy(update={"observations": [o for o in plan.observations if o.indicator != indicator]})


@pytest.mark.parametrize(
    ("year", "key"),
    [
        (5, "whatif.err.year_before_plan"),
        (1900, "whatif.err.year_before_plan"),
        (-99999, "whatif.err.year_before_plan"),
        (2021, "whatif.err.year_before_plan"),
        (2051, "whatif.err.year_too_late"),
        (10**9, "whatif.err.year_too_late"),
    ],
)
def test_a_target_without_data_still_bounds_its_year_by_the_plans_years(plan, year, key):
    """Without data there is no last actual year: any year was accepted, the chart drew 1,001 ticks and the scenario could not be read back."""
    bare = no_data(plan, "rd_intensity")
    assert target_year_range(bare) == (2022, 2050)
    assert [p.key for p in check_edit(bare, target(bare, "rd_intensity"), TargetEdit.model_construct(target_year=year))] == [key]


@pytest.mark.parametrize("year", [2022, 2030, 2050])
def test_a_target_without_data_takes_a_year_in_range_and_it_saves(plan, year):
    from components.plan.scenarios import make_scenario, parse, to_yaml_bytes

    bare = no_data(plan, "rd_intensity")
    edit = TargetEdit(target_year=year)
    assert check_edit(bare, target(bare, "rd_intensity"), edit) == []
    scenario = make_scenario("情景", bare, {"rd_intensity": edit})
    assert parse(to_yaml_bytes(scenario), "s.yaml", bare).value.edits == {"rd_intensity": edit}


@pytest.mark.parametrize(
    ("target_id", "edit", "key"),
    [
        ("rd_intensity", TargetEdit(value=-1), "whatif.err.negative"),
        ("rd_intensity", TargetEdit(value=0), "whatif.err.zero"),
        ("hightech_revenue_share", TargetEdit(value=120), "whatif.err.share_over_100"),
        ("hightech_enterprises", TargetEdit(value=1e9), "whatif.err.absurd"),
        ("rd_intensity", TargetEdit(target_year=2020), "whatif.err.year_before_actual"),
        ("hightech_enterprises", TargetEdit(target_year=2023), "whatif.err.year_before_actual"),
        ("rd_intensity", TargetEdit(target_year=2090), "whatif.err.year_too_late"),
        ("hightech_enterprises", TargetEdit(growth_pct=-150), "whatif.err.growth_absurd"),
        ("rd_intensity", TargetEdit(growth_pct=35), "whatif.err.growth_absurd"),
    ],
)
def test_impossible_edits_are_refused(plan, target_id, edit, key):
    assert [p.key for p in check_edit(plan, target(plan, target_id), edit)] == [key]


def test_valid_edit_changes_required_growth(plan):
    rd = target(plan, "rd_intensity")
    assert check_edit(plan, rd, TargetEdit(value=2.6, target_year=2027)) == []
    edited = assess_with_edit(plan, rd, TargetEdit(value=2.6, target_year=2027))
    assert edited.required_change == pytest.approx((2.6 - 2.14) / 5)
    official = assess_with_edit(plan, rd, None)
    assert official.required_change == pytest.approx((2.5 - 2.14) / 3)


def test_usable_edits_drop_invalid_and_unknown(plan):
    edits = {"rd_intensity": TargetEdit(value=2.6), "nope": TargetEdit(value=1), "hightech_revenue_share": TargetEdit(value=300)}
    assert usable_edits(plan, edits) == {"rd_intensity": TargetEdit(value=2.6)}


def test_comparison_table_side_by_side(plan):
    table = comparison_table(plan, {"方案": {}, "情景": {"hightech_enterprises": TargetEdit(value=20000)}}, "zh")
    rows = table[table["目标"] == "高新技术企业数量"].set_index("方案/情景")
    assert rows.loc["方案", "目标值(年份)"] == "16,000 (2025)"
    assert rows.loc["情景", "目标值(年份)"] == "20,000 (2025)"
    assert rows.loc["方案", "状态"] == "提前完成"
    assert rows.loc["方案", "所需年均变化"] == "已达到"
    assert rows.loc["情景", "状态"] == "快于预期"
    assert rows.loc["情景", "所需年均变化"] == "+11.1%/年"
    contracts = table[table["目标"] == "技术合同成交额(累计)"].set_index("方案/情景")
    assert contracts.loc["方案", "所需年均变化"] == "已达到"
    assert contracts.loc["方案", "近期趋势"] == "+25.7%/年"  # 2022–2024 annual amounts: (2607.3 / 1649.7) ** 0.5 - 1
    assert contracts.loc["方案", "趋势依据"] == "2022—2024 年"


def test_the_trend_says_which_years_it_uses_and_leaves_out_provisional_ones(plan):
    """科技进步贡献率: 2017 is a lower bound (超过50%), 2019 preliminary, so only 2018 is usable: no trend, said in words."""
    table = comparison_table(plan, {"Plan": {}, "Scenario": {"tech_progress_contribution": TargetEdit(growth_pct=1.0)}}, "en")
    rows = table[table["Target"] == "Contribution of S&T progress"].set_index("Plan / scenario")
    assert rows.loc["Plan", "Recent trend"] == "—"
    assert rows.loc["Plan", "Trend based on"] == "fewer than two usable years: no trend; left out: 2017 (lower bound), 2019 (preliminary)"
    assert rows.loc["Scenario", "Trend based on"] == "the scenario's assumed growth"
    assert rows.loc["Scenario", "Recent trend"] == "+1.00 points a year"
    intensity = table[table["Target"] == "R&D intensity"].set_index("Plan / scenario")
    assert intensity.loc["Plan", "Trend based on"] == "2020–2022"


def test_url_state_round_trip(plan):
    view = ViewState(
        "hightech_enterprises", ("sichuan", "chongqing"), {"rd_intensity": TargetEdit(value=2.6, target_year=2027, growth_pct=0.1)}
    )
    params = encode_view(view)
    assert params == {"indicator": "hightech_enterprises", "regions": "sichuan,chongqing", "whatif": "rd_intensity:2.6:2027:0.1"}
    assert decode_view(params, plan) == (view, [])


def test_url_state_ignores_bad_values_with_a_note(plan):
    params = {"indicator": "bogus", "regions": "sichuan,mars", "whatif": "rd_intensity:-4::;hightech_enterprises:20000::;x:y"}
    view, ignored = decode_view(params, plan)
    assert view.indicator is None
    assert view.regions == ("sichuan",)
    assert view.edits == {"hightech_enterprises": TargetEdit(value=20000)}
    assert ignored == ["indicator", "regions", "whatif"]


@pytest.mark.parametrize(
    "whatif",
    [
        "rd_intensity:::",  # changes nothing: was counted as one changed target
        "rd_intensity:nan::",
        "rd_intensity:1_0::",
        "rd_intensity:٣::",
        "rd_intensity: 3::",
        "rd_intensity::2024.5:",
        "rd_intensity::２０２７:",
        "rd_intensity::5:",
        "rd_intensity::1e3:",
        "rd_intensity:1e308::",
        "rd_intensity:::inf",
        "rd_intensity:2,5::",
    ],
)
def test_a_share_link_that_changes_nothing_or_holds_a_bad_value_says_so(plan, whatif):
    view, ignored = decode_view({"whatif": whatif}, plan)
    assert view.edits == {}
    assert ignored == ["whatif"]


def test_a_share_link_with_an_exponent_as_encoded_reads_back(plan):
    edits = {"hightech_enterprises": TargetEdit(value=1_000_000), "rd_intensity": TargetEdit(value=2.6, target_year=2027)}
    params = encode_view(ViewState(edits=edits))
    assert params["whatif"] == "hightech_enterprises:1e+06::;rd_intensity:2.6:2027:"
    assert decode_view(params, plan) == (ViewState(edits=edits), [])


@pytest.mark.parametrize("text", ["²", "①", "٣", "5" * 5000, "-3", "3.0", " 3", "", None, "28", "0"])
def test_a_task_link_that_names_no_task_of_the_plan_opens_none(plan, text):
    """`str.isdigit()` accepts ² and ① and `int()` then raised: the tasks page crashed on such a link."""
    assert task_number_param(text, plan) is None


def test_a_task_link_names_its_task(plan):
    assert task_number_param("5", plan) == 5
    assert task_number_param("27", plan) == 27


def test_huge_link_values_are_ignored_with_a_note(plan):
    from components.analysis.url_state import decode_progress_view

    huge = "x" * 200_000
    view, ignored = decode_view({"indicator": huge, "regions": "sichuan," * 50_000, "whatif": huge}, plan)
    assert view == ViewState() and ignored == ["indicator", "regions", "whatif"]
    assert decode_view({"regions": "sichuan,sichuan,chongqing"}, plan) == (ViewState(regions=("sichuan", "chongqing")), [])
    params = {key: huge for key in ("view", "task", "section", "agency", "role", "site", "stage", "year", "side", "q")}
    progress, ignored = decode_progress_view(params, plan)
    assert ignored == sorted(params) and progress.view == "matrix" and progress.keyword == ""
