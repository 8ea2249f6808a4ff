"""Fixtures of the export tests: the bundled briefing."""

from __future__ import annotations

import pytest

from components.figures.registry import CHARTS
from components.paths import DEFAULT_BRIEFING
from components.plan.briefing_file import Briefing, load_briefing_file


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    result = load_briefing_file(CHARTS, DEFAULT_BRIEFING)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value
