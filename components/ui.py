"""Small Streamlit helpers shared by pages: how a chart is shown and how plan text is printed."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Plan text is data: escape it before any element that renders Markdown, so `<script>` or `[x](javascript:…)` stays text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def show_figure(fig: go.Figure, *, key: str, filename: str) -> None:
    """Every chart gets a PNG download in its toolbar (rendered in the browser, no network)."""
    st.plotly_chart(
        fig,
        key=key,
        width="stretch",
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        },
    )
