import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

from components import paths
from components.plan.loader import load_plan_file
from components.plan.model import Connection, Plan, Site
from components.plan.progress import ProgressLog, load_progress_file
from components.store.db import DATABASE_URL_ENV
from tests.postgres import Cluster

# The fuzz tests are deterministic (the same examples on every run, so CI never flakes on a lucky draw) and keep no
# example database in the repository; each test's time is bounded by its example count and input sizes, not a deadline.
settings.register_profile(
    "repo", derandomize=True, database=None, deadline=None, print_blob=False, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("repo")

PLAN_PATH = paths.BUNDLED_PLAN
E2E = paths.ROOT / "tests" / "e2e"


def pytest_collection_modifyitems(items):
    """Browser tests run last: their Chromium and servers (session fixtures) then live only while they run,
    and no unit test shares the machine with them or inherits the asyncio loop Playwright leaves behind."""
    items.sort(key=lambda item: Path(item.fspath).is_relative_to(E2E))


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = load_plan_file(PLAN_PATH)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


@pytest.fixture(scope="session")
def progress_log(plan) -> ProgressLog:
    result = load_progress_file(plan)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


@pytest.fixture(scope="session")
def plan_text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


@pytest.fixture()
def plan_data(plan_text) -> dict:
    """A fresh mutable copy of the bundled plan, for building broken variants."""
    return yaml.safe_load(plan_text)


@dataclass(frozen=True)
class SiteData:
    sites: list[Site]
    connections: list[Connection]
    tasks_by_site: dict[str, list[int]]


@pytest.fixture(scope="session")
def site_data(plan) -> SiteData:
    """The bundled plan's layout: its sites, corridors and which tasks name each site."""
    return SiteData(list(plan.sites), list(plan.connections), plan.tasks_by_site)


@pytest.fixture(scope="session", autouse=True)
def private_database(tmp_path_factory):
    """No test touches the repository's own database or scenario folder: the app, AppTest runs and the servers the
    browser tests start all read these variables (a test that needs its own database sets its own)."""
    folder = tmp_path_factory.mktemp("database")
    saved = {key: os.environ.get(key) for key in (DATABASE_URL_ENV, paths.SCENARIO_DIR_ENV)}
    os.environ[DATABASE_URL_ENV] = f"sqlite:///{folder / 'dashboard.sqlite3'}"
    os.environ[paths.SCENARIO_DIR_ENV] = str(folder / "old-scenarios")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL cluster for the whole run, started on first use and stopped at the end."""
    cluster = Cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database on each engine: a SQLite file, and a new database in the test cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()
