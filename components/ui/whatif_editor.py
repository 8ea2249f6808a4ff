"""The what-if editor, and the one owner of the session's edits: one row of fields per target, refusals next to the field.

Edits live in a plain session-state dict under `EDITS_KEY` (not in widget keys), so
they survive page switches and stay private to the session; the plan file is never
touched. Everything else (the scenario panel, the briefing, the URL) reads and
replaces them through the functions here.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.analysis.whatif import check_edit, parse_number, parse_year, usable_edits
from components.i18n import t
from components.plan.model import Plan, Target, TargetEdit
from components.ui.widgets import md_escape

EDITS_KEY = "whatif_edits"  # target id → TargetEdit, as typed (checked again against the plan in use on every run)
ERRORS_KEY = "whatif_errors"  # (target id, field) → (translation key, values) of the last refusal shown under a field
FIELDS = ("value", "target_year", "growth_pct")


def session_edits() -> dict[str, TargetEdit]:
    return st.session_state.setdefault(EDITS_KEY, {})


def _errors() -> dict[tuple[str, str], tuple[str, dict]]:
    return st.session_state.setdefault(ERRORS_KEY, {})


@dataclass(frozen=True)
class ActiveEdits:
    """This run's edits: the ones that apply to the plan in use, and the ids of those dropped because they do not."""

    usable: dict[str, TargetEdit]
    dropped: tuple[str, ...]


def active_edits(plan: Plan) -> ActiveEdits:
    """Checked once per run: every part of a page then draws the same edits."""
    edits = session_edits()
    usable = usable_edits(plan, edits)
    return ActiveEdits(usable, tuple(sorted(set(edits) - set(usable))))


def _widget_key(target: Target, field: str) -> str:
    return f"whatif_{field}_{target.id}"


def _shown(target: Target, edit: TargetEdit | None, field: str) -> str:
    if field == "value":
        return f"{(edit.value if edit and edit.value is not None else target.value):g}"
    if field == "target_year":
        return str(edit.target_year if edit and edit.target_year is not None else target.target_year)
    return "" if edit is None or edit.growth_pct is None else f"{edit.growth_pct:g}"


def _apply(plan: Plan, target: Target, field: str) -> None:
    """on_change: parse the field, check the whole edit, keep it only if every check passes."""
    text = st.session_state[_widget_key(target, field)]
    errors = _errors()
    errors.pop((target.id, field), None)
    edits = session_edits()
    current = edits.get(target.id, TargetEdit())
    if field == "growth_pct" and not text.strip():
        number = None
    else:
        parsed = parse_year(text) if field == "target_year" else parse_number(text)
        if parsed.problem:
            errors[(target.id, field)] = (parsed.problem, {})
            return
        number = parsed.value
    candidate = current.model_copy(update={field: number})
    problems = [p for p in check_edit(plan, target, candidate) if p.field == field]
    if problems:
        errors[(target.id, field)] = (problems[0].key, problems[0].values)
        return
    if candidate == TargetEdit() or _is_official(target, candidate):
        edits.pop(target.id, None)
    else:
        edits[target.id] = candidate


def _is_official(target: Target, edit: TargetEdit) -> bool:
    return edit.value in (None, target.value) and edit.target_year in (None, target.target_year) and edit.growth_pct is None


LABELS = {"value": "whatif.field.value", "target_year": "whatif.field.year", "growth_pct": "whatif.field.growth"}
NAME_PX, FIELD_PX = 320, 140  # fixed widths keep the rows aligned; a narrow window wraps the fields under the name


def render_whatif_editor(plan: Plan, lang: str, indicator: str) -> None:
    """A row for each target of the chosen indicator: a flex row of the name and three labelled fixed-width fields.

    Only that indicator's targets: an edit then shows at once in the chart above it, and the browser redraws
    one or two rows per edit, not every target's (six rows were 30 of the 55 messages of an edit). Edits made
    under other indicators stay in force and are named under the rows.
    Not `st.columns`: a row of four columns is five blocks; a flex row is one."""
    edits = session_edits()
    errors = _errors()
    targets = [target for target in plan.targets if target.indicator == indicator]
    if not targets:
        st.caption(t("whatif.no_targets", lang))
    for target in targets:
        edit = edits.get(target.id)
        row = st.container(horizontal=True, vertical_alignment="bottom")
        unit = plan.indicator_by_id[target.indicator].unit.get(lang)
        row.text(f"{target.name.get(lang)} ({unit})", width=NAME_PX)
        for field in FIELDS:
            key = _widget_key(target, field)
            if key not in st.session_state:  # first drawn, or drawn again after another indicator: the kept edit, no old refusal
                st.session_state[key] = _shown(target, edit, field)
                errors.pop((target.id, field), None)
            row.text_input(
                t(LABELS[field], lang),
                key=key,
                on_change=_apply,
                args=(plan, target, field),
                placeholder=t("whatif.placeholder.growth", lang) if field == "growth_pct" else None,
                width=FIELD_PX,
            )
        for field in FIELDS:  # under the row, naming the field: a row has no column to put it in
            if (target.id, field) in errors:
                message_key, values = errors[(target.id, field)]
                message = t(message_key, lang, **values)
                st.error(t("whatif.field_error", lang, field=t(f"whatif.field.{field}", lang), message=message), icon=":material/block:")
    elsewhere = [target.name.get(lang) for target in plan.targets if target.id in edits and target.indicator != indicator]
    if elsewhere:
        st.caption(t("whatif.elsewhere", lang, count=len(elsewhere), targets=md_escape(t("list.separator", lang).join(elsewhere))))
    st.button(t("whatif.reset", lang), key="whatif_reset", on_click=reset_edits, args=(plan,))  # before the rerun: no second run


def reset_edits(plan: Plan) -> None:
    session_edits().clear()
    st.session_state[ERRORS_KEY] = {}
    for target in plan.targets:
        for field in FIELDS:
            st.session_state.pop(_widget_key(target, field), None)


def replace_edits(plan: Plan, edits: dict[str, TargetEdit]) -> None:
    """Load a scenario or a shared link: the fields show the new values on the next run."""
    reset_edits(plan)
    session_edits().update(edits)
