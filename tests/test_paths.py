"""Where the repository's files are, and the one setting that moves the scenario folder."""

from components import paths


def test_paths_point_into_this_repository():
    assert (paths.ROOT / "app.py").is_file()
    assert paths.BUNDLED_PLAN.is_file() and paths.BOUNDARIES.is_file() and paths.DEFAULT_BRIEFING.is_file()


def test_scenario_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_SCENARIO_DIR", str(tmp_path / "elsewhere"))
    assert paths.scenario_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("DASHBOARD_SCENARIO_DIR")
    assert paths.scenario_dir() == paths.ROOT / "data" / "scenarios"
