"""A derived value's arithmetic reads in the visitor's language wherever it is shown: the data table, the
chart's hover and the Word report's annex (tested in tests/exports/test_report_docx.py)."""

import re

import pytest
from pydantic import ValidationError

from components.analysis.overview import observations_table
from components.figures.targets import series_trace
from components.i18n import t
from components.plan.model import Observation, cross_check

ZH_2020 = "500000 ÷ 1.83 ≈ 273224(2025年9月:超过50万家,较2020年增加83%);原文为“超过”50万家,故此数为下限"
EN_2020 = "500000 ÷ 1.83 ≈ 273224 (2025-09: 超过50万家,较2020年增加83%); a lower bound, because the source says more than (超过) 500,000"


def _national_2020(plan):
    (obs,) = [o for o in plan.observations if (o.indicator, o.region, o.year) == ("hightech_enterprises", "national", 2020)]
    return obs


def test_the_bundled_arithmetic_is_written_in_both_languages(plan):
    obs = _national_2020(plan)
    assert (obs.derivation.zh, obs.derivation.en) == (ZH_2020, EN_2020)


def test_no_chinese_arithmetic_has_english_words_outside_a_quote(plan):
    derived = [o for o in plan.observations if o.derivation]
    assert len(derived) == 23
    for obs in derived:
        unquoted = re.sub(r"“[^”]*”", "", obs.derivation.zh)
        assert not re.search(r"[A-Za-z]{3,}", unquoted), (obs.indicator, obs.region, obs.year, obs.derivation.zh)
        assert obs.derivation.zh != obs.derivation.en


@pytest.mark.parametrize(("lang", "arithmetic"), [("zh", ZH_2020), ("en", EN_2020)])
def test_the_data_table_shows_the_arithmetic_in_its_language(plan, lang, arithmetic):
    table = observations_table(plan, "hightech_enterprises", ["national"], lang)
    row = table[table[t("col.year", lang)] == 2020].iloc[0]
    assert arithmetic in " ".join(str(value) for value in row.to_numpy())


@pytest.mark.parametrize(("lang", "arithmetic"), [("zh", ZH_2020), ("en", EN_2020)])
def test_the_hover_shows_the_arithmetic_in_its_language(plan, lang, arithmetic):
    trace = series_trace(plan, "hightech_enterprises", "national", lang)
    hover = dict(zip(trace["x"], trace["customdata"], strict=True))[2020]
    assert f"{t('hover.derivation', lang)}: {arithmetic}" in hover


def _observation(**derivation):
    fields = dict(indicator="rd", region="sichuan", year=2020, value=1.0, source="s", quote="原文", flags=["derived"])
    return Observation.model_validate(fields | derivation)


def test_a_derivation_written_as_one_string_reads_the_same_in_both_languages():
    obs = _observation(derivation="2.17 − 0.3")
    assert (obs.derivation.get("zh"), obs.derivation.get("en")) == ("2.17 − 0.3", "2.17 − 0.3")


def test_an_empty_derivation_is_none_and_a_derived_value_must_still_state_one(plan):
    obs = _observation(derivation="  ")
    assert obs.derivation is None
    derived = next(o for o in plan.observations if o.derivation)
    broken = plan.model_copy(update={"observations": [derived.model_copy(update={"derivation": None})]})
    assert (("observations", 0, "derivation"), "a derived value must state its arithmetic") in cross_check(broken)


def test_a_derivation_in_both_languages_needs_both():
    with pytest.raises(ValidationError, match="derivation.en"):
        _observation(derivation={"zh": "2.17 − 0.3"})
