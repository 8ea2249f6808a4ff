"""Every YAML reader, fed damaged copies of the real files and free-form bytes: it returns a value or problems, never raises.

The readers are the plan loader, the progress-log loader, the scenario reader and the briefing reader.
Each example must also finish within Hypothesis's deadline: a generous per-example budget (ordinary
examples take milliseconds to a few tenths of a second), so an input that makes a reader crawl fails here.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings

from components import paths
from components.figures.registry import CHARTS
from components.plan.briefing_file import load_briefing_text
from components.plan.loader import Problem, Validated, load_plan_text
from components.plan.model import TargetEdit
from components.plan.progress import load_progress_text
from components.plan.scenarios import make_scenario, parse, to_yaml_bytes
from tests.fuzz.mutations import inputs

BUDGET = dt.timedelta(seconds=10)
PLAN = paths.BUNDLED_PLAN.read_bytes()
PROGRESS = paths.PROGRESS_LOG.read_bytes()
BRIEFING = (paths.DATA / "briefings" / "default.yaml").read_bytes()
PROGRESS_FIXTURE = (paths.ROOT / "tests" / "exports" / "progress_fixture.yaml").read_bytes()
BUNDLED = load_plan_text(PLAN).value  # not the `plan` fixture: Hypothesis would print the whole plan with each failure


def _head(raw: bytes, lines: int) -> bytes:
    """The file's first lines: a shorter seed, so mutations reach the middle of a document often too."""
    return b"\n".join(raw.split(b"\n")[:lines])


def answered(result: Validated) -> None:
    """A value and no problems, or no value and at least one problem, each a readable `Problem`."""
    assert isinstance(result, Validated)
    assert (result.value is None) == bool(result.problems)
    assert all(isinstance(problem, Problem) and str(problem) for problem in result.problems)


@settings(max_examples=100, deadline=BUDGET)
@given(inputs([PLAN, _head(PLAN, 400), _head(PLAN, 60)]))
def test_plan_loader(raw):
    answered(load_plan_text(raw, "plan.yaml"))


@settings(max_examples=100, deadline=BUDGET)
@given(inputs([PROGRESS, _head(PROGRESS, 300), PROGRESS_FIXTURE]))
def test_progress_loader(raw):
    answered(load_progress_text(raw, "progress.yaml", BUNDLED))


def _scenario_seed() -> bytes:
    """A scenario as the panel saves it, on the bundled plan."""
    edits = {
        "rd_intensity": TargetEdit(value=2.8, growth_pct=0.12),
        "hightech_enterprises": TargetEdit(value=18000, target_year=2027),
        "tech_contract_turnover": TargetEdit(growth_pct=-3.5),
    }
    return to_yaml_bytes(make_scenario("高目标 A", BUNDLED, edits, saved_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)))


@settings(max_examples=200, deadline=BUDGET)
@given(inputs([_scenario_seed()]))
def test_scenario_reader(data):
    answered(parse(data, "scenario.yaml", BUNDLED))
    answered(parse(data, "scenario.yaml", None))


@settings(max_examples=200, deadline=BUDGET)
@given(inputs([BRIEFING]))
def test_briefing_reader(data):
    answered(load_briefing_text(data, "briefing.yaml", CHARTS))
