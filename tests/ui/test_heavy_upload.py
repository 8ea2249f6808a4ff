"""A heavy upload does not hold up other visitors: a light page keeps answering while another thread loads, checks and
draws the worst plans the limits allow (one 5,000-site parent chain; 500-character names on as many sites as fit in 8 MB).

The bound is measured on the same machine: five times the page's time alone, plus the slowest of the two uploads
alone, plus 1 s. A rerun may wait for one upload's steps that hold the interpreter (pydantic checks a plan in one
call), but not for more: the test fails when an upload monopolises the server, not when the machine is slow. A
fixed 2 s allowance failed once when the shared VM ran slower (a 2.32 s rerun).
"""

from __future__ import annotations

import statistics
import threading
import time

import yaml
from streamlit.testing.v1 import AppTest

from components.figures.site_tree import hierarchy_tree_figure
from components.plan.loader import MAX_BYTES, load_plan_text
from components.plan.model import LIMITS, MAX_NAME
from scripts.synthetic_plan import chained_sites_plan
from tests.ui.apptest import APP


def dump(data: dict) -> bytes:
    """As `synthetic_plan.dump` writes it, through libyaml: the pure-Python writer takes 7 s for these two."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000).encode("utf-8")


def worst_plans() -> list[bytes]:
    plans = [dump(chained_sites_plan()), dump(chained_sites_plan(2_800, MAX_NAME))]
    assert all(len(raw) <= MAX_BYTES for raw in plans)
    return plans


def upload_all(plans: list[bytes], loaded: list[int]) -> None:
    """What an upload of each costs the server: the plan read and checked, then its site tree drawn for the layout page."""
    for raw in plans:
        result = load_plan_text(raw, "upload.yaml")
        assert result.ok, result.problems[:3]
        hierarchy_tree_figure(result.value.sites, width_px=290, font_px=11)
        loaded.append(len(result.value.sites))


def upload_seconds(raw: bytes) -> float:
    start = time.perf_counter()
    upload_all([raw], [])
    return time.perf_counter() - start


def rerun_seconds(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    assert not at.exception, at.exception
    return time.perf_counter() - start


def test_a_light_page_stays_responsive_while_the_worst_plans_are_uploaded():
    plans = worst_plans()
    slowest = max(upload_seconds(raw) for raw in plans)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    alone = statistics.median(rerun_seconds(at) for _ in range(5))

    loaded: list[int] = []
    worker = threading.Thread(target=upload_all, args=(plans, loaded), daemon=True)
    worker.start()
    during = []
    while worker.is_alive():
        during.append(rerun_seconds(at))
        time.sleep(0.2)  # a visitor's next click, not a busy loop that takes half the interpreter from the upload
    worker.join()

    assert loaded == [LIMITS["sites"], 2_800], "an upload failed: see the worker's traceback above"
    assert during, "no rerun ran while the uploads did; the test measured nothing"
    assert max(during) <= 5 * alone + slowest + 1.0, (
        f"a rerun took {max(during):.2f} s during the uploads, {alone:.2f} s alone; the slowest upload alone took {slowest:.2f} s"
    )
