"""The parsers of short text a visitor controls: query strings and what-if numbers. Any input gives a value (and notes), never an exception.

Seeded with the links the dashboard itself writes for real views of the bundled plan.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from components import paths
from components.analysis.url_state import (
    ProgressView,
    ViewState,
    decode_progress_view,
    decode_view,
    encode_progress_view,
    encode_view,
    task_number_param,
)
from components.analysis.whatif import ParsedNumber, parse_number
from components.plan.loader import load_plan_text
from components.plan.model import TargetEdit
from components.plan.progress import Side, Stage
from tests.fuzz.mutations import hostile_text

BUDGET = dt.timedelta(seconds=5)
PLAN = load_plan_text(paths.BUNDLED_PLAN.read_bytes()).value
VIEW_SEEDS = encode_view(
    ViewState(
        "rd_intensity_pct",
        ("sichuan", "chongqing"),
        {"rd_intensity": TargetEdit(value=2.8, target_year=2027, growth_pct=0.12), "tech_contract_turnover": TargetEdit(growth_pct=-3.5)},
    )
)
PROGRESS_SEEDS = encode_progress_view(
    ProgressView(
        view="timeline",
        task=3,
        sections=tuple(PLAN.section_by_id)[:2],
        agency=PLAN.agencies[0].id,
        role="lead",
        sites=tuple(PLAN.site_by_id)[:3],
        stages=(Stage.approved, Stage.completed),
        years=(2022, 2024),
        sides=(Side.joint,),
        keyword="科学城",
    )
)


def params(seeds: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """Query parameters: the known keys with damaged or free values, and unknown keys."""
    keys = st.sampled_from(sorted(seeds)) | st.text(max_size=10)
    values = hostile_text(sorted(seeds.values())) | st.sampled_from(sorted(seeds.values()))
    return st.dictionaries(keys, values, max_size=len(seeds) + 2)


@settings(max_examples=200, deadline=BUDGET)
@given(params(VIEW_SEEDS))
def test_view_decoder(query):
    view, ignored = decode_view(query, PLAN)
    assert isinstance(view, ViewState)
    assert set(ignored) <= {"indicator", "regions", "whatif"}


@settings(max_examples=200, deadline=BUDGET)
@given(params(PROGRESS_SEEDS))
def test_progress_view_decoder(query):
    view, ignored = decode_progress_view(query, PLAN)
    assert isinstance(view, ProgressView)
    assert set(ignored) <= set(PROGRESS_SEEDS) | {"section", "year", "side", "q"}


@settings(max_examples=200, deadline=BUDGET)
@given(hostile_text(["3", "27", "0003"]))
def test_task_number(text):
    number = task_number_param(text, PLAN)
    assert number is None or number in {task.number for task in PLAN.tasks}


@settings(max_examples=300, deadline=BUDGET)
@given(hostile_text(["2.8", "1.8万", "２，５００", "-3.5%", "18000", ".5"]))
def test_whatif_number(text):
    parsed = parse_number(text)
    assert isinstance(parsed, ParsedNumber)
    assert (parsed.value is None) != (parsed.problem is None)
