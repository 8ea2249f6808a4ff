"""Figures of the progress log: the task × year coverage matrix, one task's timeline, and tasks by furthest stage.

Colour is a second cue only: every cell and bar says its count and stage in words, so the charts
read in black and white and for colour-blind readers. An empty cell reads "no public evidence found".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go

from components.analysis.assessment import PlanAssessment
from components.analysis.progress import STAGE_ORDER, Matrix, MatrixCell, SectionMatrix, date_text
from components.analysis.responsibility import section_label
from components.figures.style import apply_style, count_ticks, fit_label, plot_text, wrap
from components.i18n import t
from components.plan.model import Plan
from components.plan.progress import Entry, Stage, date_key
from components.plan.reports import AcceptedReport

# One colour per stage, light for the kinds below the ladder and darkening up it (sequential, colour-blind safe).
STAGE_COLOURS: dict[Stage, str] = {
    Stage.activity_held: "#f1eef6",
    Stage.policy_issued: "#d7d3e8",
    Stage.call_opened: "#cbd0e6",
    Stage.projects_funded: "#bdc9e1",
    Stage.count_reported: "#a6bddb",
    Stage.approved: "#c7e9c0",
    Stage.unveiled: "#a1d99b",
    Stage.construction_started: "#74c476",
    Stage.topped_out: "#31a354",
    Stage.completed: "#238b45",
    Stage.accepted: "#005a32",
}
NONE_COLOUR = "#bdbdbd"
REPORT_COLOUR = "#2471a3"


def stage_colourscale() -> list[list]:
    """A stepped colourscale over stage ranks 0..n-1, so z = rank picks the stage's colour exactly."""
    steps = len(STAGE_ORDER)
    scale: list[list] = []
    for rank, stage in enumerate(STAGE_ORDER):
        scale += [[rank / steps, STAGE_COLOURS[stage]], [(rank + 1) / steps, STAGE_COLOURS[stage]]]
    return scale


def task_row_label(number: int, title: str, width_px: float = 230) -> str:
    return plot_text(fit_label(f"{number}. {title}", width_px, 12))


def coverage_heatmap(plan: Plan, matrix: Matrix, lang: str) -> go.Figure:
    """Rows are tasks grouped by section, columns years; a cell says how many entries and the furthest stage they reach."""
    rows = [[matrix.cell(task.number, year) for year in matrix.years] for task in matrix.tasks]
    labels = [task_row_label(task.number, task.title.get(lang)) for task in matrix.tasks]
    fig = _stage_heatmap(rows, labels, matrix.years, t("progress.matrix.title", lang), lang)
    _section_bands(fig, plan, matrix, lang)
    return fig


def section_heatmap(plan: Plan, matrix: SectionMatrix, lang: str) -> go.Figure:
    """The same cells summed up by section, one row each, for a plan with more tasks than rows can show."""
    rows = [[matrix.cell(section, year) for year in matrix.years] for section, _ in matrix.sections]
    labels = [
        plot_text(fit_label(t("progress.matrix.section_row", lang, section=section_label(plan, section, lang), tasks=count), 300, 12))
        for section, count in matrix.sections
    ]
    return _stage_heatmap(rows, labels, matrix.years, t("progress.matrix.sections_title", lang), lang)


def _stage_heatmap(rows: list[list[MatrixCell]], labels: list[str], years: Sequence[int], title: str, lang: str) -> go.Figure:
    z, text, hover = [], [], []
    for cells in rows:
        z_row, text_row, hover_row = [], [], []
        for cell in cells:
            if cell.furthest is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(plot_text(t("progress.matrix.none", lang)))
                continue
            z_row.append(STAGE_ORDER.index(cell.furthest))
            short = t(f"stage.short.{cell.furthest.value}", lang)
            text_row.append(plot_text(t("progress.matrix.cell", lang, count=cell.count, stage=short)))
            hover_row.append(plot_text(t("progress.matrix.hover", lang, count=cell.count, stage=t(f"stage.{cell.furthest.value}", lang))))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(year) for year in years],
            y=labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11},
            customdata=hover,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
            colorscale=stage_colourscale(),
            zmin=0,
            zmax=len(STAGE_ORDER),
            showscale=False,
            xgap=2,
            ygap=2,
            hoverongaps=True,
        )
    )
    # legend: one invisible marker per stage, so the colour key reads as words
    for stage in STAGE_ORDER:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": STAGE_COLOURS[stage], "line": {"width": 1, "color": "#888"}},
                name=plot_text(t(f"stage.{stage.value}", lang)),
                hoverinfo="skip",
            )
        )
    note = wrap(t("progress.matrix.note", lang), 120)
    apply_style(fig, title=title, source_note=note, height=max(420, 230 + 26 * len(rows)))
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)", type="category")
    fig.update_xaxes(side="top", type="category", gridcolor="rgba(0,0,0,0)")
    fig.update_layout(legend={"y": -0.02, "yanchor": "top"}, margin={"t": 100, "b": 190, "r": 175})
    return fig


def _section_bands(fig: go.Figure, plan: Plan, matrix: Matrix, lang: str) -> None:
    """A thin line above each section's first task and the section's name at the right, so rows read grouped."""
    previous = None
    for row, task in enumerate(matrix.tasks):
        if task.section == previous:
            continue
        previous = task.section
        if row:
            fig.add_shape(
                type="line", xref="paper", x0=0, x1=1, yref="y", y0=row - 0.5, y1=row - 0.5, line={"color": "#5d6d7e", "width": 1.5}
            )
        fig.add_annotation(
            text=plot_text(fit_label(section_label(plan, task.section, lang), 165, 11)),
            xref="paper",
            x=1.01,
            xanchor="left",
            yref="y",
            y=row,
            yanchor="middle",
            showarrow=False,
            font={"size": 11, "color": "#5d6d7e"},
        )


def _position(date: str) -> dt.date:
    """Where a date of any precision sits on a time axis: at the start of the period it names (hover gives it as written)."""
    year, month, day = date_key(date)
    return dt.date(year, month or 1, day or 1)


def timeline_figure(plan: Plan, number: int, entries: Sequence[Entry], reports: Sequence[AcceptedReport], lang: str) -> go.Figure:
    """One task's entries by date and stage: filled markers for day dates, hollow for month or year only; reports as diamonds."""
    fig = go.Figure()
    exact = [e for e in entries if e.date.count("-") == 2]
    coarse = [e for e in entries if e.date.count("-") < 2]
    for group, symbol, name_key in ((exact, "circle", "progress.timeline.exact"), (coarse, "circle-open", "progress.timeline.coarse")):
        if not group:
            continue
        fig.add_trace(
            go.Scatter(
                x=[_position(e.date) for e in group],
                y=[t(f"stage.{e.stage.value}", lang) for e in group],
                mode="markers",
                marker={
                    "symbol": symbol,
                    "size": 14,
                    "color": [STAGE_COLOURS[e.stage] for e in group],
                    "line": {"width": 2, "color": "#1f2933"},
                },
                name=plot_text(t(name_key, lang)),
                customdata=[[_entry_hover(e, lang)] for e in group],  # each line escaped by wrap(); escaping again showed &lt;br&gt;
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    if reports:
        fig.add_trace(
            go.Scatter(
                x=[r.accepted_at.date() for r in reports],
                y=[t(f"stage.{r.stage.value}", lang) if r.stage else t("progress.timeline.no_stage", lang) for r in reports],
                mode="markers",
                marker={"symbol": "diamond", "size": 14, "color": REPORT_COLOUR},
                name=plot_text(t("progress.timeline.reports", lang)),
                customdata=[[_report_hover(plan, r, lang)] for r in reports],
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    stages = [t(f"stage.{stage.value}", lang) for stage in STAGE_ORDER]
    task = next(task for task in plan.tasks if task.number == number)
    apply_style(
        fig,
        title=plot_text(fit_label(t("progress.timeline.title", lang, number=number, title=task.title.get(lang)), 1000, 20)),
        source_note=wrap(t("progress.timeline.note", lang), 150),
        height=540,
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=stages, range=[-0.5, len(stages) - 0.5])
    fig.update_xaxes(type="date", gridcolor="#f0f2f5")
    fig.update_layout(margin={"b": 190})
    return fig


def _entry_hover(entry: Entry, lang: str) -> str:
    lines = [
        date_text(entry.date, lang),
        t(f"stage.{entry.stage.value}", lang),
        entry.summary.get(lang),
        f"{entry.source.publisher} · {entry.source.title}",
    ]
    return "<br>".join(wrap(line, 60) for line in lines)


def _report_hover(plan: Plan, report: AcceptedReport, lang: str) -> str:
    agency = plan.agency_by_id.get(report.agency)
    lines = [
        t("progress.report.hover", lang, period=report.period.label, agency=agency.name.get(lang) if agency else report.agency),
        t(f"reports.status.{report.status.value}", lang),
        report.done,
        t("progress.report.accepted", lang, date=report.accepted_at.date().isoformat(), reviewer=report.accepted_by),
    ]
    return "<br>".join(wrap(line, 60) for line in lines)


def furthest_stage_bars(assessment: PlanAssessment, lang: str) -> go.Figure:
    """How many tasks reached each stage as their furthest, plus those with no public evidence found: the bars add up to all tasks."""
    rows = [
        (t(f"stage.{tally.stage.value}", lang), len(tally.tasks_furthest), STAGE_COLOURS[tally.stage], tally.tasks_furthest)
        for tally in assessment.stages
    ]
    rows.append((t("progress.no_evidence", lang), len(assessment.tasks_without_evidence), NONE_COLOUR, assessment.tasks_without_evidence))
    labels = [plot_text(label) for label, *_ in rows]
    fig = go.Figure(
        go.Bar(
            x=[count for _, count, _, _ in rows],
            y=labels,
            orientation="h",
            marker={"color": [colour for _, _, colour, _ in rows], "line": {"width": 1, "color": "#5d6d7e"}},
            text=[str(count) for _, count, _, _ in rows],
            textposition="outside",
            customdata=[[plot_text(t("progress.tasks_list", lang, tasks="、".join(map(str, tasks)) or "—"))] for *_, tasks in rows],
            hovertemplate="%{y}: %{x}<br>%{customdata[0]}<extra></extra>",
        )
    )
    top = max((count for _, count, _, _ in rows), default=1)
    apply_style(fig, title=t("assessment.stages.title", lang), source_note=wrap(t("assessment.stages.note", lang), 70), height=500)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title_text=plot_text(t("assessment.stages.axis", lang)), range=[0, top * 1.15 + 1], **count_ticks(top))
    fig.update_layout(showlegend=False)
    return fig
