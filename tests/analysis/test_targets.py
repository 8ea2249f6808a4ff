"""The progress maths on constructed cases with exact expected values, and on the bundled plan."""

import pytest

from components.analysis.targets import (
    Point,
    Status,
    TargetSpec,
    assess,
    assess_target,
    compound_rate,
    cumulative_points,
    judge,
    path_value,
    recent_trend,
)
from components.plan.model import Comparator, QuantityKind

SHARE = TargetSpec(value=2.5, target_year=2025, kind=QuantityKind.share, comparator=Comparator.about)
COUNT = TargetSpec(value=16000, target_year=2025, kind=QuantityKind.count, comparator=Comparator.exceed)
CUMULATIVE = TargetSpec(
    value=6000, target_year=2025, kind=QuantityKind.cumulative, comparator=Comparator.cumulative_exceed, window_start=2021
)


def test_compound_rate_exact():
    assert compound_rate(100, 121, 2) == pytest.approx(0.10)
    assert compound_rate(0, 100, 3) is None
    assert compound_rate(-5, 100, 3) is None
    assert compound_rate(100, 121, 0) is None


def test_path_is_linear_for_shares_and_geometric_for_counts():
    assert path_value(Point(2021, 2.0), SHARE, 2023) == pytest.approx(2.25)
    assert path_value(Point(2021, 10000), COUNT, 2023) == pytest.approx(10000 * 1.6**0.5)


def test_cumulative_stops_at_a_missing_year():
    annual = [Point(2021, 1000), Point(2022, 1500), Point(2024, 2000)]
    assert cumulative_points(annual, 2021) == [Point(2021, 1000), Point(2022, 2500)]
    assert cumulative_points(annual, 2023) == []


def test_recent_trend_uses_last_three_points():
    points = [Point(2018, 1.0), Point(2019, 2.0), Point(2020, 2.1), Point(2022, 2.5)]
    assert recent_trend(points, QuantityKind.share) == pytest.approx((2.5 - 2.0) / 3)
    assert recent_trend([Point(2020, 1.0)], QuantityKind.share) is None
    assert recent_trend([Point(2020, 100), Point(2022, 121)], QuantityKind.count) == pytest.approx(0.10)


@pytest.mark.parametrize(
    ("made", "expected", "met", "year", "status"),
    [
        (0.0, 0.0, True, 2023, Status.achieved_early),
        (0.0, 0.0, True, 2025, Status.achieved),
        (1.2, 1.0, False, 2023, Status.ahead),
        (1.1, 1.0, False, 2023, Status.ahead),
        (1.05, 1.0, False, 2023, Status.on_track),
        (0.9, 1.0, False, 2023, Status.on_track),
        (0.89, 1.0, False, 2023, Status.behind),
        (-0.5, 1.0, False, 2023, Status.behind),
        (None, None, False, 2021, Status.no_data),
        (None, None, False, None, Status.no_data),
    ],
)
def test_status_rule(made, expected, met, year, status):
    assert judge(made, expected, met, year, 2025) is status


def test_share_behind_with_exact_numbers():
    points = [Point(2020, 2.17), Point(2021, 2.26), Point(2022, 2.14)]
    result = assess(points, SHARE, 2021)
    assert result.baseline == Point(2021, 2.26)
    assert result.latest == Point(2022, 2.14)
    assert result.expected_now == pytest.approx(2.32)
    assert result.required_change == pytest.approx(0.12)
    assert result.trend == pytest.approx(-0.015)
    assert result.projected == pytest.approx(2.095)
    assert result.year_reached is None
    assert result.status is Status.behind


def test_target_already_met_reports_first_year_met():
    points = [Point(2021, 10200), Point(2022, 14500), Point(2023, 16900), Point(2024, 18000)]
    result = assess(points, COUNT, 2021)
    assert result.status is Status.achieved_early
    assert result.year_reached == 2023


def test_exceed_means_strictly_above():
    result = assess([Point(2021, 10000), Point(2024, 16000)], COUNT, 2021)
    assert result.status is not Status.achieved_early


def test_one_data_point_has_no_trend_and_no_status():
    result = assess([Point(2019, 58.0)], TargetSpec(63, 2025, QuantityKind.share, Comparator.reach), 2021)
    assert result.trend is None and result.projected is None
    assert result.status is Status.no_data


def test_no_data_at_all():
    result = assess([], SHARE, 2021)
    assert result.latest is None and result.status is Status.no_data


def test_zero_baseline_count_has_no_compound_rate():
    result = assess([Point(2021, 0), Point(2022, 0)], COUNT, 2021)
    assert result.trend is None
    assert result.required_change is None


def test_cumulative_exact():
    annual = [Point(2020, 1249.3), Point(2021, 1396.7), Point(2022, 1649.7), Point(2023, 1951.6)]
    result = assess(annual, CUMULATIVE, 2021)
    assert result.latest == Point(2023, 4998.0)
    assert result.expected_now == pytest.approx(3600.0)
    assert result.progress_share == pytest.approx(0.833)
    assert result.required_change == pytest.approx(501.0)
    assert result.status is Status.ahead
    assert result.year_reached == 2024


def test_assumed_growth_replaces_the_trend():
    points = [Point(2021, 2.26), Point(2022, 2.14)]
    result = assess(points, SHARE, 2021, assumed_change=0.2)
    assert result.projected == pytest.approx(2.74)
    assert result.year_reached == 2024


def test_bundled_plan_statuses(plan):
    statuses = {t.id: assess_target(plan, t).status for t in plan.targets}
    assert statuses == {
        "rd_intensity": Status.behind,
        "tech_progress_contribution": Status.no_data,
        "hv_invention_patents": Status.no_data,
        "hightech_revenue_share": Status.no_data,
        "hightech_enterprises": Status.achieved_early,
        "tech_contract_turnover": Status.achieved_early,  # 2021–2024 sum 7605.3 with the derived 2022 and 2024
    }


def test_the_trend_leaves_out_a_preliminary_latest_year():
    points = [Point(2020, 2.0), Point(2021, 2.1), Point(2022, 2.3), Point(2023, 2.9, provisional=True)]
    result = assess(points, SHARE, 2021)
    assert result.latest == Point(2023, 2.9, provisional=True)  # still the latest value, judged and charted
    assert result.trend == pytest.approx(0.15)  # (2.3 − 2.0) / 2 over the final years only
    assert (result.trend_years, result.left_out) == ((2020, 2021, 2022), (2023,))
    assert result.projected == pytest.approx(2.9 + 2 * 0.15)
    assert result.status is Status.achieved_early


def test_an_old_provisional_value_is_not_reported_as_left_out():
    points = [Point(2015, 1.0, provisional=True), Point(2020, 2.0), Point(2021, 2.1), Point(2022, 2.3)]
    result = assess(points, SHARE, 2021)
    assert (result.trend_years, result.left_out) == ((2020, 2021, 2022), ())


def test_cumulative_trend_uses_the_final_annual_amounts():
    annual = [Point(2021, 1000), Point(2022, 1100), Point(2023, 1210), Point(2024, 2000, provisional=True)]
    result = assess(annual, CUMULATIVE, 2021)
    assert result.latest == Point(2024, 5310.0)
    assert result.trend == pytest.approx(0.10)
    assert (result.trend_years, result.left_out) == ((2021, 2022, 2023), (2024,))


def test_bundled_plan_trend_basis(plan):
    by_id = {t.id: assess_target(plan, t) for t in plan.targets}
    assert (by_id["rd_intensity"].trend_years, by_id["rd_intensity"].left_out) == ((2020, 2021, 2022), ())
    progress = by_id["tech_progress_contribution"]
    assert (progress.trend, progress.trend_years, progress.left_out) == (None, (), (2017, 2019))
    assert progress.latest == Point(2019, 58.0, provisional=True)
    assert by_id["tech_contract_turnover"].trend_years == (2022, 2023, 2024)
