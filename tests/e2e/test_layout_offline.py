"""The layout map in a real Chromium with the network shut: boundaries, markers and labels are drawn
from the repository alone, and nothing is fetched from outside.

Fixtures (server on a free port, Chromium via Playwright, offline guard that fails the test on any
outside request, screenshots folder) come from tests/e2e/conftest.py; they skip without
Chromium/Playwright, and fail instead when CI=true.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from components import paths
from scripts.browser import CHART, EXCEPTION, go_to, open_app, wait_settled

ROOT = paths.ROOT
LAYOUT = "layout"
MAP = f"{CHART} >> nth=0"  # the map is the page's first chart, the hierarchy tree its second
TREE = f"{CHART} >> nth=1"
HEADING = {"zh": "西部科学城“一城多园”布局", "en": "Western China Science City: one city, many parks"}


@dataclass(frozen=True)
class Expected:
    areas: int  # prefecture/district polygons
    placed: int  # sites with coordinates
    legend: int  # kinds among the placed sites + connections
    tree: int  # sites with a parent or parts
    names: dict[str, set[str]]  # placed sites' names by language
    cities: dict[str, set[str]]  # the innovative cities' names by language


@pytest.fixture(scope="module")
def expected() -> Expected:
    from components.analysis.sites import tree_sites
    from components.plan.loader import load_plan_file

    boundaries = json.loads((ROOT / "data" / "boundaries.geojson").read_text(encoding="utf-8"))
    plan = load_plan_file(ROOT / "data" / "plan.yaml").value
    placed = [s for s in plan.sites if s.lon is not None]
    cities = [s for s in placed if s.kind.value == "innovative_city"]
    return Expected(
        areas=sum(1 for f in boundaries["features"] if f["properties"]["level"] in ("prefecture", "district")),
        placed=len(placed),
        legend=len({s.kind for s in placed}) + len(plan.connections),
        tree=len(tree_sites(plan.sites)),
        names={lang: {s.name.get(lang) for s in placed} for lang in ("zh", "en")},
        cities={lang: {s.name.get(lang) for s in cities} for lang in ("zh", "en")},
    )


def map_counts(page) -> dict:
    return page.eval_on_selector(
        f"{CHART} .js-plotly-plot",
        """plot => ({
            fills: plot.querySelectorAll('.scatterlayer .trace path.js-fill').length,
            filled: [...plot.querySelectorAll('.scatterlayer .trace path.js-fill')]
                .filter(p => (p.getAttribute('d') || '').length > 20).length,
            markers: plot.querySelectorAll('.scatterlayer .trace .points path.point').length,
            labels: [...plot.querySelectorAll('.scatterlayer .trace .textpoint text')]
                .map(t => t.textContent).filter(t => t.trim()),
            legend: plot.querySelectorAll('.legend .traces').length,
        })""",
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_layout_map_draws_offline(page, app_url, outside_requests, screenshots, expected, lang):
    open_app(page, app_url, lang=lang)
    go_to(page, LAYOUT, charts=2)
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    assert page.get_by_role("heading", name=HEADING[lang]).count() == 1

    counts = map_counts(page)
    assert counts["fills"] == expected.areas == 59, counts
    assert counts["filled"] == expected.areas, "some area polygons have an empty path"
    assert counts["markers"] == expected.placed == 34, counts
    assert counts["legend"] == expected.legend == 10, counts  # 8 kinds have coordinates, plus 2 corridors
    labels = counts["labels"]
    assert set(labels) <= expected.names[lang], set(labels) - expected.names[lang]
    assert expected.cities[lang] <= set(labels), expected.cities[lang] - set(labels)  # top label priority
    assert len(labels) > len(expected.cities[lang]), labels  # and at least one more besides the cities

    assert page.locator(TREE).locator(".scatterlayer .points path.point").count() == expected.tree == 24

    # Streamlit scrolls inside its own container, so a "full page" shot needs a viewport as tall as the page
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(tall) + 40, 5000)})
    wait_settled(page)
    page.screenshot(path=str(screenshots / f"layout-{lang}.png"), full_page=True)
    page.locator(MAP).screenshot(path=str(screenshots / f"layout-map-{lang}.png"))
    assert outside_requests == [], sorted(set(outside_requests))
