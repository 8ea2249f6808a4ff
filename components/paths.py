"""Where the repository's own files are: the one place that knows the folder layout."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BUNDLED_PLAN = DATA / "plan.yaml"
PROGRESS_LOG = DATA / "progress.yaml"
BOUNDARIES = DATA / "boundaries.geojson"
DEFAULT_BRIEFING = DATA / "briefings" / "default.yaml"
SCENARIO_DIR_ENV = "DASHBOARD_SCENARIO_DIR"


def scenario_dir() -> Path:
    """Where saved scenarios live: `$DASHBOARD_SCENARIO_DIR`, else `data/scenarios` in the repository."""
    return Path(os.environ.get(SCENARIO_DIR_ENV) or DATA / "scenarios")


DATABASE_DIR = ROOT / "var"  # git-ignored: the embedded SQLite database when no database URL is given
DEFAULT_DATABASE = DATABASE_DIR / "dashboard.sqlite3"
