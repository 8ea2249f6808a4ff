"""The Word assessment report, opened again with python-docx: the targets table, one paragraph per task,
references that resolve both ways, the charts, the styles and fields, both languages.

The progress log is a small made-up fixture (tests/exports/progress_fixture.yaml), so the assertions do not
move when the real log grows; the accepted reports are constructed here.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from components.analysis.progress import strip_pinyin_glosses
from components.analysis.responsibility import agency_name
from components.analysis.target_cards import card_for, latest_data_year
from components.exports.report_content import CUMULATIVE_CHART, Ref, grouped, ref_label, report_content, show_date
from components.figures.registry import CHARTS, INDICATOR_CHARTS
from components.i18n import t
from components.paths import ROOT
from components.plan.progress import Stage, load_progress_file
from components.plan.reports import AcceptedReport, Period, ProgressStatus
from tests.helpers import need_chromium

FIXTURE = ROOT / "tests" / "exports" / "progress_fixture.yaml"
GENERATED = dt.date(2026, 12, 2)
ANNEX_STYLES = {"Annex Entry", "Annex Detail", "Annex Quote"}
REF = re.compile(r"\[(\d[\d,–\s]*)\]")
CJK = re.compile(r"[\u3400-\u9fff]")


def accepted(report_id: int, task: int, agency: str, year: int, *, stage: Stage | None = None) -> AcceptedReport:
    return AcceptedReport(
        report_id=report_id,
        version=2,
        task=task,
        agency=agency,
        period=Period(year),
        stage=stage,
        status=ProgressStatus.on_track,
        done=f"报告 {report_id}:按计划推进。",
        next_steps="继续推进。",
        evidence_link="https://example.org/report",
        evidence_document=None,
        reported_by="reporter@example.org",
        reported_at=dt.datetime(year + 1, 1, 10, 9, 0),
        accepted_by="reviewer@example.org",
        accepted_at=dt.datetime(year + 1, 1, 20, 9, 0),
    )


REPORTS = (accepted(7, 27, "kjt", 2024), accepted(8, 2, "chengdu", 2025, stage=Stage.construction_started))


@pytest.fixture(scope="module")
def log(plan):
    result = load_progress_file(plan, FIXTURE)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


@pytest.fixture(scope="module")
def documents(plan, log) -> dict:
    """The report in both languages, built once for the module: lang → (content, Document)."""
    need_chromium()
    from components.exports.images import start_image_server
    from components.exports.report_docx import write_docx

    start_image_server()
    built = {}
    for lang in ("zh", "en"):
        content = report_content(plan, log, REPORTS, lang, generated=GENERATED)
        built[lang] = (content, Document(io.BytesIO(write_docx(content))))
    return built


def numbers(text: str) -> list[str]:
    """The numbers a cell or card shows, references and years in brackets left out."""
    return sorted(re.findall(r"\d[\d,]*(?:\.\d+)?", REF.sub("", text)))


def ref_numbers(text: str) -> set[int]:
    found: set[int] = set()
    for group in REF.findall(text):
        for part in group.split(","):
            first, _, last = part.strip().partition("–")
            found.update(range(int(first), int(last or first) + 1))
    return found


def body_and_annex(doc) -> tuple[list[str], list[str]]:
    """Texts of the body (paragraphs and table cells) and the annex entries' first lines."""
    body = [p.text for p in doc.paragraphs if p.style.name not in ANNEX_STYLES]
    body += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    annex = [p.text for p in doc.paragraphs if p.style.name == "Annex Entry"]
    return body, annex


def task_gap(plan, number: int, lang: str) -> str:
    task = next(task for task in plan.tasks if task.number == number)
    return t("assessment.gap.task", lang, number=number, title=task.title.get(lang))


def task_paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.style.name == "Task Paragraph"]


# --------------------------------------------------------------------------- the targets table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_target_rows_show_what_the_targets_page_shows(documents, plan, lang):
    _, doc = documents[lang]
    table = doc.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == [t(f"docx.col.{c}", lang) for c in ("target", "worded", "value", "latest", "baseline", "status")]
    rows = table.rows[1:]
    assert len(rows) == len(plan.targets) == 6
    for row, target in zip(rows, plan.targets):
        card = card_for(plan, target, lang)
        name, worded, value, latest, baseline, status = (cell.text for cell in row.cells)
        assert name == card.title
        assert worded == target.comparator_text
        assert status == card.status_label
        assert f"{target.value:,g}" in value and str(target.target_year) in value
        assert numbers(latest) == numbers(card.latest)
        assert numbers(baseline) == numbers(card.baseline)
        assert ref_numbers(value) and (ref_numbers(latest) or not numbers(latest))
    notes = [REF.sub("", p.text) for p in doc.paragraphs if p.style.name == "Note"]
    for target in plan.targets:
        card = card_for(plan, target, lang)
        for words in (*card.caveats, card.newer):
            if words:
                assert t("docx.target_note", lang, name=card.title, note=words, ref="") in notes


def test_target_statuses_are_the_judged_ones(documents, plan):
    """The statuses the bundled data gives today, so a change in the status rules or the table shows here."""
    _, doc = documents["zh"]
    statuses = {target.id: row.cells[5].text for target, row in zip(plan.targets, doc.tables[0].rows[1:])}
    assert statuses["hightech_enterprises"] == t("status.achieved_early", "zh")
    assert statuses["hv_invention_patents"] == t("status.no_data", "zh")
    latest = {target.id: row.cells[3].text for target, row in zip(plan.targets, doc.tables[0].rows[1:])}
    assert latest["hv_invention_patents"] == t("docx.cell.none", "zh")
    assert "18,000" in latest["hightech_enterprises"]


# --------------------------------------------------------------------------- the tasks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_paragraph_per_task_naming_its_units(documents, plan, lang):
    _, doc = documents[lang]
    paragraphs = task_paragraphs(doc)
    assert len(paragraphs) == len(plan.tasks) == 27
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 3" and p.text[:1].isdigit()]
    assert headings == [t("docx.task.heading", lang, number=task.number, title=task.title.get(lang)) for task in plan.tasks_in_order]
    separator = t("docx.list_separator", lang)
    for paragraph, task in zip(paragraphs, plan.tasks_in_order):
        assert separator.join(agency_name(plan, a, lang) for a in task.lead) in paragraph.text
        assert separator.join(agency_name(plan, a, lang) for a in task.support) in paragraph.text


def test_evidence_in_date_order_with_stage_and_source(documents, plan):
    content, doc = documents["zh"]
    first = task_paragraphs(doc)[0].text
    approved, unveiled = first.index("测试:科学中心方案获批"), first.index("测试:科学城揭牌")
    assert approved < unveiled
    assert "2022年11月" in first and "2023年5月10日" in first
    assert t("stage.approved", "zh") in first and t("stage.unveiled", "zh") in first
    assert "12 个(规划设施)" in first.replace("（", "(").replace("）", ")")
    same_source = ref_numbers(first[approved:unveiled]) & ref_numbers(first[unveiled:])
    assert same_source, "two entries read in one article share its reference number"
    assert content.tasks[0].evidence == 2 and content.tasks[1].evidence == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_task_without_entries_reads_no_public_evidence_found(documents, plan, lang):
    content, doc = documents[lang]
    last = task_paragraphs(doc)[26].text
    assert t("docx.no_evidence", lang) in last
    assert content.tasks[26].evidence == 0 and content.tasks[26].reports == 1
    gaps = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert list(content.gaps) == gaps
    assert task_gap(plan, 27, lang) in gaps and task_gap(plan, 1, lang) not in gaps
    assert sum(gap in gaps for gap in (task_gap(plan, n, lang) for n in range(1, 28))) == 27 - 4  # tasks 1, 2, 3, 5 have entries


def test_accepted_reports_are_cited_as_agency_reports(documents, plan):
    content, doc = documents["zh"]
    last = task_paragraphs(doc)[26].text
    assert agency_name(plan, "kjt", "zh") in last and t("reports.status.on_track", "zh") in last
    clause = t(
        "docx.report.clause",
        "zh",
        agency=agency_name(plan, "chengdu", "zh"),
        period=t("docx.period.year", "zh", year=2025),
        status=t("reports.status.on_track", "zh"),
        stage=t("docx.report.stage", "zh", stage=t("stage.construction_started", "zh")),
        date=t("docx.date.day", "zh", year=2026, month=1, day=20),
        ref="",
    )
    assert clause in REF.sub("", task_paragraphs(doc)[1].text)
    reports = [entry for entry in content.annex if t("docx.mark.agency_report", "zh") in entry.marks]
    assert len(reports) == 2
    assert {entry.quotes[0] for entry in reports} == {"报告 7:按计划推进。", "报告 8:按计划推进。"}


# --------------------------------------------------------------------------- references and the annex


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_reference_resolves_and_every_source_is_cited(documents, lang):
    content, doc = documents[lang]
    body, annex = body_and_annex(doc)
    cited = set().union(*(ref_numbers(text) for text in body))
    listed = [int(REF.match(line).group(1)) for line in annex]
    assert listed == list(range(1, len(content.annex) + 1))
    assert cited == set(listed)


def test_identical_sources_are_listed_once_with_their_caveats(documents):
    content, doc = documents["zh"]
    _, annex = body_and_annex(doc)
    assert sum("https://example.org/a" in line for line in annex) == 1
    by_address = {entry.address: entry for entry in content.annex}
    assert by_address["https://example.org/b"].marks == [t("progress.caveat.repost", "zh")]
    assert by_address["https://example.org/d"].marks == [t("progress.caveat.secondhand", "zh")]
    traditional = by_address["https://example.org/c"]
    assert traditional.marks == [t("progress.caveat.traditional", "zh")]
    assert traditional.quotes == ["測試原文丁:創新平臺建成。"]
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Annex Quote"]
    assert any("測試原文丁:創新平臺建成。" in q for q in quotes)
    uses = [use for entry in content.annex for use in entry.uses]
    arithmetic = "算式：10200 ÷ 1.251 ≈ 8150(2021年:比上年增长25.1%;1.02万本身是约数)"
    assert any(t("flag.derived", "zh") in use and arithmetic in use for use in uses)


def test_the_annex_gives_the_arithmetic_in_the_reports_language(documents):
    content, _ = documents["en"]
    uses = [use for entry in content.annex for use in entry.uses]
    arithmetic = "arithmetic: 10200 ÷ 1.251 ≈ 8150 (2021: 比上年增长25.1%; 1.02万 is itself rounded)"
    assert any(t("flag.derived", "en") in use and arithmetic in use for use in uses)


def test_the_plan_is_reference_one(documents, plan):
    content, _ = documents["zh"]
    first = content.annex[0]
    assert first.number == 1 and plan.meta.doc_number in first.title
    assert first.address == plan.source_by_id["plan_text"].read_at
    assert [target.quote for target in plan.targets] == [q for q in first.quotes if q in {tg.quote for tg in plan.targets}]


# --------------------------------------------------------------------------- charts, styles, fields


def test_one_picture_per_indicator_chart_at_text_width(documents, plan):
    content, doc = documents["zh"]
    expected = [cid for cid in [*INDICATOR_CHARTS, CUMULATIVE_CHART] if CHARTS[cid].available(plan)]
    assert [chart.chart_id for chart in content.charts] == expected
    assert len(doc.inline_shapes) == len(expected) == 8
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for shape in doc.inline_shapes:
        assert abs(shape.width - text_width) < Cm(0.05)  # page sizes are stored in twentieths of a point
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith("图")]
    assert len(captions) == 8 and all(ref_numbers(c) for c in captions)
    images = [part for part in doc.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 8 and all(len(part.blob) > 20_000 for part in images)


def test_a4_styles_fonts_page_numbers_and_contents(documents):
    _, doc = documents["zh"]
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    for name in ("Normal", "Body Text", "Heading 1", "Heading 2", "Heading 3", "Title", "Caption"):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")).startswith("Noto "), name
        assert fonts.get(qn("w:asciiTheme")) is None, name
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    body = doc.element.body.xml
    assert 'TOC \\o "1-2"' in body
    toc = [p.text for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2") and p.text]
    assert toc[:2] == [t("docx.h.summary", "zh"), t("docx.h.overall", "zh")]
    assert t("docx.h.annex", "zh") in toc
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    references = [r for p in task_paragraphs(doc) for r in p.runs if REF.fullmatch(r.text)]
    assert references and all(r.style.name == "Reference" for r in references)


def test_english_headings_and_fixed_phrases(documents, plan):
    _, doc = documents["en"]
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1 == [t(f"docx.h.{key}", "en") for key in ("summary", "targets", "tasks", "workload", "gaps", "annex")]
    for paragraph in doc.paragraphs:
        if paragraph.style.name in ("Heading 1", "Heading 2", "Heading 3", "Caption", "toc 1", "toc 2"):
            assert not CJK.search(paragraph.text), paragraph.text
    assert doc.paragraphs[1].text == t("docx.subtitle", "en")
    assert sum(t("docx.no_evidence", "en") in p.text for p in task_paragraphs(doc)) == 27 - 4


def test_workload_table_counts_each_agency(documents, plan):
    from components.analysis.responsibility import workload

    _, doc = documents["zh"]
    table = doc.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    expected = workload(plan)
    assert len(rows) == len(expected)
    for row, load in zip(rows, expected):
        assert row[0] == agency_name(plan, load.agency, "zh", mark_group=True)
        assert row[2:] == [str(load.lead), str(load.support), str(load.total)]


# --------------------------------------------------------------------------- content without a document


def test_as_of_keeps_only_what_was_known_then(plan, log):
    content = report_content(plan, log, REPORTS, "zh", generated=GENERATED, as_of=2022)
    for row in content.targets:
        years = [int(n) for n in re.findall(r"(20\d\d)", "".join(p for p in row.latest if isinstance(p, str)))]
        assert all(year <= 2022 for year in years), row
    assert [task.evidence for task in content.tasks[:3]] == [1, 0, 0]
    assert all(task.reports == 0 for task in content.tasks)  # both reports were accepted after 2022
    assert t("docx.as_of.year", "zh", year=2022) in content.info[2]
    later = report_content(plan, log, REPORTS, "zh", generated=GENERATED, as_of=2025)
    assert later.tasks[2].evidence == 0  # published 2026-02-01
    assert report_content(plan, log, REPORTS, "zh", generated=GENERATED).tasks[2].evidence == 1


def test_without_a_log_every_task_has_no_public_evidence(plan):
    content = report_content(plan, None, (), "zh", generated=GENERATED)
    assert all(t("docx.no_evidence", "zh") in "".join(p for p in task.paragraph if isinstance(p, str)) for task in content.tasks)
    assert all(task_gap(plan, n, "zh") in content.gaps for n in range(1, 28))
    assert content.info[2] == t("docx.info.as_of", "zh", as_of=t("docx.as_of.data", "zh", data_year=latest_data_year(plan)))


def test_summary_counts_come_from_the_assessment(plan, log):
    content = report_content(plan, log, REPORTS, "en", generated=GENERATED)
    tasks = t("assessment.tasks.summary", "en", total=27, evidenced=4, none=23, overall=1, as_of=show_date(log.as_of, "en"))
    assert content.summary[3][0].startswith(tasks)
    for stage in ("completed", "construction_started", "unveiled", "policy_issued"):  # the furthest stage of tasks 5, 2, 1, 3
        assert t("docx.summary.count", "en", label=t(f"stage.{stage}", "en"), count=1) in content.summary[3][0]
    assert t("stage.approved", "en") not in content.summary[3][0]  # task 1 got further than approval
    assert content.summary[4][0] == t("docx.summary.reports", "en", reported=2, reports=2)
    assert len(content.overall) == 1 and "230" in "".join(p for p in content.overall[0] if isinstance(p, str))


def test_adjacent_references_share_one_bracket():
    assert ref_label([5, 3, 4, 8, 3]) == "[3–5, 8]"
    assert ref_label([1, 2]) == "[1, 2]"
    assert grouped(("a", Ref(2), Ref(1), "b", Ref(4))) == ["a", [2, 1], "b", [4]]


def test_the_bundled_log_gives_a_fully_sourced_report(plan):
    """The real data/progress.yaml: every task paragraph built, every reference in the body resolving, every source cited."""
    from components.paths import PROGRESS_LOG

    log = load_progress_file(plan, PROGRESS_LOG)
    assert log.problems == (), "\n".join(map(str, log.problems))
    content = report_content(plan, log.value, (), "zh", generated=GENERATED)
    paras = [*content.summary, *content.overall, content.workload_caption]
    paras += [cell for row in content.targets for cell in (row.target, row.latest, row.baseline, *row.notes)]
    paras += [chart.caption for chart in content.charts] + [task.paragraph for task in content.tasks]
    cited = {part.number for para in paras for part in para if isinstance(part, Ref)}
    assert cited == {entry.number for entry in content.annex} == set(range(1, len(content.annex) + 1))
    assert len(content.tasks) == 27
    quoted = {quote for entry in content.annex for quote in entry.quotes}
    shown = {strip_pinyin_glosses(e.quote) if e.source.traditional else e.quote for e in log.value.entries}
    assert shown <= quoted  # every entry's quote is in the annex


def test_a_long_title_and_control_characters_still_make_a_report(plan):
    """Plan text with a control character or U+FFFF, or a title over 255 characters, made python-docx refuse the whole file."""
    import dataclasses

    from components.exports.report_docx import write_docx

    content = report_content(plan, None, REPORTS, "zh", generated=GENERATED)
    task = content.sections[0].tasks[0]
    content = dataclasses.replace(
        content,
        title="评估\x0b报告\uffff" * 100,
        charts=(),
        summary=(("摘要\x01一",),),
        sections=(dataclasses.replace(content.sections[0], tasks=(dataclasses.replace(task, heading="任务\ufffe一"),)),),
    )
    doc = Document(io.BytesIO(write_docx(content)))
    assert len(doc.core_properties.title) == 255 and doc.core_properties.title.endswith("…")
    texts = [p.text for p in doc.paragraphs]
    assert "评估报告" * 100 in texts and "摘要一" in texts
