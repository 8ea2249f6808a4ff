"""The scenario panel: save, list, load, compare, delete, download, upload and reset what-if edits.

The session's edits belong to `ui/whatif_editor.py`; the panel reads them with
`session_edits()` and replaces them with `replace_edits()`, which also resets the
editor's fields. Every action runs in a widget callback, before the page script,
so whatever the page draws after an action already reflects it; the outcome is
shown once at the top of the panel. Saved scenarios live in the database
(`components.store.scenarios`): saving, overwriting and deleting need a signed-in
user (the store checks it); loading, downloading and uploading a file do not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.i18n import t
from components.plan.loader import Problem
from components.plan.model import Plan
from components.plan.scenarios import (
    MAX_BYTES,
    ScenarioError,
    ScenarioExistsError,
    ScenarioNameError,
    ScenarioNotFoundError,
    TargetEdit,
    make_scenario,
    parse,
    safe_name,
    to_yaml_bytes,
)
from components.store import scenarios as saved
from components.store.accounts import Actor, Role
from components.store.errors import StoreError
from components.ui.accounts import client, session_token, signed_in
from components.ui.database import attempt, refusal
from components.ui.plan_upload import display_name
from components.ui.session import uploaded_plan
from components.ui.whatif_editor import replace_edits, session_edits
from components.ui.widgets import md_escape, open_expander, show_problems, shown_text

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
    panel: str = "scenario::panel"  # whether the panel's expander is open


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


def render_scenario_panel(plan: Plan, lang: str, *, comparison: Comparison, expander: bool = True, status: bool = True) -> None:
    """Draw the panel. `comparison({name: edits, ...})` returns the table shown for two scenarios.

    Nothing in it is drawn from the edits except the status line, so a page may draw the panel outside the
    fragment that reruns on every edit and the status line (`status=False`, `render_scenario_status`) inside
    it: the panel was a third of an edit's time in the browser. In its expander it is drawn only while open:
    closed, its hidden widgets were still redrawn by the browser on every edit (about 30 ms of 240), and the
    saved list was read from the database on every run. The file it offers is made when clicked, from the
    edits as they are then."""
    if expander:
        if (panel := open_expander(t("scenario.panel", lang), KEYS.panel)) is not None:
            with panel:
                _render(plan, lang, comparison, status)
    else:
        _render(plan, lang, comparison, status)


def render_scenario_status(lang: str) -> None:
    """Which scenario the edits are: saved, loaded and changed since, or unsaved."""
    _status_line(lang, session_edits())


def _render(plan: Plan, lang: str, comparison: Comparison, status: bool) -> None:
    if status:
        render_scenario_status(lang)
    for message in st.session_state.pop(KEYS.messages, []):
        _show(message, lang)
    actor = signed_in(lang)
    _save_row(plan, lang, actor)
    listed, _ = attempt(lambda engine: saved.list_saved(engine, plan.meta.doc_number), lang)
    owners = {info.name: info.owner for info in listed or []}
    _saved_row(plan, lang, owners, actor)
    if len(owners) >= 2:
        _compare_row(plan, lang, list(owners), comparison)
    _file_row(plan, lang)


def _confirm(question: str, yes_label: str, yes_key: str, on_yes: Callable, args: tuple, no_key: str, pending_key: str, lang: str) -> None:
    """An action that needs a second click: the question, then yes / cancel."""
    st.warning(question)
    yes, no = st.columns(2)
    yes.button(yes_label, key=yes_key, type="primary", on_click=on_yes, args=args, width="stretch")
    no.button(t("scenario.cancel", lang), key=no_key, on_click=_on_cancel, args=(lang, pending_key), width="stretch")


def _save_row(plan: Plan, lang: str, actor: Actor | None) -> None:
    private = uploaded_plan() is not None
    if private:
        st.caption(t("scenario.uploaded_plan", lang))
    elif actor is None:
        st.caption(t("scenario.sign_in_to_save", lang))
    name_col, save_col = st.columns([3, 2], vertical_alignment="bottom")
    name_col.text_input(t("scenario.name", lang), key=KEYS.name, help=t("scenario.name_help", lang))
    save_col.button(
        t("scenario.save", lang), key=KEYS.save, on_click=_on_save, args=(plan, lang), width="stretch", disabled=private or actor is None
    )
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


def _may_change(actor: Actor | None, owner: str | None) -> bool:
    """Whether to offer overwriting and deleting: the store checks again whatever this says."""
    return actor is not None and (actor.role is Role.admin or (owner is not None and owner == actor.username))


def _saved_row(plan: Plan, lang: str, owners: dict[str, str | None], actor: Actor | None) -> None:
    """Load or delete a saved scenario."""
    names = list(owners)
    if not names:
        st.caption(t("scenario.none_saved", lang))
    else:
        if st.session_state.get(KEYS.pick) not in names:
            st.session_state.pop(KEYS.pick, None)
        pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        picked = pick_col.selectbox(
            t("scenario.saved_list", lang),
            names,
            key=KEYS.pick,
            format_func=lambda n: t("scenario.owner", lang, name=n, owner=owners[n] or t("scenario.owner.imported", lang)),
        )
        load_col.button(t("scenario.load", lang), key=KEYS.load, on_click=_on_load, args=(plan, lang), width="stretch")
        delete_col.button(
            t("scenario.delete", lang),
            key=KEYS.delete,
            on_click=_on_delete_ask,
            width="stretch",
            disabled=not _may_change(actor, owners.get(picked)),
        )
    if pending := st.session_state.get(KEYS.pending_delete):
        _confirm(
            t("scenario.delete_ask", lang, name=md_escape(pending)),
            t("scenario.delete_confirm", lang),
            KEYS.confirm_delete,
            _on_confirm_delete,
            (plan, lang),
            KEYS.cancel_delete,
            KEYS.pending_delete,
            lang,
        )


def _compare_row(plan: Plan, lang: str, names: list[str], comparison: Comparison) -> None:
    """Two saved scenarios side by side, through the page's own comparison table."""
    st.session_state[KEYS.compare] = [n for n in st.session_state.get(KEYS.compare, []) if n in names]
    st.multiselect(t("scenario.compare", lang), names, key=KEYS.compare, max_selections=2, placeholder=t("scenario.compare_hint", lang))
    _comparison(plan, lang, st.session_state[KEYS.compare], comparison)


def _file_row(plan: Plan, lang: str) -> None:
    """Download the edits as a file, reset them, or upload a scenario file."""
    download_name = _download_name(lang)
    down_col, reset_col = st.columns(2)
    down_col.download_button(
        t("scenario.download", lang),
        data=lambda: to_yaml_bytes(make_scenario(download_name, plan, session_edits())),  # the edits at the click
        file_name=f"{download_name}.yaml",
        mime="application/x-yaml",
        key=KEYS.download,
        on_click="ignore",
        width="stretch",
    )
    reset_col.button(t("scenario.reset", lang), key=KEYS.reset, on_click=_on_reset, args=(plan, lang), width="stretch")
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


def _reason(error: ScenarioError, lang: str) -> str:
    """A store refusal in the page's language; one deleted in another tab meanwhile says so."""
    if isinstance(error, ScenarioNotFoundError):
        return t("scenario.gone", lang)
    return md_escape(str(error))


def _download_name(lang: str) -> str:
    """The typed name if it is valid, else the active scenario's, else a default."""
    active: _Active | None = st.session_state.get(KEYS.active)
    for candidate in (str(st.session_state.get(KEYS.name, "")).strip(), active.name if active else ""):
        try:
            return safe_name(candidate)
        except ScenarioNameError:
            continue
    return t("scenario.default_name", lang)


def _comparison(plan: Plan, lang: str, chosen: list[str], comparison: Comparison) -> None:
    if len(chosen) != 2:
        return
    scenarios: dict[str, Edits] = {}
    for name in chosen:
        result, problem = attempt(lambda engine, name=name: saved.load(engine, name, plan), lang)
        if problem:
            return
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
    raw = str(st.session_state.get(KEYS.name, ""))
    typed = raw.strip()
    try:
        name = safe_name(typed)
    except ScenarioNameError as error:
        reason = t(f"scenario.name.{error.code}", lang)
        _say("error", t("scenario.name_refused", lang, name=md_escape(shown_text(typed, 80)), reason=md_escape(reason)))
        return
    if name != raw:  # trimmed or put in NFC: said, not done silently
        _say("info", t("scenario.name_adjusted", lang, name=md_escape(name)))
    taken, problem = attempt(lambda engine: saved.exists(engine, plan.meta.doc_number, name), lang, show=False)
    if problem:
        _say("error", problem)
    elif taken:
        st.session_state[KEYS.pending_overwrite] = name
    else:
        _save(plan, lang, name, overwrite=False)


def _on_confirm_overwrite(plan: Plan, lang: str) -> None:
    name = st.session_state.pop(KEYS.pending_overwrite, None)
    if name:
        _save(plan, lang, name, overwrite=True)


def _save(plan: Plan, lang: str, name: str, *, overwrite: bool) -> None:
    edits = dict(session_edits())
    if uploaded_plan() is not None:  # nobody's saved scenarios belong to a private upload
        _say("error", t("scenario.uploaded_plan", lang))
        return
    token = session_token()
    try:
        _, problem = attempt(
            lambda engine: saved.save(engine, token, make_scenario(name, plan, edits), overwrite=overwrite, client=client()),
            lang,
            show=False,
        )
    except ScenarioExistsError:
        st.session_state[KEYS.pending_overwrite] = name  # appeared meanwhile: ask again
        return
    except StoreError as refused:
        _say("error", t("scenario.save_failed", lang, name=md_escape(name), reason=refusal(refused, lang)))
        return
    except ScenarioError as error:
        _say("error", t("scenario.save_failed", lang, name=md_escape(name), reason=_reason(error, lang)))
        return
    if problem:
        _say("error", problem)
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
        result, problem = attempt(lambda engine: saved.load(engine, name, plan), lang, show=False)
    except ScenarioNameError as error:
        result_problems = (Problem(str(name), None, "", str(error)),)
        _say("error", t("scenario.load_failed", lang, name=md_escape(str(name)), count=1), result_problems)
        return
    if problem:
        _say("error", problem)
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


def _on_confirm_delete(plan: Plan, lang: str) -> None:
    name = st.session_state.pop(KEYS.pending_delete, None)
    if not name:
        return
    token = session_token()
    try:
        _, problem = attempt(lambda engine: saved.delete(engine, token, plan.meta.doc_number, name, client=client()), lang, show=False)
    except StoreError as refused:
        _say("error", t("scenario.delete_failed", lang, name=md_escape(name), reason=refusal(refused, lang)))
        return
    except ScenarioError as error:
        _say("error", t("scenario.delete_failed", lang, name=md_escape(name), reason=_reason(error, lang)))
        return
    if problem:
        _say("error", problem)
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
    file = display_name(uploaded.name)  # no direction overrides or other invisible characters in what is shown
    if uploaded.size > MAX_BYTES:  # refused before it is read, in the page's language
        reason = t("import.refused.too_large", lang, size=uploaded.size, limit=MAX_BYTES)
        _say("error", t("scenario.upload_refused", lang, file=md_escape(file), reason=reason))
        return
    result = parse(uploaded.getvalue(), file, plan)
    if result.value is None:
        _say("error", t("scenario.upload_failed", lang, file=md_escape(file), count=len(result.problems)), result.problems)
        return
    edits = dict(result.value.edits)
    replace_edits(plan, edits)
    st.session_state[KEYS.active] = _Active(result.value.name, edits, saved=False)
    _say("success", t("scenario.uploaded", lang, file=md_escape(file), name=md_escape(result.value.name), count=len(edits)))
