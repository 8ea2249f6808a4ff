"""The plan-text importer on damaged copies of the real plan texts it is tested with (plain text, HTML, Word) and on free bytes.

It answers every input with a draft or a reason; its last-resort `Refusal("internal")` (a bug met as "the importer
failed") is never reached.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from components import paths
from components.plan.importer import ImportResult, Refusal, import_plan
from tests.fuzz.mutations import inputs
from tests.plan.importer.test_reading import docx_bytes

BUDGET = dt.timedelta(seconds=20)
IMPORTER_TESTS = paths.ROOT / "tests" / "plan" / "importer"
SICHUAN = paths.DATA / "sources" / "action-plan-2022.txt"
TEXTS = [SICHUAN, *sorted(IMPORTER_TESTS.glob("*.txt"))]
PAGES = sorted(IMPORTER_TESTS.glob("*.html"))
WORD = docx_bytes(SICHUAN.read_text(encoding="utf-8").splitlines()[:80], [["序号", "任务", "牵头单位"], ["1", "建设科学城", "省科技厅"]])


def answered(result) -> None:
    assert isinstance(result, ImportResult | Refusal)
    assert not (isinstance(result, Refusal) and result.code == "internal"), result.values


@settings(max_examples=60, deadline=BUDGET)
@given(
    inputs([path.read_bytes() for path in TEXTS]),
    st.sampled_from(["plan.txt", "plan.md", "plan"]) | st.text(max_size=700).map(lambda name: name + ".txt"),
)
def test_plan_text(raw, name):
    answered(import_plan(raw, name))


@settings(max_examples=40, deadline=BUDGET)
@given(inputs([path.read_bytes() for path in PAGES]))
def test_plan_page(raw):
    answered(import_plan(raw, "plan.html"))


@settings(max_examples=40, deadline=BUDGET)
@given(inputs([WORD]))
def test_word_file(raw):
    answered(import_plan(raw, "plan.docx"))


def test_a_file_name_of_any_length_gives_a_draft():
    """A name past the plan's 500-character limit on names made the draft fail its own validation ("internal")."""
    result = import_plan(SICHUAN.read_bytes(), "长" * 600 + ".txt")
    assert isinstance(result, ImportResult)
    assert result.plan.meta.source_file == "长" * 500


def test_seeds_are_read_as_drafts():
    """The fuzzers start from files the importer reads: damage then reaches its parsing, not only its refusals."""
    assert all(isinstance(import_plan(path.read_bytes(), Path(path).name), ImportResult) for path in [SICHUAN, *PAGES[:1]])
    assert isinstance(import_plan(WORD, "plan.docx"), ImportResult | Refusal)
