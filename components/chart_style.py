"""One look for every chart: fonts that carry Chinese, readable sizes, whole-number years."""

from __future__ import annotations

import plotly.graph_objects as go

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

REGION_COLOURS = {"sichuan": "#c0392b", "chongqing": "#2471a3", "national": "#7f8c8d"}
SCENARIO_COLOUR = "#8e44ad"
TARGET_COLOUR = "#1e8449"


def apply_style(fig: go.Figure, *, title: str, y_title: str = "", source_note: str = "", height: int = 460) -> go.Figure:
    """Titles, fonts and a source footnote, so that a chart exported alone still says where its numbers come from."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 20}},
        font={"family": FONT_FAMILY, "size": 14},
        height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": 150 if source_note else 110},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    fig.update_yaxes(title_text=y_title, gridcolor="#e5e8ec", zeroline=False)
    if source_note:
        fig.add_annotation(
            text=source_note, xref="paper", yref="paper", x=0, y=0, yshift=-135, xanchor="left", yanchor="top",
            showarrow=False, font={"size": 11, "color": "#5d6d7e"}, align="left",
        )
    return fig


def year_axis(fig: go.Figure, first: int, last: int) -> go.Figure:
    """Integer ticks: without dtick and tickformat Plotly labels years like 2,021.5."""
    fig.update_xaxes(dtick=1, tickformat="d", range=[first - 0.5, last + 0.9], gridcolor="#f0f2f5")
    return fig


def count_ticks(top: float, step: int = 1, max_ticks: int = 15) -> dict:
    """Ticks at every `step` for a small count axis; for a large one Plotly's own spacing
    (a tick every 2 on an axis up to 280 drew 140 labels and took a second on a 340-agency plan)."""
    return {"dtick": step, "tickformat": "d"} if top / step <= max_ticks else {"tickformat": "d"}


def big_type(fig: go.Figure) -> go.Figure:
    """Briefing slides: labels of at least 20 px, larger titles."""
    fig.update_layout(font={"size": 20}, title={"font": {"size": 30}}, legend={"font": {"size": 20}})
    fig.update_xaxes(tickfont={"size": 20}, title_font={"size": 22})
    fig.update_yaxes(tickfont={"size": 20}, title_font={"size": 22})
    return fig
