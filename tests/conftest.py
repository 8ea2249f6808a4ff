import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.loader import load_plan_file  # noqa: E402
from components.model import Plan  # noqa: E402

PLAN_PATH = ROOT / "data" / "plan.yaml"


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = load_plan_file(PLAN_PATH)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.plan


@pytest.fixture(scope="session")
def plan_text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


@pytest.fixture()
def plan_data(plan_text) -> dict:
    """A fresh mutable copy of the bundled plan, for building broken variants."""
    return yaml.safe_load(plan_text)
