"""The scenario panel: save, list, load, compare, delete, download, upload and reset what-if edits.

The session's edits belong to `ui/whatif_editor.py`; the panel reads them with
`session_edits()` and replaces them with `replace_edits()`, which also resets the
editor's fields. Every action runs in a widget callback, before the page script,
so whatever the page draws after an action already reflects it; the outcome is
shown once at the top of the panel. All file work goes through `components.plan.scenarios`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.i18n import t
from components.paths import scenario_dir
from components.plan.loader import Problem
from components.plan.model import Plan
from components.plan.scenarios import (
    ScenarioError,
    ScenarioExistsError,
    ScenarioNameError,
    TargetEdit,
    delete,
    exists,
    list_names,
    load,
    make_scenario,
    parse,
    safe_name,
    save,
    to_yaml_bytes,
)
from components.ui.whatif_editor import replace_edits, session_edits
from components.ui.widgets import md_escape, show_problems

Edits = dict[str, TargetEdit]
Comparison = Callable[[dict[str, Edits]], pd.DataFrame]


@dataclass(frozen=True)
class PanelKeys:
    """The panel's own session-state keys, `scenario::<part>`."""

    active: str = "scenario::active"
    messages: str = "scenario::messages"
    name: str = "scenario::name"
    save: str = "scenario::save"
    pending_overwrite: str = "scenario::pending_overwrite"
    confirm_overwrite: str = "scenario::confirm_overwrite"
    cancel_overwrite: str = "scenario::cancel_overwrite"
    pick: str = "scenario::pick"
    load: str = "scenario::load"
    delete: str = "scenario::delete"
    pending_delete: str = "scenario::pending_delete"
    confirm_delete: str = "scenario::confirm_delete"
    cancel_delete: str = "scenario::cancel_delete"
    compare: str = "scenario::compare"
    download: str = "scenario::download"
    reset: str = "scenario::reset"
    upload: str = "scenario::upload"


KEYS = PanelKeys()


@dataclass(frozen=True)
class _Active:
    name: str
    edits: Edits  # the edits as loaded or saved, to tell when the session has moved on
    saved: bool


@dataclass(frozen=True)
class _Message:
    kind: str  # success | info | warning | error
    text: str  # Markdown, values already escaped
    problems: tuple[Problem, ...] = ()


def render_scenario_panel(plan: Plan, lang: str, *, comparison: Comparison, expander: bool = True) -> None:
    """Draw the panel. `comparison({name: edits, ...})` returns the table shown for two scenarios."""
    if expander:
        with st.expander(t("scenario.panel", lang)):
            _render(plan, lang, comparison)
    else:
        _render(plan, lang, comparison)


def _render(plan: Plan, lang: str, comparison: Comparison) -> None:
    edits = session_edits()
    _status_line(lang, edits)
    for message in st.session_state.pop(KEYS.messages, []):
        _show(message, lang)
    _save_row(plan, lang)
    names = list_names(scenario_dir())
    _saved_row(plan, lang, names)
    if len(names) >= 2:
        _compare_row(plan, lang, names, comparison)
    _file_row(plan, lang, edits)


def _confirm(question: str, yes_label: str, yes_key: str, on_yes: Callable, args: tuple, no_key: str, pending_key: str, lang: str) -> None:
    """An action that needs a second click: the question, then yes / cancel."""
    st.warning(question)
    yes, no = st.columns(2)
    yes.button(yes_label, key=yes_key, type="primary", on_click=on_yes, args=args, width="stretch")
    no.button(t("scenario.cancel", lang), key=no_key, on_click=_on_cancel, args=(lang, pending_key), width="stretch")


def _save_row(plan: Plan, lang: str) -> None:
    name_col, save_col = st.columns([3, 2], vertical_alignment="bottom")
    name_col.text_input(t("scenario.name", lang), key=KEYS.name, help=t("scenario.name_help", lang))
    save_col.button(t("scenario.save", lang), key=KEYS.save, on_click=_on_save, args=(plan, lang), width="stretch")
    if pending := st.session_state.get(KEYS.pending_overwrite):
        _confirm(
            t("scenario.overwrite_ask", lang, name=md_escape(pending)),
            t("scenario.overwrite", lang),
            KEYS.confirm_overwrite,
            _on_confirm_overwrite,
            (plan, lang),
            KEYS.cancel_overwrite,
            KEYS.pending_overwrite,
            lang,
        )


def _saved_row(plan: Plan, lang: str, names: list[str]) -> None:
    """Load or delete a saved scenario."""
    if not names:
        st.caption(t("scenario.none_saved", lang))
    else:
        if st.session_state.get(KEYS.pick) not in names:
            st.session_state.pop(KEYS.pick, None)
        pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        pick_col.selectbox(t("scenario.saved_list", lang), names, key=KEYS.pick)
        load_col.button(t("scenario.load", lang), key=KEYS.load, on_click=_on_load, args=(plan, lang), width="stretch")
        delete_col.button(t("scenario.delete", lang), key=KEYS.delete, on_click=_on_delete_ask, width="stretch")
    if pending := st.session_state.get(KEYS.pending_delete):
        _confirm(
            t("scenario.delete_ask", lang, name=md_escape(pending)),
            t("scenario.delete_confirm", lang),
            KEYS.confirm_delete,
            _on_confirm_delete,
            (lang,),
            KEYS.cancel_delete,
            KEYS.pending_delete,
            lang,
        )


def _compare_row(plan: Plan, lang: str, names: list[str], comparison: Comparison) -> None:
    """Two saved scenarios side by side, through the page's own comparison table."""
    st.session_state[KEYS.compare] = [n for n in st.session_state.get(KEYS.compare, []) if n in names]
    st.multiselect(t("scenario.compare", lang), names, key=KEYS.compare, max_selections=2, placeholder=t("scenario.compare_hint", lang))
    _comparison(plan, lang, scenario_dir(), st.session_state[KEYS.compare], comparison)


def _file_row(plan: Plan, lang: str, edits: Edits) -> None:
    """Download the edits as a file, reset them, or upload a scenario file."""
    download_name = _download_name(lang)
    down_col, reset_col = st.columns(2)
    down_col.download_button(
        t("scenario.download", lang),
        data=to_yaml_bytes(make_scenario(download_name, plan, edits)),
        file_name=f"{download_name}.yaml",
        mime="application/x-yaml",
        key=KEYS.download,
        on_click="ignore",
        width="stretch",
    )
    reset_col.button(t("scenario.reset", lang), key=KEYS.reset, on_click=_on_reset, args=(plan, lang), disabled=not edits, width="stretch")
    st.file_uploader(t("scenario.upload", lang), type=["yaml", "yml"], key=KEYS.upload, on_change=_on_upload, args=(plan, lang))


def _status_line(lang: str, edits: Edits) -> None:
    active: _Active | None = st.session_state.get(KEYS.active)
    if active is not None:
        name = md_escape(active.name)
        if not active.saved:
            st.caption(t("scenario.active_unsaved", lang, name=name))
        elif edits == active.edits:
            st.caption(t("scenario.active", lang, name=name))
        else:
            st.caption(t("scenario.active_modified", lang, name=name))
    elif edits:
        st.caption(t("scenario.unsaved", lang, count=len(edits)))
    else:
        st.caption(t("scenario.official", lang))


_SHOW = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}


def _show(message: _Message, lang: str) -> None:
    if message.problems:
        show_problems(message.text, message.problems, lang, kind=message.kind)
    else:
        _SHOW[message.kind](message.text)


def _say(kind: str, text: str, problems: tuple[Problem, ...] = ()) -> None:
    st.session_state.setdefault(KEYS.messages, []).append(_Message(kind, text, problems))


def _download_name(lang: str) -> str:
    """The typed name if it is valid, else the active scenario's, else a default."""
    active: _Active | None = st.session_state.get(KEYS.active)
    for candidate in (str(st.session_state.get(KEYS.name, "")).strip(), active.name if active else ""):
        try:
            return safe_name(candidate)
        except ScenarioNameError:
            continue
    return t("scenario.default_name", lang)


def _comparison(plan: Plan, lang: str, directory: Path, chosen: list[str], comparison: Comparison) -> None:
    if len(chosen) != 2:
        return
    scenarios: dict[str, Edits] = {}
    for name in chosen:
        result = load(directory, name, plan)
        if result.value is None:
            _show(
                _Message("error", t("scenario.load_failed", lang, name=md_escape(name), count=len(result.problems)), result.problems), lang
            )
            return
        scenarios[name] = dict(result.value.edits)
    st.dataframe(comparison(scenarios), hide_index=True)


# --- callbacks: run before the script, so the page draws the new state ---


def _on_save(plan: Plan, lang: str) -> None:
    st.session_state.pop(KEYS.pending_overwrite, None)
    typed = str(st.session_state.get(KEYS.name, "")).strip()
    try:
        name = safe_name(typed)
    except ScenarioNameError as error:
        reason = t(f"scenario.name.{error.code}", lang)
        _say("error", t("scenario.name_refused", lang, name=md_escape(typed[:80]), reason=md_escape(reason)))
        return
    if exists(scenario_dir(), name):
        st.session_state[KEYS.pending_overwrite] = name
        return
    _save(plan, lang, name, overwrite=False)


def _on_confirm_overwrite(plan: Plan, lang: str) -> None:
    name = st.session_state.pop(KEYS.pending_overwrite, None)
    if name:
        _save(plan, lang, name, overwrite=True)


def _save(plan: Plan, lang: str, name: str, *, overwrite: bool) -> None:
    edits = dict(session_edits())
    try:
        save(scenario_dir(), make_scenario(name, plan, edits), overwrite=overwrite)
    except ScenarioExistsError:
        st.session_state[KEYS.pending_overwrite] = name  # appeared meanwhile: ask again
        return
    except (ScenarioError, OSError) as error:
        _say("error", t("scenario.save_failed", lang, name=md_escape(name), reason=md_escape(_reason(error))))
        return
    st.session_state[KEYS.active] = _Active(name, edits, saved=True)
    _say("success", t("scenario.saved", lang, name=md_escape(name), count=len(edits)))


def _on_cancel(lang: str, pending_key: str) -> None:
    st.session_state.pop(pending_key, None)
    _say("info", t("scenario.cancelled", lang))


def _on_load(plan: Plan, lang: str) -> None:
    name = st.session_state.get(KEYS.pick)
    if not name:
        return
    try:
        result = load(scenario_dir(), name, plan)
    except ScenarioNameError as error:
        result_problems = (Problem(str(name), None, "", str(error)),)
        _say("error", t("scenario.load_failed", lang, name=md_escape(str(name)), count=1), result_problems)
        return
    if result.value is None:
        _say("error", t("scenario.load_failed", lang, name=md_escape(name), count=len(result.problems)), result.problems)
        return
    edits = dict(result.value.edits)
    replace_edits(plan, edits)
    st.session_state[KEYS.active] = _Active(name, edits, saved=True)
    _say("success", t("scenario.loaded", lang, name=md_escape(name), count=len(edits)))


def _on_delete_ask() -> None:
    name = st.session_state.get(KEYS.pick)
    if name:
        st.session_state[KEYS.pending_delete] = name


def _on_confirm_delete(lang: str) -> None:
    name = st.session_state.pop(KEYS.pending_delete, None)
    if not name:
        return
    try:
        delete(scenario_dir(), name)
    except (ScenarioError, OSError) as error:
        _say("error", t("scenario.delete_failed", lang, name=md_escape(name), reason=md_escape(_reason(error))))
        return
    active: _Active | None = st.session_state.get(KEYS.active)
    if active is not None and active.name == name:
        st.session_state[KEYS.active] = _Active(active.name, active.edits, saved=False)
    st.session_state[KEYS.compare] = [n for n in st.session_state.get(KEYS.compare, []) if n != name]
    st.session_state.pop(KEYS.pick, None)
    _say("success", t("scenario.deleted", lang, name=md_escape(name)))


def _on_reset(plan: Plan, lang: str) -> None:
    replace_edits(plan, {})
    st.session_state.pop(KEYS.active, None)
    _say("info", t("scenario.reset_done", lang))


def _on_upload(plan: Plan, lang: str) -> None:
    uploaded = st.session_state.get(KEYS.upload)
    if uploaded is None:
        return
    file = uploaded.name
    result = parse(uploaded.getvalue(), file, plan)
    if result.value is None:
        _say("error", t("scenario.upload_failed", lang, file=md_escape(file), count=len(result.problems)), result.problems)
        return
    edits = dict(result.value.edits)
    replace_edits(plan, edits)
    st.session_state[KEYS.active] = _Active(result.value.name, edits, saved=False)
    _say("success", t("scenario.uploaded", lang, file=md_escape(file), name=md_escape(result.value.name), count=len(edits)))


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
