"""The scenario panel: save, list, load, compare, delete, download, upload and reset what-if edits.

The session's edits are a plain `dict[str, TargetEdit]` in
`st.session_state[edits_key]` (not a widget key, so they survive page
switches and stay private to the session). Every action runs in a widget
callback, before the page script, so whatever the page draws after an action
already reflects it; the outcome is shown once at the top of the panel.
All file work goes through `components.scenario_store`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.i18n import t
from components.loader import Problem
from components.model import Plan
from components.scenario_store import (
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
    scenario_dir,
    to_yaml_bytes,
)
from components.ui import md_escape

Edits = dict[str, TargetEdit]
Comparison = Callable[[dict[str, Edits]], pd.DataFrame]
Replace = Callable[[Edits], None]


_PARTS = (
    "active", "messages", "name", "save", "pending_overwrite", "confirm_overwrite", "cancel_overwrite",
    "pick", "load", "delete", "pending_delete", "confirm_delete", "cancel_delete",
    "compare", "download", "reset", "upload",
)


class PanelKeys:
    """Session-state keys, all derived from `edits_key` (`<edits_key>::<part>`) so two panels never share state."""

    def __init__(self, edits_key: str) -> None:
        self.edits = edits_key
        for part in _PARTS:
            setattr(self, part, f"{edits_key}::{part}")


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


def render_scenario_panel(
    plan: Plan,
    lang: str,
    *,
    edits_key: str = "whatif_edits",
    comparison: Comparison,
    on_replace: Replace | None = None,
    expander: bool = True,
) -> None:
    """Draw the panel. `comparison({name: edits, ...})` returns the table shown for two scenarios.

    `on_replace(new_edits)`, if given, is called instead of assigning
    `st.session_state[edits_key]` when a load, upload or reset replaces the
    session's edits (so the page can also reset its own edit widgets).
    """
    keys = PanelKeys(edits_key)
    st.session_state.setdefault(edits_key, {})
    if expander:
        with st.expander(t("scenario.panel", lang)):
            _render(plan, lang, keys, comparison, on_replace)
    else:
        _render(plan, lang, keys, comparison, on_replace)


def _render(plan: Plan, lang: str, keys: PanelKeys, comparison: Comparison, on_replace: Replace | None) -> None:
    directory = scenario_dir()
    edits: Edits = st.session_state[keys.edits]
    _status_line(lang, keys, edits)
    for message in st.session_state.pop(keys.messages, []):
        _show(message)

    # Save the current edits under a name.
    name_col, save_col = st.columns([3, 2], vertical_alignment="bottom")
    name_col.text_input(t("scenario.name", lang), key=keys.name, help=t("scenario.name_help", lang))
    save_col.button(t("scenario.save", lang), key=keys.save, on_click=_on_save, args=(plan, lang, keys), width="stretch")
    pending = st.session_state.get(keys.pending_overwrite)
    if pending:
        st.warning(t("scenario.overwrite_ask", lang, name=md_escape(pending)))
        yes, no = st.columns(2)
        yes.button(t("scenario.overwrite", lang), key=keys.confirm_overwrite, type="primary",
                   on_click=_on_confirm_overwrite, args=(plan, lang, keys), width="stretch")
        no.button(t("scenario.cancel", lang), key=keys.cancel_overwrite,
                  on_click=_on_cancel, args=(lang, keys, keys.pending_overwrite), width="stretch")

    # Saved scenarios: load or delete one.
    names = list_names(directory)
    if not names:
        st.caption(t("scenario.none_saved", lang))
    else:
        if st.session_state.get(keys.pick) not in names:
            st.session_state.pop(keys.pick, None)
        pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        pick_col.selectbox(t("scenario.saved_list", lang), names, key=keys.pick)
        load_col.button(t("scenario.load", lang), key=keys.load, on_click=_on_load,
                        args=(plan, lang, keys, on_replace), width="stretch")
        delete_col.button(t("scenario.delete", lang), key=keys.delete, on_click=_on_delete_ask,
                          args=(keys,), width="stretch")
    pending_delete = st.session_state.get(keys.pending_delete)
    if pending_delete:
        st.warning(t("scenario.delete_ask", lang, name=md_escape(pending_delete)))
        yes, no = st.columns(2)
        yes.button(t("scenario.delete_confirm", lang), key=keys.confirm_delete, type="primary",
                   on_click=_on_confirm_delete, args=(lang, keys), width="stretch")
        no.button(t("scenario.cancel", lang), key=keys.cancel_delete,
                  on_click=_on_cancel, args=(lang, keys, keys.pending_delete), width="stretch")

    # Compare two saved scenarios through the page's own table.
    if len(names) >= 2:
        chosen = [n for n in st.session_state.get(keys.compare, []) if n in names]
        st.session_state[keys.compare] = chosen
        st.multiselect(t("scenario.compare", lang), names, key=keys.compare, max_selections=2,
                       placeholder=t("scenario.compare_hint", lang))
        _comparison(plan, lang, directory, st.session_state[keys.compare], comparison)

    # Download, upload, reset.
    download_name = _download_name(keys, lang)
    scenario = make_scenario(download_name, plan, edits)
    down_col, reset_col = st.columns(2)
    down_col.download_button(t("scenario.download", lang), data=to_yaml_bytes(scenario), file_name=f"{download_name}.yaml",
                             mime="application/x-yaml", key=keys.download, on_click="ignore", width="stretch")
    reset_col.button(t("scenario.reset", lang), key=keys.reset, on_click=_on_reset,
                     args=(lang, keys, on_replace), disabled=not edits, width="stretch")
    st.file_uploader(t("scenario.upload", lang), type=["yaml", "yml"], key=keys.upload,
                     on_change=_on_upload, args=(plan, lang, keys, on_replace))


def _status_line(lang: str, keys: PanelKeys, edits: Edits) -> None:
    active: _Active | None = st.session_state.get(keys.active)
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


def _show(message: _Message) -> None:
    getattr(st, message.kind)(message.text)
    if message.problems:
        st.code("\n".join(str(p) for p in message.problems), language=None, wrap_lines=True)


def _say(keys: PanelKeys, kind: str, text: str, problems: tuple[Problem, ...] = ()) -> None:
    st.session_state.setdefault(keys.messages, []).append(_Message(kind, text, problems))


def _replace(keys: PanelKeys, new_edits: Mapping[str, TargetEdit], on_replace: Replace | None) -> None:
    fresh = dict(new_edits)
    if on_replace is not None:
        on_replace(fresh)
    else:
        st.session_state[keys.edits] = fresh


def _download_name(keys: PanelKeys, lang: str) -> str:
    """The typed name if it is valid, else the active scenario's, else a default."""
    active: _Active | None = st.session_state.get(keys.active)
    for candidate in (str(st.session_state.get(keys.name, "")).strip(), active.name if active else ""):
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
        if result.scenario is None:
            _show(_Message("error", t("scenario.load_failed", lang, name=md_escape(name), count=len(result.problems)), result.problems))
            return
        scenarios[name] = dict(result.scenario.edits)
    st.dataframe(comparison(scenarios), hide_index=True)


# --- callbacks: run before the script, so the page draws the new state ---


def _on_save(plan: Plan, lang: str, keys: PanelKeys) -> None:
    st.session_state.pop(keys.pending_overwrite, None)
    typed = str(st.session_state.get(keys.name, "")).strip()
    try:
        name = safe_name(typed)
    except ScenarioNameError as error:
        reason = t(f"scenario.name.{error.code}", lang)
        _say(keys, "error", t("scenario.name_refused", lang, name=md_escape(typed[:80]), reason=md_escape(reason)))
        return
    if exists(scenario_dir(), name):
        st.session_state[keys.pending_overwrite] = name
        return
    _save(plan, lang, keys, name, overwrite=False)


def _on_confirm_overwrite(plan: Plan, lang: str, keys: PanelKeys) -> None:
    name = st.session_state.pop(keys.pending_overwrite, None)
    if name:
        _save(plan, lang, keys, name, overwrite=True)


def _save(plan: Plan, lang: str, keys: PanelKeys, name: str, *, overwrite: bool) -> None:
    edits: Edits = dict(st.session_state.get(keys.edits, {}))
    try:
        save(scenario_dir(), make_scenario(name, plan, edits), overwrite=overwrite)
    except ScenarioExistsError:
        st.session_state[keys.pending_overwrite] = name  # appeared meanwhile: ask again
        return
    except (ScenarioError, OSError) as error:
        _say(keys, "error", t("scenario.save_failed", lang, name=md_escape(name), reason=md_escape(_reason(error))))
        return
    st.session_state[keys.active] = _Active(name, edits, saved=True)
    _say(keys, "success", t("scenario.saved", lang, name=md_escape(name), count=len(edits)))


def _on_cancel(lang: str, keys: PanelKeys, pending_key: str) -> None:
    st.session_state.pop(pending_key, None)
    _say(keys, "info", t("scenario.cancelled", lang))


def _on_load(plan: Plan, lang: str, keys: PanelKeys, on_replace: Replace | None) -> None:
    name = st.session_state.get(keys.pick)
    if not name:
        return
    try:
        result = load(scenario_dir(), name, plan)
    except ScenarioNameError as error:
        result_problems = (Problem(str(name), None, "", str(error)),)
        _say(keys, "error", t("scenario.load_failed", lang, name=md_escape(str(name)), count=1), result_problems)
        return
    if result.scenario is None:
        _say(keys, "error", t("scenario.load_failed", lang, name=md_escape(name), count=len(result.problems)), result.problems)
        return
    edits = dict(result.scenario.edits)
    _replace(keys, edits, on_replace)
    st.session_state[keys.active] = _Active(name, edits, saved=True)
    _say(keys, "success", t("scenario.loaded", lang, name=md_escape(name), count=len(edits)))


def _on_delete_ask(keys: PanelKeys) -> None:
    name = st.session_state.get(keys.pick)
    if name:
        st.session_state[keys.pending_delete] = name


def _on_confirm_delete(lang: str, keys: PanelKeys) -> None:
    name = st.session_state.pop(keys.pending_delete, None)
    if not name:
        return
    try:
        delete(scenario_dir(), name)
    except (ScenarioError, OSError) as error:
        _say(keys, "error", t("scenario.delete_failed", lang, name=md_escape(name), reason=md_escape(_reason(error))))
        return
    active: _Active | None = st.session_state.get(keys.active)
    if active is not None and active.name == name:
        st.session_state[keys.active] = _Active(active.name, active.edits, saved=False)
    st.session_state[keys.compare] = [n for n in st.session_state.get(keys.compare, []) if n != name]
    st.session_state.pop(keys.pick, None)
    _say(keys, "success", t("scenario.deleted", lang, name=md_escape(name)))


def _on_reset(lang: str, keys: PanelKeys, on_replace: Replace | None) -> None:
    _replace(keys, {}, on_replace)
    st.session_state.pop(keys.active, None)
    _say(keys, "info", t("scenario.reset_done", lang))


def _on_upload(plan: Plan, lang: str, keys: PanelKeys, on_replace: Replace | None) -> None:
    uploaded = st.session_state.get(keys.upload)
    if uploaded is None:
        return
    file = uploaded.name
    result = parse(uploaded.getvalue(), file, plan)
    if result.scenario is None:
        _say(keys, "error", t("scenario.upload_failed", lang, file=md_escape(file), count=len(result.problems)), result.problems)
        return
    edits = dict(result.scenario.edits)
    _replace(keys, edits, on_replace)
    st.session_state[keys.active] = _Active(result.scenario.name, edits, saved=False)
    _say(keys, "success", t("scenario.uploaded", lang, file=md_escape(file), name=md_escape(result.scenario.name), count=len(edits)))


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
