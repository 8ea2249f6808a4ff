"""Fixtures shared by the plan tests: the bundled boundaries (test_boundaries, test_plan_data)."""

from __future__ import annotations

import pytest

from components import paths
from components.plan.boundaries import load_boundaries


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(paths.BOUNDARIES)
