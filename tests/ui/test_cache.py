"""The figure cache: reused for the same plan content and options, rebuilt when either changes."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from components.figures.responsibility import workload_bars
from components.plan.loader import load_plan_text
from components.ui import cache, session
from components.ui.cache import cached_figure, cached_value
from components.ui.session import UPLOADED_PLAN_KEY, UploadedPlan
from tests.ui.apptest import decode


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


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


def test_every_figure_cache_is_bounded_and_an_uploads_lives_in_its_session():
    """Server memory rose from 77 MB to about 960 MB over a hostile run and stayed: large uploads' figures sat in the
    global cache (64 of them; a 540-task plan's treemap holds 16 MB, a new one for every filter)."""
    for shared in (cache._shared_figure, cache._shared_value):
        assert (shared._info.scope, shared._info.max_entries, shared._info.ttl) == ("global", 64, 3600)
    for private in (cache._session_figure, cache._session_value):
        assert (private._info.scope, private._info.max_entries, private._info.ttl) == ("session", 8, 3600)


def test_an_uploaded_plans_figures_and_values_go_to_the_session_cache(plan, monkeypatch):
    used = []
    monkeypatch.setattr(cache, "_session_figure", lambda builder, plan, lang, **options: used.append("figure") or "session figure")
    monkeypatch.setattr(cache, "_session_value", lambda compute, plan, **options: used.append("value") or "session value")
    monkeypatch.setattr(cache, "uploaded_plan", lambda: UploadedPlan("mine.yaml", plan))
    assert cached_figure(workload_bars, plan, "zh", include_group=True, lead_only=False) == "session figure"
    assert cached_value(len, plan) == "session value"
    assert used == ["figure", "value"]


def test_pages_draw_an_uploaded_plan_through_the_session_cache(plan):
    from tests.ui.apptest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[UPLOADED_PLAN_KEY] = UploadedPlan("mine.yaml", plan)
    at.run()
    for page in ("pages/agencies.py", "pages/tasks.py", "pages/layout.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.get("plotly_chart"), page


def test_a_plan_file_is_read_again_only_when_it_changes(tmp_path, plan_text):
    """Keyed on the file's stamp, not its bytes: an unchanged file is not read, a rewrite of the same size is."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text, encoding="utf-8")
    first = session.load(path).value
    assert session.load(path).value is first
    path.write_text(plan_text.replace("协同推进成渝综合性科学中心建设", "协同推进成渝综合性科学中心建成", 1), encoding="utf-8")
    assert path.stat().st_size == len(plan_text.encode())  # same size: only the stamp's times tell
    second = session.load(path).value
    assert second is not first and second.tasks[0].title.get("zh") == "协同推进成渝综合性科学中心建成"
    path.unlink()
    assert session.load(path).problems[0].message.startswith("cannot read file")


def test_the_figures_readers_get_one_dict_made_once(plan):
    """st.plotly_chart turns a figure into a dict on every run; a cached figure makes it once and gives it to every reader."""
    figure = cached_figure(workload_bars, plan, "zh", include_group=True, lead_only=False)
    made = figure.to_dict()
    assert figure.to_dict() is made
    assert made == go.Figure(workload_bars(plan, lang="zh", include_group=True, lead_only=False)).to_dict()
