"""The benchmark's report: each plan is judged against its own goals."""

import argparse
from pathlib import Path

from scripts.benchmark import PageResult, PlanResult, report


def test_each_plan_gets_its_own_what_if_goal():
    bundled = PlanResult("Bundled plan", None, 1024, "27 tasks", whatif=[0.4], whatif_page="pages/indicators.py")
    large = PlanResult("Synthetic plan", Path("plan-100x.yaml"), 2048, "2,700 tasks", whatif=[0.4], whatif_page="pages/indicators.py")
    args = argparse.Namespace(runs=1, nav_runs=1, factor=100, entries=10_000, reports=10_000, skip_browser=False)
    text = report([bundled, large], PageResult("floor"), (0, 0), None, args, 0.0)
    lines = [line for line in text.splitlines() if line.startswith("What-if edit")]
    assert lines == [
        "What-if edit → updated chart (`pages/indicators.py`): 400 ms (goal ≤300 ms: **MISS**).",
        "What-if edit → updated chart (`pages/indicators.py`): 400 ms (goal ≤500 ms: ok).",
    ]


def test_a_page_without_charts_is_judged_on_its_navigation_time():
    page = PageResult("pages/review.py", charts=0, first=[0.1], rerun=[0.05], nav=[3.0])
    plan = PlanResult("Synthetic plan", Path("plan-100x.yaml"), 2048, "2,700 tasks", pages={"pages/review.py": page})
    args = argparse.Namespace(runs=1, nav_runs=1, factor=100, entries=10_000, reports=10_000, skip_browser=True)
    row = next(line for line in report([plan], PageResult("floor"), (0, 0), None, args, 0.0).splitlines() if "review" in line)
    assert row == "| `pages/review.py` | 0 | 100 ms | 50 ms | — | ok | 3,000 ms | — | **MISS** |"
