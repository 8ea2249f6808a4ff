"""The figure cache: reused for the same plan content and options, rebuilt when either changes."""

from __future__ import annotations

import pytest

from components.figures.responsibility import workload_bars
from components.plan.loader import load_plan_text
from components.ui.cache import cached_figure
from tests.ui.apptest import decode


@pytest.fixture(autouse=True)
def empty_cache():
    cached_figure.clear()
    yield
    cached_figure.clear()


def bar_labels(fig) -> list[str]:
    return [label.replace("<br>", "") for label in decode(fig.data[0].y)]


def test_same_content_and_options_share_one_figure(plan, plan_text):
    first = cached_figure(workload_bars, plan, "zh", include_group=True, lead_only=False)
    reloaded = load_plan_text(plan_text.encode()).value  # another object with the same content
    assert reloaded is not plan and reloaded.fingerprint == plan.fingerprint
    assert cached_figure(workload_bars, reloaded, "zh", include_group=True, lead_only=False) is first


def test_other_options_or_language_build_another_figure(plan):
    zh_all = cached_figure(workload_bars, plan, "zh", include_group=True, lead_only=False)
    zh_lead = cached_figure(workload_bars, plan, "zh", include_group=True, lead_only=True)
    en_all = cached_figure(workload_bars, plan, "en", include_group=True, lead_only=False)
    assert len({id(zh_all), id(zh_lead), id(en_all)}) == 3
    assert bar_labels(zh_all)[0] == "科技厅"
    assert bar_labels(en_all)[0] == "Department of Science and Technology"


def test_an_edited_plan_is_not_served_the_old_figure(plan, plan_text):
    before = cached_figure(workload_bars, plan, "zh", include_group=True, lead_only=False)
    edited = load_plan_text(plan_text.replace("    zh: 科技厅\n", "    zh: 四川省科学技术厅\n", 1).encode()).value
    assert edited.fingerprint != plan.fingerprint
    after = cached_figure(workload_bars, edited, "zh", include_group=True, lead_only=False)
    assert after is not before
    assert "四川省科学技术厅" in bar_labels(after) and "四川省科学技术厅" not in bar_labels(before)
