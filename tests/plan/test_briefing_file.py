"""The briefing file: the bundled one is valid and every number its takeaways quote is the plan's; broken files are problems with lines."""

from __future__ import annotations

import pytest

from components.analysis.responsibility import shared_tasks, workload
from components.analysis.targets import Status, assess_target, charted_points, cumulative_points
from components.figures.registry import CHARTS
from components.paths import DEFAULT_BRIEFING
from components.plan.briefing_file import Briefing, Slide, load_briefing_file, load_briefing_text


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    result = load_briefing_file(CHARTS, DEFAULT_BRIEFING)
    assert result.problems == (), "\n".join(map(str, result.problems))
    assert result.ok
    return result.value


def slide_for(briefing: Briefing, chart: str) -> Slide:
    return next(s for s in briefing.slides if s.chart == chart)


# --------------------------------------------------------------------------- the file and its problems


def test_default_briefing_is_valid(briefing):
    assert 6 <= len(briefing.slides) <= 15
    assert {s.chart for s in briefing.slides} <= set(CHARTS)
    for slide in briefing.slides:
        for lang in ("zh", "en"):
            assert slide.title.get(lang) and slide.takeaway.get(lang)


def _yaml(slides: str) -> bytes:
    return ("schema_version: 1\ntitle: {zh: 简报, en: Briefing}\nslides:\n" + slides).encode("utf-8")


def test_unknown_chart_is_reported_with_line_and_path():
    raw = _yaml(
        "  - chart: rd_intensity_pct\n    title: {zh: 甲, en: A}\n    takeaway: {zh: 乙, en: B}\n"
        "  - chart: moon_landings\n    title: {zh: 甲, en: A}\n    takeaway: {zh: 乙, en: B}\n"
    )
    result = load_briefing_text(raw, "b.yaml", CHARTS)
    assert result.value is None
    [problem] = result.problems
    assert (problem.file, problem.line, problem.path) == ("b.yaml", 7, "slides[1].chart")
    assert "moon_landings" in problem.message and "rd_intensity_pct" in problem.message


def test_schema_problems_come_with_lines():
    raw = _yaml("  - chart: rd_intensity_pct\n    title: {zh: 甲}\n    takeaway: {zh: 乙, en: B}\n    colour: red\n")
    result = load_briefing_text(raw, "b.yaml", CHARTS)
    assert result.value is None
    found = {(p.path, p.line) for p in result.problems}
    assert ("slides[0].title.en", 5) in found
    assert ("slides[0].colour", 7) in found


def test_a_takeaway_is_one_line():
    raw = _yaml('  - chart: rd_intensity_pct\n    title: {zh: 甲, en: A}\n    takeaway:\n      zh: "第一行\\n第二行"\n      en: B\n')
    result = load_briefing_text(raw, "b.yaml", CHARTS)
    assert result.value is None
    assert result.problems[0].path == "slides[0].takeaway.zh"


@pytest.mark.parametrize("raw", [b"", b"- a list\n", b"slides: [\n", b"schema_version: 1\n"])
def test_broken_files_are_problems_not_crashes(raw):
    result = load_briefing_text(raw, "b.yaml", CHARTS)
    assert result.value is None and result.problems


def test_empty_briefing_is_refused():
    result = load_briefing_text(_yaml("  []\n").replace(b"slides:\n  []", b"slides: []"), "b.yaml", CHARTS)
    assert result.value is None


# --------------------------------------------------------------------------- the numbers the takeaways quote


def value(plan, indicator, region, year):
    return next(p.value for p in charted_points(plan.observations, indicator, region) if p.year == year)


def latest(plan, indicator, region):
    return charted_points(plan.observations, indicator, region)[-1]


def target(plan, target_id):
    return next(tg for tg in plan.targets if tg.id == target_id)


def quotes(slide, zh: list[str], en: list[str]) -> None:
    for text in zh:
        assert text in slide.takeaway.zh, f"{slide.chart}: {text!r} not in {slide.takeaway.zh!r}"
    for text in en:
        assert text in slide.takeaway.en, f"{slide.chart}: {text!r} not in {slide.takeaway.en!r}"


def test_takeaway_rd_intensity(plan, briefing):
    last = latest(plan, "rd_intensity_pct", "sichuan")
    before = value(plan, "rd_intensity_pct", "sichuan", last.year - 1)
    goal = target(plan, "rd_intensity")
    assert (last.year, last.value, before, goal.value, goal.comparator.value) == (2022, 2.14, 2.26, 2.5, "about")
    gap = round(goal.value - last.value, 2)
    quotes(
        slide_for(briefing, "rd_intensity_pct"),
        [f"{last.year}年为{last.value}%", f"{last.year - 1}年的{before}%", f"{goal.target_year}年{goal.value}%左右", f"还差{gap}个百分点"],
        [
            f"{last.value}% in {last.year}",
            f"{before}% in {last.year - 1}",
            f"{gap} points short",
            f"{goal.target_year} target of about {goal.value}%",
        ],
    )


def test_takeaway_rd_expenditure(plan, briefing):
    first = value(plan, "rd_expenditure_100m_yuan", "sichuan", 2015)
    last = latest(plan, "rd_expenditure_100m_yuan", "sichuan")
    chongqing = value(plan, "rd_expenditure_100m_yuan", "chongqing", last.year)
    assert last.year == 2024
    slide = slide_for(briefing, "rd_expenditure_100m_yuan")
    quotes(
        slide,
        [f"2015年的{first}亿元", f"{last.year}年的{last.value}亿元", f"{chongqing}亿元", f"{last.value / chongqing:.1f}倍"],
        [
            f"{first / 10:.2f} bn yuan in 2015",
            f"{last.value / 10:.2f} bn yuan in {last.year}",
            f"{chongqing / 10:.2f} bn",
            f"about {last.value / chongqing:.1f} times",
        ],
    )
    assert round(last.value / first) == 3
    assert "3倍" in slide.title.zh and "three times" in slide.title.en


def test_takeaway_hightech_enterprises(plan, briefing):
    last = latest(plan, "hightech_enterprises", "sichuan")
    goal = target(plan, "hightech_enterprises")
    assert last.value > goal.value and last.year < goal.target_year
    assert assess_target(plan, goal).status is Status.achieved_early
    quotes(
        slide_for(briefing, "hightech_enterprises"),
        [f"{last.year}年达{last.value / 1e4:g}万家", f"{goal.target_year}年{goal.value / 1e4:g}万家"],
        [f"{last.value:,.0f} high-tech enterprises in {last.year}", f"{goal.target_year} target of {goal.value:,.0f}"],
    )


def test_takeaway_technology_contracts(plan, briefing):
    goal = target(plan, "tech_contract_turnover")
    running = cumulative_points(charted_points(plan.observations, goal.indicator, goal.region), goal.window.start)
    last = running[-1]
    share = round(last.value / goal.value * 100)
    quotes(
        slide_for(briefing, "tech_contract_cumulative"),
        [
            f"{goal.window.start}—{last.year}年",
            f"累计{last.value:g}亿元",
            f"{goal.target_year}年累计{goal.value:g}亿元",
            f"{share}%",
            "假定",
        ],
        [f"{last.value / 10:g} bn yuan in {goal.window.start}–{last.year}", f"{share}%", f"{goal.value / 10:g} bn yuan target", "assumed"],
    )
    derived = [
        o.year
        for o in plan.observations
        if o.indicator == goal.indicator and o.region == goal.region and o.charted and "derived" in o.flags
    ]
    assert [year for year in derived if year >= goal.window.start] == [2022, 2024]
    quotes(slide_for(briefing, "tech_contract_cumulative"), ["2022、2024年为推算值", "33.6%"], ["2022 and 2024 are derived", "33.6%"])


def test_takeaway_hightech_revenue_share(plan, briefing):
    points = charted_points(plan.observations, "hightech_revenue_share_pct", "sichuan")
    goal = target(plan, "hightech_revenue_share")
    assert goal.comparator.value == "exceed"
    first, last = points[0], points[-1]
    quotes(
        slide_for(briefing, "hightech_revenue_share_pct"),
        [
            f"{first.year}年的{first.value}%",
            f"{last.year}年的{last.value}%",
            f"{goal.target_year}年超过{goal.value:g}%",
            f"{last.year}年后暂无",
        ],
        [
            f"{first.value}% in {first.year}",
            f"{last.value}% in {last.year}",
            f"above {goal.value:g}% in {goal.target_year}",
            f"after {last.year}",
        ],
    )


def test_takeaway_sections(plan, briefing):
    sizes = {s.id: sum(len(x.lead) + len(x.support) for x in plan.tasks if x.section == s.id) for s in plan.sections}
    biggest = max(sizes, key=sizes.get)
    assert sorted(sizes.values())[-1] > sorted(sizes.values())[-2], "the largest section must be unique to be named"
    section = plan.section_by_id[biggest]
    slide = slide_for(briefing, "sections_overview")
    quotes(
        slide,
        [f"{len(plan.tasks)}项重点任务分属{len(plan.sections)}个板块", f"“{section.title.zh}”", f"({sizes[biggest]}个)"],
        [f"{len(plan.tasks)} tasks fall into {len(plan.sections)} sections", f"({sizes[biggest]})", "commercialising research results"],
    )
    assert "commercialisation of research results" in section.title.en
    assert str(len(plan.tasks)) in slide.title.zh


def test_takeaway_agency_leads(plan, briefing):
    rows = workload(plan, lead_only=True)
    top, others = rows[0], [r for r in rows[1:] if r.lead]
    assert top.agency == "kjt"
    name = plan.agency_by_id["kjt"]
    quotes(
        slide_for(briefing, "agency_leads"),
        [
            f"{name.name.zh}牵头{len(plan.tasks)}项任务中的{top.lead}项",
            f"{len(others)}个单位各牵头{min(r.lead for r in others)}至{max(r.lead for r in others)}项",
        ],
        [
            f"{name.name.en} leads {top.lead} of the {len(plan.tasks)} tasks",
            f"{len(others)} other agencies lead between {min(r.lead for r in others)} and {max(r.lead for r in others)}",
        ],
    )


def test_takeaway_network(plan, briefing):
    pairs = {frozenset(pair): len(tasks) for pair, tasks in shared_tasks(plan).items()}
    cities, education = pairs[frozenset({"kjt", "cities"})], pairs[frozenset({"kjt", "jyt"})]
    assert cities == max(pairs.values())
    assert education == max(n for pair, n in pairs.items() if "kjt" in pair and "cities" not in pair)
    agencies = plan.agency_by_id
    quotes(
        slide_for(briefing, "agency_network"),
        [f"“{agencies['cities'].name.zh}”共同承担{cities}项任务", f"与{agencies['jyt'].name.zh}共同承担{education}项"],
        [f"shares {cities} tasks with the {agencies['cities'].name.en.lower()}", f"{education} with the {agencies['jyt'].name.en}"],
    )


def test_takeaway_site_map(plan, briefing):
    by_province = {p: sum(1 for s in plan.sites if s.province.value == p) for p in ("sichuan", "chongqing", "both")}
    placed = sum(1 for s in plan.sites if s.lon is not None)
    quotes(
        slide_for(briefing, "site_map"),
        [
            f"{len(plan.sites)}个布局载体",
            f"{by_province['sichuan']}个在四川",
            f"{by_province['chongqing']}个在重庆",
            f"{by_province['both']}个跨川渝",
            f"有坐标的{placed}个",
        ],
        [
            f"{len(plan.sites)} sites",
            f"{by_province['sichuan']} in Sichuan",
            f"{by_province['chongqing']} in Chongqing",
            f"{by_province['both']} spanning both",
            f"the {placed} with coordinates",
        ],
    )


def test_takeaway_hierarchy(plan, briefing):
    children = [s for s in plan.sites if s.parent == "west_science_city"]

    def below(site_id):
        direct = [s for s in plan.sites if s.parent == site_id]
        return direct + [d for s in direct for d in below(s.id)]

    deeper = [d for child in children for d in below(child.id)]
    science_cities = [c for c in children if c.kind.value == "science_city"]
    assert len(science_cities) == 3 and len(children) == 4
    slide = slide_for(briefing, "site_hierarchy")
    for city in ("成都", "重庆", "绵阳"):
        assert any(city in c.name.zh for c in science_cities)
    zone = next(c for c in children if c.kind.value != "science_city")
    quotes(slide, ["三座科学城", f"和{zone.name.zh}", f"{len(deeper)}个"], ["science cities", f"the {zone.name.en}", f"{len(deeper)} more"])


def test_takeaway_progress_matrix_quotes_no_number(briefing):
    """The matrix's counts change whenever the log is curated, so its words state how to read it, not a count."""
    slide = slide_for(briefing, "progress_matrix")
    for text in (slide.title.zh, slide.title.en, slide.takeaway.zh, slide.takeaway.en):
        assert not any(ch.isdigit() for ch in text), text
    assert "不等于未开展" in slide.takeaway.zh and '"not done"' in slide.takeaway.en


def test_every_slide_has_a_fact_test(briefing):
    tested = {
        "rd_intensity_pct", "rd_expenditure_100m_yuan", "hightech_enterprises", "tech_contract_cumulative", "hightech_revenue_share_pct",
        "sections_overview", "agency_leads", "agency_network", "site_map", "site_hierarchy", "progress_matrix",
    }  # fmt: skip
    assert {s.chart for s in briefing.slides} <= tested, "a new slide's takeaway needs a test of the numbers it quotes"
