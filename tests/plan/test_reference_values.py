"""Every value of the 2026-12 search is in data/plan.yaml with its true status, and each listed discrepancy is decided.

The reference is the project's copy, data/sources/reference-indicator-values-2026-12.csv (its README section is
appended to data/sources/reference-README.md). Each row is matched to exactly one observation by indicator,
region, year and value; the observation's quote must be the row's quote (without the compiler's trailing
note, e.g. the arithmetic "（推算：…）"), its flags and charted state are asserted exactly.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from components import paths
from components.analysis.targets import charted_points
from components.plan.model import Flag

REFERENCE = paths.ROOT / "data" / "sources" / "reference-indicator-values-2026-12.csv"
INDICATOR = {"st_progress_contribution_pct": "tech_progress_contribution_pct", "high_value_patents_per_10k": "hv_invention_patents_per_10k"}
REGION = {"china": "national"}
NOTE = re.compile(r"\s*[（(](推算|注|原文如此|标题)[：:].*[）)]\s*$")  # the compiler's note at the end of a quote

# (indicator, region, year, value) → (flags, charted): the 33 rows as the plan holds them.
EXPECTED = {
    ("hightech_enterprises", "sichuan", 2025, 19000.0): (("snapshot", "secondary"), False),
    ("tech_contract_turnover_100m_yuan", "sichuan", 2016, 304.0): ((), True),
    ("tech_progress_contribution_pct", "sichuan", 2017, 50.0): (("lower_bound",), True),
    ("rd_expenditure_100m_yuan", "sichuan", 2019, 830.0): (("preliminary", "lower_bound"), False),
    ("rd_expenditure_100m_yuan", "sichuan", 2019, 870.7): (("derived",), True),
    ("tech_progress_contribution_pct", "sichuan", 2018, 56.0): (("derived",), True),
    ("tech_contract_turnover_100m_yuan", "sichuan", 2024, 2607.3): (("derived",), True),
    ("tech_contract_turnover_100m_yuan", "chongqing", 2024, 974.24): ((), True),
    ("hightech_enterprises", "chongqing", 2025, 9123.0): (("snapshot", "secondary"), False),
    ("rd_expenditure_100m_yuan", "chongqing", 2023, 750.0): (("preliminary",), True),
    ("rd_intensity_pct", "chongqing", 2023, 2.45): (("preliminary",), True),
    ("hightech_enterprises", "chongqing", 2018, 2500.0): (("lower_bound",), True),
    ("hightech_enterprises", "chongqing", 2021, 5108.0): ((), True),
    ("hightech_enterprises", "chongqing", 2023, 6401.0): (("snapshot",), False),
    ("hightech_enterprises", "chongqing", 2020, 4344.0): (("derived", "secondary"), True),
    ("rd_intensity_pct", "national", 2025, 2.8): (("preliminary",), True),
    ("rd_expenditure_100m_yuan", "national", 2025, 39000.0): (("preliminary",), True),
    ("rd_intensity_pct", "national", 2020, 2.36): (("secondary",), False),
    ("rd_intensity_pct", "national", 2024, 2.68): (("preliminary",), False),
    ("hightech_enterprises", "national", 2025, 500000.0): (("snapshot", "lower_bound"), False),
    ("hightech_enterprises", "national", 2024, 463000.0): (("year_inferred",), True),
    ("tech_contract_turnover_100m_yuan", "national", 2024, 68000.0): (("lower_bound", "year_inferred"), True),
    ("tech_contract_turnover_100m_yuan", "national", 2019, 22398.4): ((), True),
    ("tech_contract_turnover_100m_yuan", "national", 2021, 37294.3): ((), True),
    ("hv_invention_patents_per_10k", "national", 2022, 9.4): ((), True),
    ("hv_invention_patents_per_10k", "national", 2025, 15.3): (("snapshot",), False),
    ("rd_intensity_pct", "national", 2022, 2.55): (("preliminary",), False),
    ("hv_invention_patents_per_10k", "national", 2021, 7.5): (("derived",), True),
    ("hv_invention_patents_per_10k", "national", 2020, 6.3): (("derived",), True),
    ("tech_contract_turnover_100m_yuan", "national", 2018, 17692.3): (("derived",), True),
    ("tech_contract_turnover_100m_yuan", "national", 2023, 61151.0): (("derived", "lower_bound"), True),
    ("hightech_enterprises", "national", 2020, 273224.0): (("derived", "lower_bound"), True),
    ("rd_intensity_pct", "chongqing", 2015, 1.55): (("derived",), True),
}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with open(REFERENCE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def key(row: dict) -> tuple[str, str, int, float]:
    return (
        INDICATOR.get(row["indicator"], row["indicator"]),
        REGION.get(row["region"], row["region"]),
        int(row["year"]),
        float(row["value"]),
    )


def matching(plan, indicator, region, year, value):
    return [o for o in plan.observations if (o.indicator, o.region, o.year, o.value) == (indicator, region, year, value)]


def test_the_reference_copy_is_the_33_rows_the_readme_describes(rows):
    assert len(rows) == 33
    assert Counter(row["status"] for row in rows) == {"official": 11, "preliminary": 12, "derived": 10}
    assert {key(row) for row in rows} == set(EXPECTED)


def test_every_row_is_one_observation_with_its_quote_status_and_charting(plan, rows):
    for row in rows:
        found = matching(plan, *key(row))
        assert len(found) == 1, key(row)
        obs = found[0]
        assert obs.quote in NOTE.sub("", row["quote"]).replace('""', '"'), key(row)
        flags, charted = EXPECTED[key(row)]
        assert (tuple(f.value for f in obs.flags), obs.charted) == (flags, charted), key(row)
        status = {Flag(f) for f in flags}
        if row["status"] == "derived":
            assert Flag.derived in status and obs.derivation, key(row)
        elif row["status"] == "preliminary":
            assert status & {Flag.preliminary, Flag.snapshot}, key(row)  # a mid-year count is a snapshot, never a year-end value
        else:
            assert not status & {Flag.preliminary, Flag.snapshot, Flag.derived}, key(row)
        source = plan.source_by_id[obs.source]
        if row["read_at_url"].startswith("http"):
            assert source.read_at == row["read_at_url"], key(row)
        else:  # the stored copy without an address says so
            assert source.read_at is None and "did not return" in source.note


def test_snapshots_say_their_date_and_stay_off_the_charts(plan):
    snapshots = {(o.indicator, o.region, o.year): (o.as_of, o.charted) for o in plan.observations if Flag.snapshot in o.flags}
    assert snapshots == {
        ("hightech_enterprises", "sichuan", 2022): ("2022-12", False),
        ("hightech_enterprises", "sichuan", 2025): ("2025-09", False),
        ("hightech_enterprises", "chongqing", 2023): ("2023-07", False),
        ("hightech_enterprises", "chongqing", 2025): ("2025-10", False),
        ("hightech_enterprises", "national", 2025): ("2025-09", False),
        ("hv_invention_patents_per_10k", "national", 2025): ("2025-06", False),
    }


def test_added_observations_by_status(plan):
    """75 before the search; 32 added (the 33rd row confirmed an existing value): 10 official, 12 preliminary or snapshot, 10 derived."""
    assert len(plan.observations) == 107
    added = [v for v in EXPECTED.items() if v[0] != ("tech_contract_turnover_100m_yuan", "national", 2021, 37294.3)]
    assert len(added) == 32
    snapshot = sum(1 for _, (flags, _) in added if "snapshot" in flags)
    preliminary = sum(1 for _, (flags, _) in added if "preliminary" in flags and "snapshot" not in flags)
    derived = sum(1 for _, (flags, _) in added if "derived" in flags)
    assert (32 - snapshot - preliminary - derived, preliminary, snapshot, derived) == (10, 7, 5, 10)
    assert sum(1 for _, (_, charted) in added if charted) == 23


# The seven points of "Differences from data/plan.yaml": (indicator, region, year) → (charted value, values kept uncharted).
DISCREPANCIES = {
    1: ("rd_intensity_pct", "national", 2020, 2.4, {2.36}),
    2: ("hightech_enterprises", "chongqing", 2021, 5108.0, {5109.0}),
    3: ("tech_contract_turnover_100m_yuan", "sichuan", 2016, 304.0, {299.0}),
    "4a": ("rd_intensity_pct", "national", 2024, 2.69, {2.68}),
    "4b": ("rd_intensity_pct", "national", 2022, 2.54, {2.55, 2.56}),
    5: ("rd_expenditure_100m_yuan", "chongqing", 2024, 797.3, set()),
    6: ("tech_progress_contribution_pct", "chongqing", 2020, 58.6, set()),
    7: ("tech_contract_turnover_100m_yuan", "national", 2021, 37294.3, set()),
}


@pytest.mark.parametrize("point", list(DISCREPANCIES))
def test_each_listed_discrepancy_is_decided_next_to_its_values(plan, point):
    indicator, region, year, charted_value, uncharted = DISCREPANCIES[point]
    values = [o for o in plan.observations if (o.indicator, o.region, o.year) == (indicator, region, year)]
    assert {o.value for o in values if o.charted} == {charted_value}
    assert {o.value for o in values if not o.charted} == uncharted
    assert all(o.decision is not None for o in values)  # the charted value says why too
    assert next(p.value for p in charted_points(plan.observations, indicator, region) if p.year == year) == charted_value


def test_the_decisions_give_their_reasons(plan):
    def decision(indicator, region, year, value):
        return next(o.decision for o in plan.observations if (o.indicator, o.region, o.year, o.value) == (indicator, region, year, value))

    assert "first published" in decision("rd_intensity_pct", "national", 2020, 2.4).en
    assert "首次公布" in decision("hightech_enterprises", "chongqing", 2021, 5108.0).zh
    assert "kjt.sc.gov.cn" in decision("tech_contract_turnover_100m_yuan", "sichuan", 2016, 304.0).en
    assert "preliminary" in decision("rd_intensity_pct", "national", 2024, 2.68).en
    assert "without a year" in decision("rd_expenditure_100m_yuan", "chongqing", 2024, 797.3).en
    assert "no year" in decision("tech_progress_contribution_pct", "chongqing", 2020, 58.6).en
    confirmed = next(
        o for o in plan.observations if (o.indicator, o.region, o.year) == ("tech_contract_turnover_100m_yuan", "national", 2021)
    )
    assert (confirmed.source, confirmed.flags) == ("jstv_contracts_2022_02", [])
    assert "《科技中国》" in confirmed.decision.en


def test_every_uncharted_value_says_why(plan):
    uncharted = [o for o in plan.observations if not o.charted]
    assert len(uncharted) == 15  # 5 before the search, 9 of its rows, and the 5109 that 5108 replaced
    assert all(o.decision is not None and o.decision.zh and o.decision.en for o in uncharted)


def test_the_first_reference_file_is_in_the_plan_too(plan):
    """The 62 rows of reference-indicator-values.csv (regions in Chinese there) are all observations: nothing was lost."""
    region = {"四川": "sichuan", "重庆": "chongqing", "全国": "national"}
    with open(paths.ROOT / "data" / "sources" / "reference-indicator-values.csv", encoding="utf-8", newline="") as f:
        first = list(csv.DictReader(f))
    assert len(first) == 62
    for row in first:
        assert matching(plan, row["indicator"], region[row["region"]], int(row["year"]), float(row["value"])), row
