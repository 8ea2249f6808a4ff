"""What-if scenarios: their typed shape, safe names, the file form, and reading the old scenario folder.

A scenario is a named set of edits to the plan's targets. Names come from
people (a text box, an uploaded file), so they are checked against a short
allow-list and refused, never cleaned up into some other name: `../../plan`
is an error, not `plan`. Saved scenarios live in the database
(`components/store/scenarios.py`); files are what people download and upload,
and what earlier versions saved in a folder, read once to import them.
Uploaded files go through the same safe YAML reader as plans.

No Streamlit here; `components/ui/scenario_panel.py` is the glue.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import ConfigDict, Field, field_validator

from components.plan.loader import Problem, Validated, format_path, validate_yaml
from components.plan.model import Id, Plan, Strict, TargetEdit

SCHEMA = "scenario/1"
SUFFIX = ".yaml"
MAX_NAME_CHARS = 60
MAX_BYTES = 1024 * 1024  # a scenario is a few lines; anything near this is not one

# Letters and digits (ASCII), CJK ideographs (basic block, extension A and the
# compatibility block), space, hyphen and underscore. Nothing else: no dots,
# no separators, no full-width look-alikes, no combining marks.
_ALLOWED = re.compile(r"[A-Za-z0-9 _\-\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)


class Scenario(Strict):
    """In the file the first key is `schema`; in Python it is `schema_` (pydantic reserves `schema`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    schema_: Literal["scenario/1"] = Field(alias="schema")
    name: str
    plan_doc_number: str
    saved_at: dt.datetime
    edits: dict[Id, TargetEdit]

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        """Every scenario can be saved under its own name: the same rule as file names."""
        try:
            return safe_name(name)
        except ScenarioNameError as error:
            raise ValueError(NAME_ERROR_CODES[error.code]) from None


class ScenarioError(Exception):
    """Base of the store's refusals; `code` is stable so the panel can translate it."""

    code = "error"


class ScenarioNameError(ScenarioError, ValueError):
    """A name that cannot be a scenario file name. `code` is one of NAME_ERROR_CODES."""

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name
        super().__init__(f"scenario name {name[:80]!r} refused: {NAME_ERROR_CODES[code]}")


NAME_ERROR_CODES = {
    "empty": "the name is empty",
    "too_long": f"the name is longer than {MAX_NAME_CHARS} characters",
    "separator": "the name contains a path separator (/ or \\)",
    "dot": "the name contains a dot (no '.', '..', hidden names or extensions)",
    "control": "the name contains a control character (such as NUL or a line break)",
    "edge_space": "the name starts or ends with a space",
    "reserved": "the name is reserved by Windows (CON, PRN, AUX, NUL, COM1–9, LPT1–9)",
    "chars": "use only Chinese characters, letters, digits, spaces, '-' and '_'",
}


class ScenarioExistsError(ScenarioError):
    code = "exists"


class ScenarioNotFoundError(ScenarioError):
    code = "not_found"


class UnsafePathError(ScenarioError, PermissionError):
    """The resolved file would lie outside the directory."""

    code = "unsafe"


def safe_name(name: str) -> str:
    """The file stem for a scenario name, which is the name itself in NFC; refuses anything else.

    NFC only joins what Unicode calls the same text (豈 U+F900 is 豈 U+8C48), so two names that
    look alike are one scenario, not two.
    """
    if not isinstance(name, str) or name == "":
        raise ScenarioNameError("empty", str(name))
    name = unicodedata.normalize("NFC", name)
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name):
        raise ScenarioNameError("control", name)
    if "/" in name or "\\" in name:
        raise ScenarioNameError("separator", name)
    if "." in name:
        raise ScenarioNameError("dot", name)
    if len(name) > MAX_NAME_CHARS:
        raise ScenarioNameError("too_long", name)
    if name.strip() == "":
        raise ScenarioNameError("empty", name)
    if name != name.strip(" "):
        raise ScenarioNameError("edge_space", name)
    if not _ALLOWED.fullmatch(name):
        raise ScenarioNameError("chars", name)
    if _WINDOWS_RESERVED.fullmatch(name):
        raise ScenarioNameError("reserved", name)
    return name


def make_scenario(name: str, plan: Plan, edits: Mapping[str, TargetEdit], *, saved_at: dt.datetime | None = None) -> Scenario:
    """A scenario of the given edits for this plan, stamped now (UTC) unless told otherwise."""
    return Scenario(
        schema_=SCHEMA,
        name=name,
        plan_doc_number=plan.meta.doc_number,
        saved_at=saved_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        edits=dict(edits),
    )


def to_yaml_bytes(scenario: Scenario) -> bytes:
    """The file form: plain YAML, UTF-8, fields left unset are omitted."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return text.encode("utf-8")


def _file_in(directory: Path, name: str) -> tuple[Path, Path]:
    """(resolved directory, file path) for a checked name; the file must sit directly in the directory."""
    stem = safe_name(name)
    base = directory.resolve()
    path = base / f"{stem}{SUFFIX}"
    if path.parent != base or os.path.commonpath([base, path]) != str(base):
        raise UnsafePathError(f"{name!r} does not stay inside {base}")
    return base, path


def list_names(directory: Path) -> list[str]:
    """Names of the scenario files in a folder (regular `*.yaml` files with a valid name), sorted."""
    directory = Path(directory)
    try:
        entries = list(os.scandir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = []
    for entry in entries:
        if not entry.name.endswith(SUFFIX) or not entry.is_file(follow_symlinks=False):
            continue
        stem = entry.name[: -len(SUFFIX)]
        try:
            names.append(safe_name(stem))
        except ScenarioNameError:
            continue
    return sorted(names)


def load(directory: Path, name: str, plan: Plan | None = None) -> Validated[Scenario]:
    """Read a scenario file from a folder; with `plan`, also check it against that plan (as `parse` does).

    A bad name raises ScenarioNameError; a missing, unreadable or invalid file is a problem.
    """
    _, path = _file_in(Path(directory), name)
    file = path.name
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return Validated(None, (Problem(file, None, "", "no such scenario"),))
    except OSError as error:
        return Validated(None, (Problem(file, None, "", f"cannot read file: {error.strerror or error}"),))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return Validated(None, (Problem(file, None, "", "not a regular file"),))
        raw = handle.read(MAX_BYTES + 1)
    return parse(raw, file, plan)


def parse(raw: bytes, file: str, plan: Plan | None) -> Validated[Scenario]:
    """Bytes (an upload or a saved file) → a checked scenario, or every problem with its line and path.

    With a plan, every edited target must exist in it and the scenario must
    have been made for the same document number.
    """
    if len(raw) > MAX_BYTES:
        return Validated(None, (Problem(file, None, "", f"file is {len(raw):,} bytes; a scenario is at most {MAX_BYTES:,}"),))
    validated = validate_yaml(raw, file, Scenario)
    if validated.value is None:
        return Validated(None, validated.problems)
    problems = plan_problems(validated.value, plan, validated.lines, file) if plan is not None else []
    return Validated(None, tuple(problems), validated.lines, file) if problems else validated


def plan_problems(scenario: Scenario, plan: Plan, lines: dict[tuple, int], file: str) -> list[Problem]:
    """A scenario fits a plan when it was made for its document number and edits only its targets."""
    problems = []
    if scenario.plan_doc_number != plan.meta.doc_number:
        problems.append(
            Problem(
                file,
                lines.get(("plan_doc_number",)),
                "plan_doc_number",
                f"made for plan {scenario.plan_doc_number!r}, but the loaded plan is {plan.meta.doc_number!r}",
            )
        )
    known = {target.id for target in plan.targets}
    for target_id in scenario.edits:
        if target_id not in known:
            path = ("edits", target_id)
            problems.append(Problem(file, lines.get(path), format_path(path), f"unknown target {target_id!r}"))
    return problems
