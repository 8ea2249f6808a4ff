"""The benchmark's synthetic plans are valid plans of the promised size."""

from components.plan.importer import ImportResult, import_plan
from components.plan.loader import load_plan_file
from components.plan.model import LeadRule
from scripts.synthetic_plan import HOSTILE_PARTS, cn_numeral, hostile_plan, plan_text, scaled_plan, write_plan


def test_100x_plan_passes_the_validator(tmp_path, plan):
    path = write_plan(scaled_plan(100), tmp_path / "plan-100x.yaml")
    big = load_plan_file(path).value
    assert len(big.tasks) == 100 * len(plan.tasks) == 2700
    assert len(big.agencies) == 10 * len(plan.agencies)
    assert len(big.sites) == 10 * len(plan.sites)
    assert len({o.year for o in big.observations}) == 100
    assert path.stat().st_size < 8 * 1024 * 1024  # under the loader's limit


def test_hostile_plan_passes_the_validator(tmp_path):
    hostile = load_plan_file(write_plan(hostile_plan(), tmp_path / "hostile.yaml")).value
    for name in (hostile.tasks[0].title.en, hostile.agencies[0].name.zh, hostile.meta.title.en):
        assert all(part in name for part in HOSTILE_PARTS)
    assert len(hostile.sites) == 64
    assert HOSTILE_PARTS[0] in hostile.sites[0].name.zh


def test_the_benchmarks_plan_text_has_300_tasks_in_the_sichuan_conventions():
    result = import_plan(plan_text(300).encode("utf-8"), "synthetic.txt")
    assert isinstance(result, ImportResult), result
    plan = result.plan
    assert [t.number for t in plan.tasks_in_order] == list(range(1, 301))
    assert len(plan.sections) == 89 and plan.sections_in_order[-1].numeral == "八十九"
    assert plan.meta.draft.lead_rule is LeadRule.before_comma
    assert len(plan.agencies) == 34


def test_section_numerals():
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 20, 21, 96)] == ["一", "九", "十", "十一", "二十", "二十一", "九十六"]


def test_copied_agencies_have_distinct_names_in_both_languages(plan):
    data = scaled_plan(100)
    names = {lang: [a["name"][lang] for a in data["agencies"]] for lang in ("zh", "en")}
    assert all(len(set(values)) == 340 for values in names.values())
    first = plan.agencies[0]
    assert names["zh"][:1] == [first.name.zh] and names["en"][34] == f"{first.name.en} (2)"
