"""Figures and derived tables kept between reruns and shared between sessions.

Most clicks rerun a page without changing what its big charts show (picking an
agency in a list reruns the whole agencies page); rebuilding a Plotly figure
for a plan of hundreds of agencies costs up to a second, so a figure is built
once per plan, language and options. The builders stay pure; this is the only
place that knows about the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from components.plan.model import Plan
from components.ui.session import uploaded_plan

T = TypeVar("T")


def _function_key(f: FunctionType) -> str:
    """A builder by name and identity: lambdas and closures share qualified names, so the name alone could mix them up."""
    return f"{f.__module__}.{f.__qualname__}#{id(f)}"


SHARED_ENTRIES = 64  # figures of the server's plan, shared by every visitor: about 1 MB each for the bundled plan
SESSION_ENTRIES = 8  # figures of a plan uploaded in one session: one treemap of a 540-task plan holds 16 MB
TTL_SECONDS = 3600  # a figure nobody asked for again within the hour is built anew when next wanted
_KEYS = {FunctionType: _function_key, Plan: lambda plan: plan.fingerprint}


class SharedFigure(go.Figure):
    """A figure in the cache: shown to many sessions, and nothing changes it after it is built.

    st.plotly_chart turns a figure into a dict on every run, and `to_dict` deep-copies it (the layout
    page's map: 20 ms of every run of that page); this one makes its dict once and hands out that
    dict, which its readers (st.plotly_chart, `go.Figure(fig)`, kaleido) only read.
    """

    def to_dict(self) -> dict:
        made = self.__dict__.get("_made_dict")
        if made is None:
            made = self.__dict__["_made_dict"] = super().to_dict()
        return made


def shared(figure: go.Figure) -> go.Figure:
    """A cached figure, its dict made once (a builder's result only: nothing may change it afterwards)."""
    # the class is swapped, not the figure copied: copying re-validates it, which costs as much as building it
    figure.__class__ = SharedFigure
    return figure


# cache_resource, not cache_data: st.plotly_chart only reads a figure (it serialises a copy), and
# unpickling a large figure would re-validate it, costing as much as building it.
@st.cache_resource(show_spinner=False, max_entries=SHARED_ENTRIES, ttl=TTL_SECONDS, hash_funcs=_KEYS)
def _shared_figure(builder: Callable[..., go.Figure], plan: Plan, lang: str, **options: Any) -> go.Figure:
    return shared(builder(plan, lang=lang, **options))


@st.cache_resource(show_spinner=False, max_entries=SESSION_ENTRIES, ttl=TTL_SECONDS, hash_funcs=_KEYS, scope="session")
def _session_figure(builder: Callable[..., go.Figure], plan: Plan, lang: str, **options: Any) -> go.Figure:
    return shared(builder(plan, lang=lang, **options))


@st.cache_resource(show_spinner=False, max_entries=SHARED_ENTRIES, ttl=TTL_SECONDS, hash_funcs=_KEYS)
def _shared_value(compute: Callable[..., T], plan: Plan, **options: Any) -> T:
    return compute(plan, **options)


@st.cache_resource(show_spinner=False, max_entries=SESSION_ENTRIES, ttl=TTL_SECONDS, hash_funcs=_KEYS, scope="session")
def _session_value(compute: Callable[..., T], plan: Plan, **options: Any) -> T:
    return compute(plan, **options)


def cached_figure(builder: Callable[..., go.Figure], plan: Plan, lang: str, **options: Any) -> go.Figure:
    """`builder(plan, lang=lang, **options)`, built once for each distinct plan content, language and options
    (`lang` by name, so a builder may take its other arguments before it).

    The server's plan shares its figures between sessions; a plan uploaded in a session keeps them in that
    session's own cache, released when the session ends. In the global cache a visitor's large uploads stayed
    for every later visitor, up to 64 figures of many MB each (a hostile run grew the server from 77 MB to
    about 960 MB, and it stayed there while idle).
    """
    cache = _shared_figure if uploaded_plan() is None else _session_figure
    return cache(builder, plan, lang, **options)


def cached_value(compute: Callable[..., T], plan: Plan, **options: Any) -> T:
    """`compute(plan, **options)` once per plan content and options, in the same caches as the figures; callers only read it."""
    cache = _shared_value if uploaded_plan() is None else _session_value
    return cache(compute, plan, **options)


def cached_table(compute: Callable[..., pd.DataFrame], plan: Plan, **options: Any) -> pa.Table:
    """`cached_value` of a table, kept as the Arrow table st.dataframe sends: given a pandas frame, st.dataframe
    converts it to Arrow on every run (a tenth of every run of the what-if page, for its two tables)."""
    return cached_value(_arrow_table, plan, table=compute, **options)


def _arrow_table(plan: Plan, *, table: Callable[..., pd.DataFrame], **options: Any) -> pa.Table:
    return pa.Table.from_pandas(table(plan, **options), preserve_index=False)


def clear() -> None:
    """Empty the shared caches (tests)."""
    _shared_figure.clear()
    _shared_value.clear()
