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

import plotly.graph_objects as go
import streamlit as st

from components.plan.model import Plan

T = TypeVar("T")


def _function_key(f: FunctionType) -> str:
    """A builder by name and identity: lambdas and closures share qualified names, so the name alone could mix them up."""
    return f"{f.__module__}.{f.__qualname__}#{id(f)}"


# cache_resource, not cache_data: st.plotly_chart only reads a figure (it serialises a copy), and
# unpickling a large figure would re-validate it, costing as much as building it.
@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={FunctionType: _function_key, Plan: lambda plan: plan.fingerprint})
def cached_figure(builder: Callable[..., go.Figure], plan: Plan, lang: str, **options: Any) -> go.Figure:
    """`builder(plan, lang, **options)`, built once for each distinct plan content, language and options."""
    return builder(plan, lang, **options)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={FunctionType: _function_key, Plan: lambda plan: plan.fingerprint})
def cached_value(compute: Callable[..., T], plan: Plan, **options: Any) -> T:
    """`compute(plan, **options)` once per plan content and options; callers only read the result."""
    return compute(plan, **options)
