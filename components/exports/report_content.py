"""The Word report's content as data: every sentence with a number assembled from the plan, the progress log and
the accepted reports, every figure and entry carrying a reference to the annex.

`exports/report_docx.py` lays this out; tests read it without opening a document. References are numbered in the
order the body first cites them, and identical sources (same publisher, title and address) share one number, so
the annex lists each document once with everything the body takes from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from components.analysis.assessment import PlanAssessment, TargetOutcome, assess_plan, data_gaps
from components.analysis.progress import TaskEvidence, overall_entries, strip_pinyin_glosses
from components.analysis.responsibility import agency_name, kind_label, workload
from components.analysis.target_cards import card_for, latest_data_year, newer_observation
from components.analysis.targets import Status, charted_observations, flag_words, format_amount, status_words
from components.figures.registry import CHARTS, INDICATOR_CHARTS
from components.i18n import t
from components.plan.model import Observation, Plan, QuantityKind
from components.plan.progress import Entry, ProgressLog, date_key, date_precision, date_year
from components.plan.reports import AcceptedReport, Period

CUMULATIVE_CHART = "tech_contract_cumulative"


@dataclass(frozen=True)
class Ref:
    """A bracketed reference number in the body, "[n]", resolving to annex entry n."""

    number: int


Inline = str | Ref
Para = tuple[Inline, ...]


def ref_label(numbers: Sequence[int]) -> str:
    """Adjacent references in one bracket, runs of three or more as a range: [3–5, 8]."""
    ordered = sorted(set(numbers))
    groups: list[list[int]] = []
    for n in ordered:
        if groups and n == groups[-1][-1] + 1:
            groups[-1].append(n)
        else:
            groups.append([n])
    parts = [f"{g[0]}–{g[-1]}" if len(g) >= 3 else ", ".join(map(str, g)) for g in groups]
    return f"[{', '.join(parts)}]"


def grouped(para: Para) -> list[str | list[int]]:
    """The text pieces, with each run of adjacent references gathered into one list of numbers."""
    out: list[str | list[int]] = []
    for part in para:
        if isinstance(part, Ref):
            if out and isinstance(out[-1], list):
                out[-1].append(part.number)
            else:
                out.append([part.number])
        elif part:
            out.append(part)
    return out


def para_text(para: Para) -> str:
    return "".join(part if isinstance(part, str) else ref_label(part) for part in grouped(para))


@dataclass
class AnnexEntry:
    """One source document, with what the body takes from it: the uses in words (with their caveats) and verbatim quotes."""

    number: int
    publisher: str
    title: str
    date: str  # as precise as the source gives it; "" when it gives none
    address: str  # where it was read; "" when none was recorded
    marks: list[str] = field(default_factory=list)  # caveats of the copy itself: repost, traditional characters, secondary, agency report
    uses: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    def add(self, marks: Sequence[str] = (), use: str = "", quote: str = "") -> None:
        for mark in marks:
            if mark not in self.marks:
                self.marks.append(mark)
        if use and use not in self.uses:
            self.uses.append(use)
        if quote and quote not in self.quotes:
            self.quotes.append(quote)


class Citations:
    """One numbering for the whole document, in the order the body cites."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], AnnexEntry] = {}

    def cite(
        self, key: tuple[str, ...], publisher: str, title: str, date: str, address: str, *, marks=(), use: str = "", quote: str = ""
    ) -> Ref:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = AnnexEntry(len(self._entries) + 1, publisher, title, date, address)
        entry.add(marks, use, quote)
        return Ref(entry.number)

    def document(self, publisher: str, title: str, date: str, address: str, **extra) -> Ref:
        return self.cite(("document", publisher, title, address), publisher, title, date, address, **extra)

    def annex(self) -> tuple[AnnexEntry, ...]:
        return tuple(sorted(self._entries.values(), key=lambda entry: entry.number))


@dataclass(frozen=True)
class TargetRow:
    target_id: str
    name: str
    worded: str  # the comparator as the plan words it (左右, 达到, 超过 …)
    target: Para
    latest: Para
    baseline: Para
    status: Status
    status_label: str
    notes: tuple[Para, ...]  # the card's caveats of the latest value, and a newer uncharted value, each cited


@dataclass(frozen=True)
class ChartPart:
    chart_id: str
    caption: Para


@dataclass(frozen=True)
class TaskPart:
    number: int
    heading: str
    paragraph: Para
    evidence: int  # public evidence entries cited
    reports: int  # accepted agency reports cited


@dataclass(frozen=True)
class SectionPart:
    heading: str
    tasks: tuple[TaskPart, ...]


@dataclass(frozen=True)
class ReportContent:
    plan: Plan  # the plan as of the report's year: its observations are the ones the body and the charts use
    lang: str
    title: str
    subtitle: str
    info: tuple[str, ...]
    summary: tuple[Para, ...]
    overall: tuple[Para, ...]
    target_header: tuple[str, ...]
    targets: tuple[TargetRow, ...]
    target_notes: tuple[str, ...]
    charts: tuple[ChartPart, ...]
    sections: tuple[SectionPart, ...]
    workload_header: tuple[str, ...]
    workload: tuple[tuple[str, ...], ...]
    workload_caption: Para
    gaps: tuple[str, ...]
    annex: tuple[AnnexEntry, ...]

    @property
    def tasks(self) -> tuple[TaskPart, ...]:
        return tuple(task for section in self.sections for task in section.tasks)


# --------------------------------------------------------------------------- small formatters


def sentence(key: str, lang: str, refs: Sequence[Ref] = (), **values: object) -> Para:
    """A translated sentence with the references placed where its `{ref}` field stands."""
    text = t(key, lang, ref="\0", **values)
    before, _, after = text.partition("\0")
    return tuple(part for part in (before, *dict.fromkeys(refs), after) if part != "")


def show_date(value: str | dt.date, lang: str) -> str:
    """A date at the precision it is known (2022, 2022-11 or 2022-11-23) in the language's form."""
    value = value.isoformat() if isinstance(value, dt.date) else value
    year, month, day = date_key(value)
    return t(f"docx.date.{date_precision(value)}", lang, year=year, month=month, day=day)


def period_label(period: Period, lang: str) -> str:
    if period.quarter is None:
        return t("docx.period.year", lang, year=period.year)
    return t("docx.period.quarter", lang, year=period.year, quarter=period.quarter)


def number(value: float) -> str:
    """A count as its source gives it: no trailing zeros, thousands grouped."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")


def joined(items: Sequence[str], lang: str) -> str:
    return t("docx.list_separator", lang).join(items)


# --------------------------------------------------------------------------- as of a year


def plan_as_of(plan: Plan, year: int | None) -> Plan:
    """The plan with only the observations of `year` and before (validated again, so its cached fingerprint is its own)."""
    if year is None:
        return plan
    data = plan.model_dump(mode="json")
    data["observations"] = [o for o, obs in zip(data["observations"], plan.observations) if obs.year <= year]
    return Plan.model_validate(data)


def log_as_of(log: ProgressLog | None, year: int | None) -> ProgressLog | None:
    if log is None or year is None:
        return log
    return log.model_copy(update={"entries": [entry for entry in log.entries if known_by(entry, year)]})


def known_by(entry: Entry, year: int | None) -> bool:
    """Public by the end of `year`: the publication date when the source gives one, else the event date."""
    return year is None or date_year(entry.published or entry.date) <= year


def accepted_by(report: AcceptedReport, year: int | None) -> bool:
    return year is None or report.accepted_at.year <= year


# --------------------------------------------------------------------------- citing


def plan_document(plan: Plan, cites: Citations, lang: str, *, use: str = "", quote: str = "") -> Ref:
    """The plan itself: its own source entry when the plan lists one (titled with its document number), else its metadata."""
    meta = plan.meta
    own = next((s for s in plan.sources if meta.doc_number in s.title), None)
    if own is not None:
        return source_ref(plan, own.id, cites, use=use, quote=quote)
    return cites.document(meta.issuer.get(lang), meta.title.get(lang), meta.issue_date.isoformat(), "", use=use, quote=quote)


def source_ref(plan: Plan, source_id: str, cites: Citations, *, use: str = "", quote: str = "") -> Ref:
    source = plan.source_by_id[source_id]
    date = source.date.isoformat() if source.date else ""
    return cites.document(source.publisher, source.title, date, source.read_at or "", use=use, quote=quote)


def observation_ref(plan: Plan, obs: Observation, cites: Citations, lang: str) -> Ref:
    """The source of one value; the annex says which value, with its caveats, arithmetic and note in words."""
    indicator = plan.indicator_by_id[obs.indicator]
    words = [
        status_words(obs, lang),
        t("docx.derivation", lang, arithmetic=obs.derivation.get(lang)) if obs.derivation else "",
        t("docx.charted_not", lang) if not obs.charted else "",
        obs.note.get(lang) if obs.note else "",
    ]
    caveats = joined([word for word in words if word], lang)
    use = t(
        "docx.use.observation",
        lang,
        indicator=indicator.name.get(lang),
        region=plan.region_by_id[obs.region].name.get(lang),
        year=obs.year,
        value=format_amount(obs.value, indicator.decimals),
        unit=indicator.unit.get(lang),
        caveats=t("docx.caveats", lang, words=caveats) if caveats else "",
    )
    return source_ref(plan, obs.source, cites, use=use, quote=obs.quote)


def entry_ref(entry: Entry, cites: Citations, lang: str) -> Ref:
    source = entry.source
    marks = [t(f"progress.caveat.{flag}", lang) for flag in ("repost", "traditional", "secondhand") if getattr(source, flag)]
    quote = strip_pinyin_glosses(entry.quote) if source.traditional else entry.quote
    use = t("docx.use.entry", lang, date=show_date(entry.date, lang), summary=entry.summary.get(lang))
    return cites.document(source.publisher, source.title, entry.published or "", source.url, marks=marks, use=use, quote=quote)


def report_ref(plan: Plan, report: AcceptedReport, cites: Citations, lang: str) -> Ref:
    agency = plan.agency_by_id.get(report.agency)
    publisher = agency.name.get(lang) if agency else report.agency
    title = t("docx.report.title", lang, task=report.task, period=period_label(report.period, lang), version=report.version)
    marks = [
        t("docx.mark.agency_report", lang),
        t("docx.report.people", lang, reporter=report.reported_by, reviewer=report.accepted_by),
    ]
    if report.evidence_document:
        marks.append(t("docx.report.document", lang, name=report.evidence_document))
    return cites.cite(
        ("report", str(report.report_id), str(report.version)),
        publisher,
        title,
        report.accepted_at.date().isoformat(),
        report.evidence_link or "",
        marks=marks,
        quote=report.done,
    )


# --------------------------------------------------------------------------- the parts


def _target_row(plan: Plan, outcome: TargetOutcome, cites: Citations, lang: str) -> TargetRow:
    """A row of the targets table: the card's status word, the assessment's latest figure with its caveats, each value cited."""
    target, result = outcome.target, outcome.result
    card = card_for(plan, target, lang, result)
    indicator = plan.indicator_by_id[target.indicator]
    unit = indicator.unit.get(lang)
    plan_ref = plan_document(plan, cites, lang, use=t("docx.use.target", lang, name=target.name.get(lang)), quote=target.quote)
    target_cell = sentence("docx.cell.target", lang, [plan_ref], value=f"{target.value:,g}", unit=unit, year=target.target_year)
    series = charted_observations(plan.observations, target.indicator, target.region)
    latest_refs: list[Ref] = []
    if result.latest is None:
        latest: Para = (t("docx.cell.none", lang),)
    else:
        if target.kind is QuantityKind.cumulative and target.window is not None:
            used = [o for o in series if target.window.start <= o.year <= result.latest.year]
            key = "docx.cell.cumulative"
        else:
            used = [o for o in series if o.year == result.latest.year]
            key = "docx.cell.value"
        caveats = flag_words(outcome.latest_flags, lang) if len(used) > 1 else status_words(used[0], lang)
        latest_refs = [observation_ref(plan, o, cites, lang) for o in used]
        latest = sentence(
            key,
            lang,
            latest_refs,
            value=format_amount(result.latest.value, indicator.decimals),
            unit=unit,
            year=result.latest.year,
            caveats=t("docx.caveats", lang, words=caveats) if caveats else "",
        )
    if target.kind is QuantityKind.cumulative and target.window is not None:
        baseline: Para = (t("card.window", lang, start=target.window.start, end=target.window.end),)
    elif result.baseline is not None:
        used = [o for o in series if o.year == result.baseline.year]
        baseline = sentence(
            "docx.cell.baseline",
            lang,
            [observation_ref(plan, o, cites, lang) for o in used],
            value=format_amount(result.baseline.value, indicator.decimals),
            unit=unit,
            year=result.baseline.year,
        )
    else:
        baseline = (t("docx.cell.none", lang),)
    name = target.name.get(lang)
    notes = [sentence("docx.target_note", lang, latest_refs, name=name, note=caveat) for caveat in card.caveats]
    newer = newer_observation(plan, target, result)
    if newer is not None:
        notes.append(sentence("docx.target_note", lang, [observation_ref(plan, newer, cites, lang)], name=name, note=card.newer))
    return TargetRow(target.id, name, target.comparator_text, target_cell, latest, baseline, card.status, card.status_label, tuple(notes))


def _chart_parts(plan: Plan, cites: Citations, lang: str, first_number: int) -> tuple[ChartPart, ...]:
    """The briefing's indicator charts that this plan has data for, each captioned with the sources of every value it draws."""
    parts = []
    for chart_id in [*INDICATOR_CHARTS, CUMULATIVE_CHART]:
        spec = CHARTS[chart_id]
        if not spec.available(plan):
            continue
        if chart_id == CUMULATIVE_CHART:
            targets = [tg for tg in plan.targets if tg.window is not None][:1]
            indicator, regions = targets[0].indicator, (targets[0].region,)
            related = []
        else:
            indicator, regions = INDICATOR_CHARTS[chart_id]
            targets = [tg for tg in plan.targets if tg.indicator == indicator and tg.region in regions and tg.window is None]
            related = [r for r in plan.related_targets if r.indicator == indicator and r.region in regions]
        refs: list[Ref] = []
        for target in targets:
            refs.append(plan_document(plan, cites, lang, use=t("docx.use.target", lang, name=target.name.get(lang)), quote=target.quote))
        for region in regions:
            refs += [observation_ref(plan, o, cites, lang) for o in charted_observations(plan.observations, indicator, region)]
        for other in related:
            use = t("docx.use.related", lang, name=other.target_set.get(lang), value=f"{other.value:,g}", year=other.target_year)
            refs.append(source_ref(plan, other.source, cites, use=use))
        unique = tuple(dict.fromkeys(refs))
        caption = sentence(
            "docx.chart.caption", lang, unique, number=first_number + len(parts), title=spec.title(lang), sources=len(unique)
        )
        parts.append(ChartPart(chart_id, caption))
    return tuple(parts)


def _evidence_clause(entry: Entry, cites: Citations, lang: str) -> Para:
    counts = [t("docx.count", lang, value=number(c.value), unit=c.unit.get(lang), counted_as=c.counted_as.get(lang)) for c in entry.counts]
    return sentence(
        "docx.evidence",
        lang,
        [entry_ref(entry, cites, lang)],
        date=show_date(entry.date, lang),
        summary=entry.summary.get(lang),
        stage=t(f"stage.{entry.stage.value}", lang),
        counts=t("docx.counts", lang, counts=joined(counts, lang)) if counts else "",
    )


def _report_clause(plan: Plan, report: AcceptedReport, cites: Citations, lang: str) -> Para:
    agency = plan.agency_by_id.get(report.agency)
    stage = t("docx.report.stage", lang, stage=t(f"stage.{report.stage.value}", lang)) if report.stage else ""
    return sentence(
        "docx.report.clause",
        lang,
        [report_ref(plan, report, cites, lang)],
        agency=agency.name.get(lang) if agency else report.agency,
        period=period_label(report.period, lang),
        status=t(f"reports.status.{report.status.value}", lang),
        stage=stage,
        date=show_date(report.accepted_at.date(), lang),
    )


LINE = "\n"  # a line break inside a paragraph: each piece of evidence starts a line, and the task stays one paragraph


def _task_part(plan: Plan, evidence: TaskEvidence, cites: Citations, lang: str) -> TaskPart:
    """One paragraph: the units (cited to the plan), then a line per piece of public evidence by date, then per accepted report."""
    task, entries, reports = evidence.task, evidence.entries, evidence.reports
    names = lambda ids: joined([agency_name(plan, a, lang) for a in ids], lang)
    units = sentence(
        "docx.task.units" if task.support else "docx.task.lead_only",
        lang,
        [plan_document(plan, cites, lang, use=t("docx.use.tasks", lang))],
        lead=names(task.lead),
        support=names(task.support),
    )
    paragraph: list[Inline] = [*units]
    if entries:
        furthest = evidence.furthest_public
        paragraph.append(t("docx.task.evidence", lang, count=len(entries), stage=t(f"stage.{furthest.value}", lang) if furthest else ""))
        for entry in entries:
            paragraph += [LINE, *_evidence_clause(entry, cites, lang)]
    else:
        paragraph.append(t("docx.no_evidence", lang))
    if reports:
        paragraph += [LINE, t("docx.task.reports", lang, count=len(reports))]
        for report in reports:
            paragraph += [LINE, *_report_clause(plan, report, cites, lang)]
    heading = t("docx.task.heading", lang, number=task.number, title=task.title.get(lang))
    return TaskPart(task.number, heading, tuple(paragraph), len(entries), len(reports))


def _counts(counted: Sequence[tuple[str, int]], lang: str) -> str:
    return joined([t("docx.summary.count", lang, label=label, count=n) for label, n in counted if n], lang) or t("docx.none", lang)


def _summary(plan: Plan, log: ProgressLog | None, assessment: PlanAssessment, as_of_text: str, plan_ref: Ref, lang: str) -> list[Para]:
    """The plan in one sentence, what "as of" means, then the assessment's counts: statuses, final figures, tasks, stages, reports."""
    meta = plan.meta
    statuses = [(t(f"status.{s.value}", lang), sum(1 for o in assessment.targets if o.status is s)) for s in Status]
    final = len(assessment.targets_final)
    summary: list[Para] = [
        sentence(
            "docx.summary.plan",
            lang,
            [plan_ref],
            title=meta.title.get(lang),
            doc=meta.doc_number,
            issuer=meta.issuer.get(lang),
            date=show_date(meta.issue_date, lang),
            start=meta.period_start,
            end=meta.period_end,
            targets=len(plan.targets),
            tasks=len(plan.tasks),
            sections=len(plan.sections),
        ),
        (t("docx.summary.as_of", lang, as_of=as_of_text),),
        (
            t("docx.summary.targets", lang, count=len(assessment.targets), statuses=_counts(statuses, lang))
            + t(
                "assessment.targets.summary",
                lang,
                total=len(assessment.targets),
                final=final,
                missing=len(assessment.targets) - final,
                year=meta.target_year,
            ),
        ),
    ]
    if log is None:
        summary.append((t("docx.summary.no_log", lang),))
    else:
        tasks = t(
            "assessment.tasks.summary",
            lang,
            total=len(assessment.tasks),
            evidenced=len(assessment.tasks_with_evidence),
            none=len(assessment.tasks_without_evidence),
            overall=assessment.overall_entries,
            as_of=show_date(log.as_of, lang),
        )
        stages = [(t(f"stage.{tally.stage.value}", lang), len(tally.tasks_furthest)) for tally in reversed(assessment.stages)]
        summary.append((tasks + (t("docx.summary.stages", lang, stages=_counts(stages, lang)) if assessment.tasks_with_evidence else ""),))
    reports = sum(len(item.reports) for item in assessment.tasks)
    summary.append(
        (
            t("docx.summary.reports", lang, reported=len(assessment.tasks_with_reports), reports=reports)
            if reports
            else t("docx.summary.no_reports", lang),
        )
    )
    return summary


def report_content(
    plan: Plan,
    log: ProgressLog | None,
    reports: Sequence[AcceptedReport],
    lang: str,
    *,
    generated: dt.date,
    as_of: int | None = None,
) -> ReportContent:
    """Everything the document says, in body order (so references are numbered as a reader meets them).

    With `as_of`, the plan keeps the observations of that year and before, and the log and the reports what was
    published or accepted by the end of it; the assessment (`analysis/assessment.assess_plan`) is made of those.
    """
    plan, log = plan_as_of(plan, as_of), log_as_of(log, as_of)
    assessment = assess_plan(plan, log, [r for r in reports if accepted_by(r, as_of)])
    cites = Citations()
    meta = plan.meta
    if as_of is not None:
        as_of_text = t("docx.as_of.year", lang, year=as_of)
    elif log is not None:
        as_of_text = t("docx.as_of.log", lang, data_year=latest_data_year(plan), searched=show_date(log.as_of, lang))
    else:
        as_of_text = t("docx.as_of.data", lang, data_year=latest_data_year(plan))
    info = (
        t("docx.info.doc", lang, doc=meta.doc_number),
        t("docx.info.issuer", lang, issuer=meta.issuer.get(lang), date=show_date(meta.issue_date, lang)),
        t("docx.info.as_of", lang, as_of=as_of_text),
        t("docx.info.generated", lang, date=show_date(generated, lang)),
    )
    summary = _summary(plan, log, assessment, as_of_text, plan_document(plan, cites, lang, use=t("docx.use.meta", lang)), lang)
    overall = tuple(_evidence_clause(entry, cites, lang) for entry in overall_entries(log))

    rows = tuple(_target_row(plan, outcome, cites, lang) for outcome in assessment.targets)
    target_notes = [
        *[line.removeprefix("- ") for line in t("targets.status_rules", lang, baseline_year=meta.baseline_year).split("\n") if line],
        *[
            t("docx.window_note", lang, name=tg.name.get(lang), assumption=tg.window.assumption.get(lang))
            for tg in plan.targets
            if tg.window
        ],
    ]
    charts = _chart_parts(plan, cites, lang, 1)

    evidence = {item.task.number: item for item in assessment.tasks}
    sections = []
    for section_id, tasks in plan.tasks_by_section.items():
        section = plan.section_by_id[section_id]
        numeral = section.numeral if lang == "zh" else section.number  # 一、二 … in Chinese, 1, 2 … in English
        heading = t("docx.section", lang, numeral=numeral, title=section.title.get(lang))
        sections.append(SectionPart(heading, tuple(_task_part(plan, evidence[task.number], cites, lang) for task in tasks)))

    workload_rows = tuple(
        (
            agency_name(plan, w.agency, lang, mark_group=True),
            kind_label(plan.agency_by_id[w.agency].kind, lang),
            str(w.lead),
            str(w.support),
            str(w.total),
        )
        for w in workload(plan)
    )
    workload_caption = sentence(
        "docx.workload.caption",
        lang,
        [plan_document(plan, cites, lang, use=t("docx.use.tasks", lang))],
        number=2,
        agencies=len(workload_rows),
    )
    return ReportContent(
        plan=plan,
        lang=lang,
        title=meta.title.get(lang),
        subtitle=t("docx.subtitle", lang),
        info=info,
        summary=tuple(summary),
        overall=overall,
        target_header=tuple(t(f"docx.col.{col}", lang) for col in ("target", "worded", "value", "latest", "baseline", "status")),
        targets=rows,
        target_notes=tuple(target_notes),
        charts=charts,
        sections=tuple(sections),
        workload_header=tuple(t(f"docx.col.{col}", lang) for col in ("agency", "kind", "lead", "support", "total")),
        workload=workload_rows,
        workload_caption=workload_caption,
        gaps=tuple(data_gaps(plan, assessment, lang)),
        annex=cites.annex(),
    )
