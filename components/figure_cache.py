"""Figures kept between reruns and shared between sessions.

Most clicks rerun a page without changing what its big charts show (picking an
agency in a list reruns the whole agencies page); rebuilding a Plotly figure
for a plan of hundreds of agencies costs up to a second, so a figure is built
once per plan, language and options. The builders stay pure; this is the only
place that knows about the cache.
"""

from __future__ import annotations

from types import FunctionType
from typing import Any, Callable

import plotly.graph_objects as go
import streamlit as st

from components.model import Plan


# cache_resource, not cache_data: st.plotly_chart only reads a figure (it serialises a copy), and
# unpickling a large figure would re-validate it, costing as much as building it.
# A builder is known by its qualified name; a plan by its content.
@st.cache_resource(
    show_spinner=False,
    max_entries=64,
    hash_funcs={FunctionType: lambda f: f"{f.__module__}.{f.__qualname__}", Plan: lambda plan: plan.fingerprint},
)
def cached_figure(builder: Callable[..., go.Figure], plan: Plan, lang: str, **options: Any) -> go.Figure:
    """`builder(plan, lang, **options)`, built once for each distinct plan content, language and options."""
    return builder(plan, lang, **options)
