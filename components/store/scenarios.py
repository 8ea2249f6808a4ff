"""Saved what-if scenarios in the database, shared by every replica.

The scenario itself keeps its model, name rules and checks (`components/plan/scenarios.py`). Saving needs a
signed-in user, who becomes its owner; only the owner or an admin overwrites or deletes it; each user keeps at
most `MAX_PER_USER`. Files of the old scenario folder are imported once, without an owner (then only an admin
may change them), and the import is recorded so it never runs twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from components.plan.loader import Problem, Validated
from components.plan.model import Plan
from components.plan.scenarios import SCHEMA, Scenario, ScenarioExistsError, ScenarioNotFoundError, plan_problems, safe_name
from components.plan.scenarios import list_names as file_names
from components.plan.scenarios import load as load_file
from components.store import audit
from components.store.accounts import Actor, Role, refusals_audited, require, utc_now
from components.store.db import reading, writing
from components.store.errors import Forbidden, LimitReached
from components.store.models import Marker, SavedScenario, User

MAX_PER_USER = 30
IMPORT_MARKER = "scenario_files_imported"


@dataclass(frozen=True)
class SavedInfo:
    name: str
    owner: str | None  # None: imported from the old scenario folder
    saved_at: dt.datetime


def list_saved(engine: Engine, plan_doc_number: str) -> list[SavedInfo]:
    """The scenarios saved for this plan, by name."""
    with reading(engine) as session:
        rows = session.execute(
            select(SavedScenario.name, User.username, SavedScenario.saved_at)
            .outerjoin(User, User.id == SavedScenario.owner_id)
            .where(SavedScenario.plan_doc_number == plan_doc_number)
            .order_by(SavedScenario.name)
        ).all()
    return [SavedInfo(name, owner, saved_at) for name, owner, saved_at in rows]


def exists(engine: Engine, plan_doc_number: str, name: str) -> bool:
    name = safe_name(name)
    with reading(engine) as session:
        return (
            session.scalar(select(SavedScenario.id).where(SavedScenario.plan_doc_number == plan_doc_number, SavedScenario.name == name))
            is not None
        )


def _edits_json(scenario: Scenario) -> str:
    return json.dumps(
        {k: v.model_dump(mode="json", exclude_none=True) for k, v in scenario.edits.items()}, ensure_ascii=False, sort_keys=True
    )


def _scenario(row: SavedScenario) -> Scenario:
    return Scenario.model_validate(
        {
            "schema": SCHEMA,
            "name": row.name,
            "plan_doc_number": row.plan_doc_number,
            "saved_at": row.saved_at,
            "edits": json.loads(row.edits),
        }
    )


def load(engine: Engine, name: str, plan: Plan) -> Validated[Scenario]:
    """A saved scenario checked against the plan in use, or its problems (a bad name raises ScenarioNameError)."""
    name = safe_name(name)
    with reading(engine) as session:
        row = session.scalar(select(SavedScenario).where(SavedScenario.plan_doc_number == plan.meta.doc_number, SavedScenario.name == name))
    if row is None:
        return Validated(None, (Problem(name, None, "", "no such scenario"),))
    try:
        scenario = _scenario(row)
    except (ValidationError, ValueError) as error:
        return Validated(None, (Problem(name, None, "", f"stored scenario is not valid: {str(error)[:300]}"),))
    problems = plan_problems(scenario, plan, {}, name)
    return Validated(None, tuple(problems)) if problems else Validated(scenario, ())


def _may_change(actor: Actor, row: SavedScenario) -> None:
    if actor.role is not Role.admin and row.owner_id != actor.user_id:
        raise Forbidden(f"scenario {row.name!r} belongs to someone else: only its owner or an admin may change it")


def save(
    engine: Engine, token: str | None, scenario: Scenario, *, overwrite: bool = False, client: str, now: dt.datetime | None = None
) -> None:
    """Save under the scenario's name; an existing name needs `overwrite` and must be the user's own."""
    now = now or utc_now()
    name = safe_name(scenario.name)  # a model built without validation still cannot carry a bad name
    edits = _edits_json(scenario)
    target = f"scenario {name!r} of {scenario.plan_doc_number}"
    try:
        with refusals_audited(engine, "scenario.save", token, client, now, target), writing(engine) as session:
            actor = require(session, token, now)
            row = session.scalar(
                select(SavedScenario)
                .where(SavedScenario.plan_doc_number == scenario.plan_doc_number, SavedScenario.name == name)
                .with_for_update()
            )
            if row is not None:
                if not overwrite:
                    raise ScenarioExistsError(f"a scenario named {name!r} already exists")
                _may_change(actor, row)
                row.edits, row.saved_at = edits, now
            else:
                owned = session.scalar(select(func.count()).select_from(SavedScenario).where(SavedScenario.owner_id == actor.user_id))
                if owned >= MAX_PER_USER:
                    raise LimitReached(f"{actor.username} already keeps {owned} scenarios (at most {MAX_PER_USER}): delete one first")
                session.add(
                    SavedScenario(plan_doc_number=scenario.plan_doc_number, name=name, owner_id=actor.user_id, edits=edits, saved_at=now)
                )
            audit.record(
                session, "scenario.save", at=now, username=actor.username, client=client, target=target, detail="overwrite" if row else None
            )
    except IntegrityError:  # saved under the same name by someone else at the same moment
        raise ScenarioExistsError(f"a scenario named {name!r} already exists") from None


def delete(engine: Engine, token: str | None, plan_doc_number: str, name: str, *, client: str, now: dt.datetime | None = None) -> None:
    now = now or utc_now()
    name = safe_name(name)
    target = f"scenario {name!r} of {plan_doc_number}"
    with refusals_audited(engine, "scenario.delete", token, client, now, target), writing(engine) as session:
        actor = require(session, token, now)
        row = session.scalar(
            select(SavedScenario).where(SavedScenario.plan_doc_number == plan_doc_number, SavedScenario.name == name).with_for_update()
        )
        if row is None:
            raise ScenarioNotFoundError(f"no scenario named {name!r}")
        _may_change(actor, row)
        session.delete(row)
        audit.record(session, "scenario.delete", at=now, username=actor.username, client=client, target=target)


def import_files(engine: Engine, directory: Path, *, now: dt.datetime | None = None) -> int | None:
    """Once per database: every valid scenario file of the old folder, without an owner. Returns how many were
    imported, or None when the import was done before. A name already in the database is kept as it is."""
    now = now or utc_now()
    with reading(engine) as session:  # the usual case, on every start: done before, and no write lock is taken
        if session.get(Marker, IMPORT_MARKER) is not None:
            return None
    with writing(engine) as session:
        if session.get(Marker, IMPORT_MARKER) is not None:  # another replica did it meanwhile
            return None
        imported, skipped = 0, []
        for name in file_names(directory):
            result = load_file(directory, name)
            scenario = result.value
            taken = scenario is not None and session.scalar(
                select(SavedScenario.id).where(
                    SavedScenario.plan_doc_number == scenario.plan_doc_number, SavedScenario.name == scenario.name
                )
            )
            if scenario is None or taken:
                skipped.append(name)
                continue
            session.add(
                SavedScenario(
                    plan_doc_number=scenario.plan_doc_number,
                    name=scenario.name,
                    owner_id=None,
                    edits=_edits_json(scenario),
                    saved_at=scenario.saved_at,
                )
            )
            imported += 1
        detail = f"{imported} imported from {directory}" + (f"; skipped {', '.join(skipped)}" if skipped else "")
        session.add(Marker(key=IMPORT_MARKER, done_at=now, detail=detail[:500]))
        audit.record(session, "scenario.import", at=now, username=None, client="start-up", target=str(directory)[:300], detail=detail)
        return imported
