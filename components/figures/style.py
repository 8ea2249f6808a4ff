"""One look for every chart: fonts that carry Chinese, palettes, readable sizes, whole-number years, and plan text made safe for Plotly labels."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from components.i18n import char_width, display_width

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

REGION_COLOURS = {"sichuan": "#c0392b", "chongqing": "#2471a3", "national": "#7f8c8d"}
SCENARIO_COLOUR = "#8e44ad"
TARGET_COLOUR = "#1e8449"
SECTION_COLOURS = ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5", "#d9d9d9"]


def apply_style(fig: go.Figure, *, title: str, y_title: str = "", source_note: str = "", height: int = 460) -> go.Figure:
    """Titles, fonts and a source footnote, so that a chart exported alone still says where its numbers come from.

    The style is merged into the builder's layout as plain dicts and the layout is set once: Plotly's
    `update_layout` validates key paths one by one and took 10 ms a figure, half the time of building an
    indicator chart (a page open and every what-if edit build one)."""
    fig.layout = styled_layout(_own_layout(fig), title=title, y_title=y_title, source_note=source_note, height=height)
    return fig


def styled_layout(layout: dict, *, title: str, y_title: str = "", source_note: str = "", height: int = 460, left: int = 60) -> dict:
    """`apply_style` on a layout dict, for a builder that makes its figure from traces and layout at once
    (every layout set on a figure is validated whole again). `left`: see `VALUE_AXIS_LEFT`."""
    style = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 20}},
        "font": {"family": FONT_FAMILY, "size": 14},
        "height": height,
        "margin": {"l": left, "r": 30, "t": 60, "b": 150 if source_note else 110},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    layout = _merged(layout, style)
    _style_axes(layout, "yaxis", {"title": {"text": y_title}, "gridcolor": "#e5e8ec", "zeroline": False})
    if source_note:
        note = {
            "text": source_note,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -135,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": 11, "color": "#5d6d7e"},
            "align": "left",
        }
        layout["annotations"] = [*layout.get("annotations", ()), note]
    return layout


def _own_layout(fig: go.Figure) -> dict:
    """The layout the builder set, without Plotly's default template: setting the layout puts that template
    back unvalidated, where passing it along would validate all of it again. No builder sets a template."""
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    return layout


def _merged(base: dict, over: dict) -> dict:
    """`over` laid onto `base` key by key, nested dicts merged as `update_layout` merges them."""
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merged(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _style_axes(layout: dict, kind: str, style: dict) -> None:
    """`style` on every axis of this kind the layout has (`yaxis`, `yaxis2`, …), as `update_yaxes` does, and on the first always."""
    for key in [k for k in layout if k == kind or (k.startswith(kind) and k[len(kind) :].isdigit())] or [kind]:
        layout[key] = _merged(layout.get(key, {}), style)


def trusted_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from this package's own trace and layout dicts, made without Plotly's validation.

    Validation coerces nothing in these dicts (the JSON of every indicator and contract chart, both languages,
    with and without a what-if edit, is byte-identical either way) but was four fifths of building one:
    9 ms of every what-if edit for the indicator chart alone, where 2 ms remain. Plan text in them is escaped
    with `plot_text` as everywhere. A test puts each of them through validation and checks that nothing changes,
    so a misspelt property still fails there."""
    return go.Figure(traces, layout=layout, _validate=False)


# Streamlit's chart theme as this app's light theme draws it, written into a figure's own layout.
SCREEN_LOOK = {
    "font": {"color": "#808495"},
    "title": {"font": {"color": "#1f2933", "weight": 700}, "pad": {"l": 4}},  # the theme writes titles in <b>
    "legend": {"font": {"size": 12, "color": "#262730"}},
    "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "rgba(31, 41, 51, 0.2)", "font": {"color": "#808495", "size": 12}},
    "margin": {"pad": 8},
    "paper_bgcolor": "#ffffff",
}
AXIS_LOOK = {
    "tickfont": {"color": "#808495", "size": 12},
    "title": {"font": {"color": "#808495", "size": 14}},
    "gridcolor": "#e6eaf1",
    "zerolinecolor": "#e6eaf1",
    "tickcolor": "#e6eaf1",
    "automargin": True,
}
SELF_STYLED = "self-styled"  # the figure's fixed `datarevision`, and how `show_figure` knows to draw it without a theme


def self_styled_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A `trusted_figure` that carries its look itself and has no template, for charts drawn again on every edit.

    Streamlit draws every new chart twice: first before its frame is measured, then in full again with the
    measured width, because the themed copy it hands Plotly has a new template and new arrays. With no
    template and a fixed `datarevision`, Plotly finds nothing to redraw the second time (8-13 ms instead of
    84-100 ms for the indicator chart, in Chromium). Drawn with `theme=None`, it looks as the theme drew it;
    the x axis has no grid, as under the theme."""
    looked = _merged(SCREEN_LOOK, layout)
    looked["xaxis"] = _merged({**AXIS_LOOK, "showgrid": False, "title": {**AXIS_LOOK["title"], "standoff": 20}}, layout.get("xaxis", {}))
    looked["yaxis"] = _merged({**AXIS_LOOK, "title": {**AXIS_LOOK["title"], "standoff": 24}}, layout.get("yaxis", {}))
    looked["datarevision"] = SELF_STYLED
    figure = trusted_figure(traces, looked)
    figure.layout.template = None  # set after making it: a figure made without one is given the default template
    return figure


def is_self_styled(fig: go.Figure) -> bool:
    return fig.layout.datarevision == SELF_STYLED


def trace(kind: str, **props) -> dict:
    """A trace as a plain dict: `Figure.add_trace` validates it once, where a `go.Scatter` is validated
    when made and again when added (a 9-trace indicator chart: 3 ms of traces instead of 8 ms)."""
    return {"type": kind, **props}


MAX_YEAR_TICKS = 20

# Room left of a value axis for Plotly's own tick labels (at most six characters: "-12.5k", "0.025") and the
# axis title. Streamlit's chart theme turns on the axes' `automargin`; when the margin a chart asks for is too
# small, Plotly draws the chart, widens the margin and draws it all again (60 px did not fit "2.5" and a title).
# The indicator chart is redrawn on every what-if edit. A wider label still widens the margin.
VALUE_AXIS_LEFT = 96


def year_axis(layout: dict, first: int, last: int) -> dict:
    """Integer ticks on a layout dict: without dtick and tickformat Plotly labels years like 2,021.5; a long
    span gets a tick every few years (a what-if year far from the data once drew a thousand)."""
    step = max(1, math.ceil((last - first + 1) / MAX_YEAR_TICKS))
    _style_axes(layout, "xaxis", {"dtick": step, "tickformat": "d", "range": [first - 0.5, last + 0.9]})
    return layout


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


def plotly_config(filename: str) -> dict:
    """The chart toolbar everywhere (page and HTML pack): a PNG download under a meaningful name, no Plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def plot_text(text: str) -> str:
    """Escape plan text for a Plotly label (Plotly reads <b>, <a href>, <br> … in labels)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap(text: str, width: int) -> str:
    """Escape, then break into lines of about `width` columns (a Chinese character counts two) joined by <br>.

    Removing the <br>s gives back exactly the escaped text (spaces are kept at line ends), so copied
    or scraped label text still reads as the original.
    """
    lines: list[str] = []
    for word in _chunks(text):
        if lines and display_width(lines[-1].rstrip()) + display_width(word) <= width:
            lines[-1] += word
        elif lines and word.startswith(" "):
            # the space stays at the end of the line it ends, so the joined lines still read as the original text
            lines[-1] += " "
            lines.append(word[1:])
        else:
            lines.append(word)
    return "<br>".join(plot_text(line) for line in lines)


def _chunks(text: str) -> list[str]:
    """Latin words stay whole (with their leading space) but may break after a dash, as in
    "industry–academia–research", too long for a column heading; each CJK character is its own chunk.

    Characters are gathered in lists and joined once: adding to a string in a list copies it, which made a
    long word quadratic."""
    chunks: list[list[str]] = []
    for ch in text:
        if char_width(ch) == 2 or not chunks or char_width(chunks[-1][-1]) == 2 or ch == " " or chunks[-1][-1] in "–—":
            chunks.append([ch])
        else:
            chunks[-1].append(ch)
    return ["".join(chunk) for chunk in chunks]


def _char_em(ch: str) -> float:
    """Rendered width in em: Chinese characters and dashes one em, others about half."""
    return 1.0 if char_width(ch) == 2 or ch in "—–" else 0.56


def label_width_px(text: str, font_px: float) -> float:
    """Rough rendered width of a label, for placing and shortening labels before Plotly draws them."""
    return font_px * sum(map(_char_em, text)) + 4


def fit_label(text: str, max_px: float, font_px: float) -> str:
    """The text, or as much of it as fits in `max_px` followed by "…": one pass over the text, however long."""
    if label_width_px(text, font_px) <= max_px:
        return text
    room = max_px - label_width_px("…", font_px)
    used, kept = 0.0, 0
    for ch in text:
        used += font_px * _char_em(ch)
        if used > room:
            break
        kept += 1
    return text[:kept].rstrip() + "…"
