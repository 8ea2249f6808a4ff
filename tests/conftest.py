
import pytest
import yaml

from components import paths
from components.plan.loader import load_plan_file
from components.plan.model import Plan

ROOT = paths.ROOT

PLAN_PATH = ROOT / "data" / "plan.yaml"


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = load_plan_file(PLAN_PATH)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


@pytest.fixture(scope="session")
def plan_text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


@pytest.fixture()
def plan_data(plan_text) -> dict:
    """A fresh mutable copy of the bundled plan, for building broken variants."""
    return yaml.safe_load(plan_text)
