"""Saved scenarios in the database: names still refused rather than cleaned, an owner per scenario, overwrite only by
its owner or an admin, a per-user limit, and the old scenario folder imported once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from components import paths
from components.plan.loader import load_plan_file
from components.plan.model import TargetEdit
from components.plan.scenarios import Scenario, ScenarioExistsError, ScenarioNameError, ScenarioNotFoundError, make_scenario, to_yaml_bytes
from components.store import scenarios as store
from components.store.db import reading
from components.store.errors import Forbidden, LimitReached, NotSignedIn
from components.store.models import Marker, SavedScenario
from tests.store.conftest import CLIENT, NOW

PLAN = load_plan_file(paths.BUNDLED_PLAN).value
DOC = PLAN.meta.doc_number
EDITS = {
    "rd_intensity": TargetEdit(value=2.8, growth_pct=0.12),
    "hightech_enterprises": TargetEdit(value=18000, target_year=2027),
    "tech_contract_turnover": TargetEdit(growth_pct=-3.5),
}


def scenario(name="高目标 A", edits=None) -> Scenario:
    return make_scenario(name, PLAN, EDITS if edits is None else edits, saved_at=NOW)


def count(engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(SavedScenario))


def test_round_trip_keeps_exact_values_and_the_owner(engine, tokens):
    store.save(engine, tokens.kjt, scenario(), client=CLIENT, now=NOW)
    [info] = store.list_saved(engine, DOC)
    assert (info.name, info.owner, info.saved_at) == ("高目标 A", "kjt-li", NOW)
    loaded = store.load(engine, "高目标 A", PLAN)
    assert loaded.problems == ()
    assert loaded.value == scenario()
    assert loaded.value.edits["hightech_enterprises"] == TargetEdit(value=18000.0, target_year=2027)
    assert store.list_saved(engine, "川府发〔2099〕1号") == []  # scenarios belong to one plan


def test_only_the_owner_or_an_admin_overwrites_or_deletes(engine, tokens):
    store.save(engine, tokens.kjt, scenario("s", {"rd_intensity": TargetEdit(value=3.0)}), client=CLIENT, now=NOW)
    with pytest.raises(ScenarioExistsError):
        store.save(engine, tokens.kjt, scenario("s", {"rd_intensity": TargetEdit(value=9.0)}), client=CLIENT, now=NOW)
    with pytest.raises(Forbidden):
        store.save(engine, tokens.reviewer, scenario("s", {"rd_intensity": TargetEdit(value=9.0)}), overwrite=True, client=CLIENT, now=NOW)
    with pytest.raises(Forbidden):
        store.delete(engine, tokens.chengdu, DOC, "s", client=CLIENT, now=NOW)
    assert store.load(engine, "s", PLAN).value.edits["rd_intensity"].value == 3.0
    store.save(engine, tokens.kjt, scenario("s", {"rd_intensity": TargetEdit(value=9.0)}), overwrite=True, client=CLIENT, now=NOW)
    assert store.load(engine, "s", PLAN).value.edits["rd_intensity"].value == 9.0
    store.save(engine, tokens.admin, scenario("s", {"rd_intensity": TargetEdit(value=1.0)}), overwrite=True, client=CLIENT, now=NOW)
    assert [i.owner for i in store.list_saved(engine, DOC)] == ["kjt-li"]  # an admin's overwrite keeps the owner
    store.delete(engine, tokens.admin, DOC, "s", client=CLIENT, now=NOW)
    assert store.list_saved(engine, DOC) == []
    with pytest.raises(ScenarioNotFoundError):
        store.delete(engine, tokens.kjt, DOC, "s", client=CLIENT, now=NOW)


def test_signed_out_visitors_save_nothing(engine, tokens):
    for token in (None, "forged"):
        with pytest.raises(NotSignedIn):
            store.save(engine, token, scenario(), client=CLIENT, now=NOW)
    assert count(engine) == 0


def test_each_user_keeps_a_bounded_number(engine, tokens, monkeypatch):
    monkeypatch.setattr(store, "MAX_PER_USER", 3)
    for index in range(3):
        store.save(engine, tokens.kjt, scenario(f"s{index}"), client=CLIENT, now=NOW)
    with pytest.raises(LimitReached):
        store.save(engine, tokens.kjt, scenario("s3"), client=CLIENT, now=NOW)
    store.save(engine, tokens.kjt, scenario("s0"), overwrite=True, client=CLIENT, now=NOW)  # overwriting adds none
    store.save(engine, tokens.chengdu, scenario("s3"), client=CLIENT, now=NOW)  # the limit is per user
    assert count(engine) == 4


@pytest.mark.parametrize("name", ["../../plan", "/etc/passwd", "..", "a/../../b", "..\\plan", "CON", ".hidden", "a\x00b", "x" * 61])
def test_hostile_names_are_refused_and_store_nothing(engine, tokens, name):
    bad = Scenario.model_construct(**{**scenario().__dict__, "name": name})  # skips the model's own check on purpose
    with pytest.raises(ScenarioNameError):
        store.save(engine, tokens.kjt, bad, overwrite=True, client=CLIENT, now=NOW)
    with pytest.raises(ScenarioNameError):
        store.delete(engine, tokens.admin, DOC, name, client=CLIENT, now=NOW)
    with pytest.raises(ScenarioNameError):
        store.load(engine, name, PLAN)
    assert count(engine) == 0


def test_a_stored_scenario_for_targets_the_plan_lacks_is_a_problem(engine, tokens):
    store.save(engine, tokens.kjt, scenario("old", {"no_such_target": TargetEdit(value=1.0)}), client=CLIENT, now=NOW)
    result = store.load(engine, "old", PLAN)
    assert result.value is None
    assert [(p.path, p.message) for p in result.problems] == [("edits.no_such_target", "unknown target 'no_such_target'")]
    assert store.load(engine, "missing", PLAN).problems[0].message == "no such scenario"


def test_the_old_scenario_folder_is_imported_once(engine, tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "稳健.yaml").write_bytes(to_yaml_bytes(scenario("稳健")))
    (folder / "high-2.yaml").write_bytes(to_yaml_bytes(scenario("high-2", {"rd_intensity": TargetEdit(value=3.1)})))
    (folder / "broken.yaml").write_bytes(b"schema: scenario/1\nname: [unclosed\n")
    (folder / "evil.yaml").symlink_to(tmp_path / "outside.yaml")
    (tmp_path / "outside.yaml").write_bytes(to_yaml_bytes(scenario("evil")))
    assert store.import_files(engine, folder, now=NOW) == 2
    assert [(i.name, i.owner) for i in store.list_saved(engine, DOC)] == [("high-2", None), ("稳健", None)]
    assert store.load(engine, "high-2", PLAN).value.edits == {"rd_intensity": TargetEdit(value=3.1)}
    (folder / "later.yaml").write_bytes(to_yaml_bytes(scenario("later")))
    assert store.import_files(engine, folder, now=NOW) is None  # done once, recorded
    assert count(engine) == 2
    with reading(engine) as session:
        assert session.get(Marker, store.IMPORT_MARKER).detail == f"2 imported from {folder}; skipped broken"


def test_imported_scenarios_are_changed_only_by_an_admin(engine, tokens, tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "old.yaml").write_bytes(to_yaml_bytes(scenario("old")))
    store.import_files(engine, folder, now=NOW)
    with pytest.raises(Forbidden):
        store.delete(engine, tokens.kjt, DOC, "old", client=CLIENT, now=NOW)
    store.delete(engine, tokens.admin, DOC, "old", client=CLIENT, now=NOW)
    assert count(engine) == 0


def test_names_that_differ_only_in_normalisation_are_one_scenario(engine, tokens):
    store.save(engine, tokens.kjt, scenario("\uf900情景"), client=CLIENT, now=NOW)
    with pytest.raises(ScenarioExistsError):
        store.save(engine, tokens.kjt, scenario("\u8c48情景"), client=CLIENT, now=NOW)
    assert [info.name for info in store.list_saved(engine, DOC)] == ["\u8c48情景"]
    assert store.exists(engine, DOC, "\uf900情景") and store.load(engine, "\uf900情景", PLAN).value.edits == EDITS


def test_two_tabs_deleting_and_saving_one_scenario_in_turn_get_clear_answers(engine, tokens):
    """Tab A deletes what tab B still shows: B's delete is 'not found', B's confirmed overwrite saves it anew."""
    store.save(engine, tokens.kjt, scenario("共用"), client=CLIENT, now=NOW)
    store.delete(engine, tokens.kjt, DOC, "共用", client=CLIENT, now=NOW)  # tab A
    with pytest.raises(ScenarioNotFoundError):
        store.delete(engine, tokens.kjt, DOC, "共用", client=CLIENT, now=NOW)  # tab B, a moment later
    store.save(engine, tokens.kjt, scenario("共用"), overwrite=True, client=CLIENT, now=NOW)  # tab B's overwrite, confirmed earlier
    assert count(engine) == 1
    with pytest.raises(ScenarioExistsError):  # tab A saves under the same name without asking
        store.save(engine, tokens.kjt, scenario("共用"), client=CLIENT, now=NOW)


def test_two_tabs_saving_and_deleting_one_scenario_at_once_never_fail_otherwise(engine, tokens):
    """Two threads (two sessions of one user) save, overwrite and delete the same name at once: each call either
    succeeds or says the scenario exists or is gone; nothing else is raised and at most one row is left."""
    import threading

    barrier = threading.Barrier(2)
    unexpected: list[BaseException] = []
    outcomes: list[str] = []

    def tab(overwrite: bool) -> None:
        for round_ in range(15):
            barrier.wait()
            try:
                if round_ % 3 == 2:
                    store.delete(engine, tokens.kjt, DOC, "共用", client=CLIENT, now=NOW)
                else:
                    store.save(engine, tokens.kjt, scenario("共用"), overwrite=overwrite, client=CLIENT, now=NOW)
                outcomes.append("done")
            except (ScenarioExistsError, ScenarioNotFoundError) as answered:
                outcomes.append(answered.code)
            except BaseException as error:  # whatever else escapes is collected and fails the test
                unexpected.append(error)

    threads = [threading.Thread(target=tab, args=(overwrite,)) for overwrite in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    assert len(outcomes) == 30 and "done" in outcomes
    assert count(engine) <= 1
