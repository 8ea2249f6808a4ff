"""The progress log (data/progress.yaml): the curated file's real values, an independent check against the plan and
the reference CSV, and the loader on broken files, each problem named with its line, path and message."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest
import yaml

from components import paths
from components.plan.progress import LADDER, Stage, date_precision, load_progress_file, load_progress_text

CSV_PATH = paths.DATA / "sources" / "reference-progress-evidence.csv"


@pytest.fixture(scope="module")
def progress_text() -> str:
    return paths.PROGRESS_LOG.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def log(plan):
    result = load_progress_file(plan)
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.value


@pytest.fixture(scope="module")
def by_id(log) -> dict:
    return {entry.id: entry for entry in log.entries}


def load(text: str, plan):
    return load_progress_text(text.encode("utf-8"), "progress.yaml", plan)


def messages(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def line_of(text: str, snippet: str) -> int:
    """The 1-based line on which `snippet` starts; the snippet must occur exactly once."""
    assert text.count(snippet) == 1, snippet
    return text[: text.index(snippet)].count("\n") + 1


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- the curated file: the numbers the views reuse ------------------------------------------------------------


def test_the_bundled_log(log, plan):
    assert log.schema_ == "progress/1"
    assert log.plan_doc_number == plan.meta.doc_number == "川办发〔2022〕13号"
    assert log.as_of.isoformat() == "2026-12-02"
    assert len(log.entries) == 72
    assert sum(entry.overall for entry in log.entries) == 6


def test_entries_per_task(log):
    per_task = Counter(number for entry in log.entries for number in entry.tasks)
    assert dict(sorted(per_task.items())) == {
        1: 2, 2: 2, 3: 1, 4: 1, 5: 14, 6: 8, 7: 8, 8: 2, 9: 3, 10: 5, 11: 3, 12: 2, 13: 2, 14: 1,
        15: 2, 16: 1, 17: 8, 18: 4, 19: 3, 20: 7, 21: 2, 22: 2, 23: 1, 24: 2, 25: 1, 26: 3, 27: 2,
    }  # fmt: skip


def test_entries_per_stage(log):
    assert Counter(entry.stage for entry in log.entries) == {
        Stage.count_reported: 19,
        Stage.activity_held: 14,
        Stage.policy_issued: 9,
        Stage.completed: 7,
        Stage.unveiled: 6,
        Stage.approved: 5,
        Stage.construction_started: 3,
        Stage.projects_funded: 3,
        Stage.call_opened: 3,
        Stage.accepted: 2,
        Stage.topped_out: 1,
    }


def test_task_5_climbs_the_ladder_to_completed(log):
    entries = [entry for entry in log.entries if 5 in entry.tasks]
    assert len(entries) == 14
    on_ladder = {entry.stage for entry in entries if entry.stage in LADDER}
    assert on_ladder == {Stage.approved, Stage.unveiled, Stage.construction_started, Stage.topped_out, Stage.completed}
    assert max(on_ladder, key=LADDER.index) is Stage.completed


def test_lhaaso_acceptance(by_id):
    entry = by_id["lhaaso-accepted-2023"]
    assert (entry.tasks, entry.sites, entry.stage) == ([7], ["lhaaso"], Stage.accepted)
    assert (entry.event_date, date_precision(entry.event_date)) == ("2023-05-10", "day")
    assert entry.published == "2023-05-11"
    assert (entry.source.publisher, entry.source.repost, entry.source.traditional, entry.source.secondhand) == ("CGTN", False, False, False)
    assert entry.quote.startswith("China's Large High Altitude Air Shower Observatory (LHAASO)")


def test_dates_keep_the_precision_the_source_gives(by_id):
    """'截至2023年底' stays a year (the CSV padded it to 2023-12-31); '2022年11月' stays a month; nothing is made up."""
    assert by_id["chengdu-proof-of-concept-pilot-platforms-2023"].event_date == "2023"
    assert by_id["twin-hightech-zones-plan-2022"].event_date == "2022-11"
    assert date_precision(by_id["twin-hightech-zones-plan-2022"].event_date) == "month"
    # "当天" in the quote: the CSV's 2022-06-22 is in neither quote nor title, so only the copy's month is kept
    meeting = by_id["working-group-4th-meeting-2022"]
    assert (meeting.event_date, meeting.published, meeting.date) == (None, "2022-06", "2022-06")


def test_the_narrowed_precision_medicine_entry(by_id):
    """The CSV summary says it was unveiled on 23 March; the quote says only that it was approved on 19 January."""
    entry = by_id["precision-medicine-centre-approved-2022"]
    assert (entry.stage, entry.event_date, entry.sites) == (Stage.approved, "2022-01-19", ["precision_medicine_iic"])
    assert "揭牌" not in entry.summary.zh and "3月23日" in entry.note.zh


def test_two_events_in_one_sentence_are_two_entries(by_id):
    """'开工建设并当年封顶': a start and a topping out, both in 2023, both the western national laboratory."""
    started, topped = by_id["national-lab-west-construction-started-2023"], by_id["national-lab-west-topped-out-2023"]
    assert (started.stage, topped.stage) == (Stage.construction_started, Stage.topped_out)
    assert started.quote == topped.quote and started.event_date == topped.event_date == "2023"
    assert started.sites == topped.sites == ["national_lab_bid"]


def test_counts_from_different_sources_keep_their_own_units(by_id):
    october_2024 = by_id["sichuan-tech-loans-2024-10"].counts[0]
    november_2025 = by_id["sichuan-tech-loans-2025-11"].counts[0]
    assert (october_2024.value, october_2024.unit.zh) == (8909.53, "亿元")
    assert (november_2025.value, november_2025.unit.zh) == (1.35, "万亿元")
    assert "存量" in october_2024.counted_as.zh and "口径" in november_2025.counted_as.zh


# --- an independent check: plain YAML, the plan and the reference CSV, not the model ------------------------------


@pytest.fixture(scope="module")
def raw_log(progress_text) -> dict:
    return yaml.safe_load(progress_text)


@pytest.fixture(scope="module")
def raw_plan() -> dict:
    return yaml.safe_load(paths.BUNDLED_PLAN.read_text(encoding="utf-8"))


def test_every_task_and_site_exists_in_the_plan(raw_log, raw_plan):
    numbers = {task["number"] for task in raw_plan["tasks"]}
    site_ids = {site["id"] for site in raw_plan["sites"]}
    assert numbers == set(range(1, 28))
    unknown = [
        (entry["id"], name)
        for entry in raw_log["entries"]
        for name in [*entry.get("tasks", []), *entry.get("sites", [])]
        if name not in numbers and name not in site_ids
    ]
    assert unknown == []
    assert raw_log["plan_doc_number"] == raw_plan["meta"]["doc_number"]


def test_every_task_has_evidence(raw_log):
    """The shared README says every task has at least one entry; after narrowing the 59 rows that still holds."""
    covered = {number for entry in raw_log["entries"] for number in entry.get("tasks", [])}
    assert covered == set(range(1, 28))


def test_ids_are_unique_and_notes_name_real_entries(raw_log):
    ids = [entry["id"] for entry in raw_log["entries"]]
    assert len(ids) == len(set(ids))
    named = {
        word
        for entry in raw_log["entries"]
        for text in entry.get("note", {}).values()
        for word in re.findall(r"[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}", text)
    }
    assert named and named <= set(ids)


def test_quotes_are_verbatim_from_the_csv_row_each_entry_names(progress_text, raw_log):
    """Each entry is preceded by `# CSV row N`; its quote and address are that row's, character for character,
    pinyin glosses of the traditional-character copies included; every row is used."""
    rows = list(csv.DictReader(CSV_PATH.open(encoding="utf-8")))
    assert len(rows) == 59
    named_rows = [int(n) for n in re.findall(r"^# CSV row (\d+)\n- id: ", progress_text, flags=re.M)]
    assert len(named_rows) == len(raw_log["entries"])
    for number, entry in zip(named_rows, raw_log["entries"], strict=True):
        row = rows[number - 1]
        assert (entry["quote"], entry["source"]["url"]) == (row["quote"], row["read_at_url"]), entry["id"]
    assert sorted(set(named_rows)) == list(range(1, 60))
    assert "創(chuàng)新" in progress_text


def test_source_flags_follow_the_csv_publisher_notes(progress_text, raw_log):
    """转载/转存/转帖/转发 → repost; 繁体 → traditional; 二手来源 or a reportify page → second-hand (and read on a copy)."""
    rows = list(csv.DictReader(CSV_PATH.open(encoding="utf-8")))
    named_rows = [int(n) for n in re.findall(r"^# CSV row (\d+)\n- id: ", progress_text, flags=re.M)]
    for number, entry in zip(named_rows, raw_log["entries"], strict=True):
        publisher = rows[number - 1]["publisher"]
        secondhand = "二手来源" in publisher or "reportify" in publisher
        expected = ("转" in publisher or secondhand, "繁体" in publisher, secondhand)
        source = entry["source"]
        assert (source.get("repost", False), source.get("traditional", False), source.get("secondhand", False)) == expected, entry["id"]
    flags = Counter(flag for entry in raw_log["entries"] for flag in ("repost", "traditional", "secondhand") if entry["source"].get(flag))
    assert flags == {"repost": 54, "traditional": 11, "secondhand": 8}


def test_dates_are_text_at_the_precision_given(raw_log):
    for entry in raw_log["entries"]:
        for field in ("event_date", "published"):
            if field in entry:
                assert isinstance(entry[field], str) and re.fullmatch(r"20\d\d(-\d\d(-\d\d)?)?", entry[field]), (entry["id"], field)


# --- the loader on broken progress files ----------------------------------------------------------------------------

LHAASO = "- id: lhaaso-accepted-2023\n  tasks: [7]\n  sites: [lhaaso]\n  stage: accepted\n"


def test_unknown_task_number_named_with_its_line(progress_text, plan):
    broken = replace_once(progress_text, LHAASO, LHAASO.replace("[7]", "[77]"))
    [problem] = load(broken, plan).problems
    index = next(i for i, entry in enumerate(yaml.safe_load(progress_text)["entries"]) if entry["id"] == "lhaaso-accepted-2023")
    line = line_of(progress_text, LHAASO) + 1
    assert str(problem) == f"progress.yaml:{line}  entries[{index}].tasks[0]  unknown task number 77"


def test_unknown_site_named_with_its_line(progress_text, plan):
    broken = replace_once(progress_text, LHAASO, LHAASO.replace("[lhaaso]", "[lhaaso, lasso]"))
    [problem] = load(broken, plan).problems
    assert (problem.line, problem.path.split(".", 1)[1], problem.message) == (
        line_of(progress_text, LHAASO) + 2,
        "sites[1]",
        "unknown site 'lasso'",
    )


def test_duplicate_id(progress_text, plan):
    broken = replace_once(progress_text, "- id: lhaaso-accepted-2023\n", "- id: science-centre-unveiled-2023\n")
    [problem] = load(broken, plan).problems
    assert (problem.line, problem.message) == (line_of(progress_text, LHAASO), "duplicate id 'science-centre-unveiled-2023'")
    assert problem.path.endswith(".id")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"1999"', "Value error, year 1999 is out of range (got '1999')"),
        ('"2023-13"', "Value error, 2023-13 is not a date in the calendar (month must be in 1..12) (got '2023-13')"),
        ('"2023-02-30"', "Value error, 2023-02-30 is not a date in the calendar (day is out of range for month) (got '2023-02-30')"),
        ('"2023-5-10"', "Value error, '2023-5-10' is not YYYY, YYYY-MM or YYYY-MM-DD (got '2023-5-10')"),
        ("2023-05-10 09:30:00", "Value error, give a date without a time (got datetime)"),
    ],
)
def test_impossible_dates(progress_text, plan, value, message):
    broken = replace_once(progress_text, '  event_date: "2023-05-10"\n', f"  event_date: {value}\n")
    [problem] = load(broken, plan).problems
    assert (problem.line, problem.message) == (line_of(progress_text, '  event_date: "2023-05-10"\n'), message)
    assert problem.path.endswith("].event_date")


def test_a_date_after_as_of(progress_text, plan):
    broken = replace_once(progress_text, '  published: "2023-05-11"\n', '  published: "2027-01"\n')
    [problem] = load(broken, plan).problems
    assert problem.message == "2027-01 is after the log's as_of date 2026-12-02"
    assert problem.line == line_of(progress_text, '  published: "2023-05-11"\n')


def test_published_before_the_event(progress_text, plan):
    broken = replace_once(progress_text, '  published: "2023-05-11"\n', '  published: "2023-05"\n')
    assert load(broken, plan).problems == ()  # a month that holds the event day is not "before" it
    broken = replace_once(progress_text, '  published: "2023-05-11"\n', '  published: "2023-05-09"\n')
    [problem] = load(broken, plan).problems
    assert problem.message == "published 2023-05-09 before the event it reports (2023-05-10)"


@pytest.mark.parametrize("key", ["source", "quote", "stage", "side", "summary"])
def test_a_required_key_missing(raw_log, plan, key):
    data = yaml.safe_load(yaml.safe_dump(raw_log, allow_unicode=True))
    del data["entries"][3][key]
    [problem] = load(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), plan).problems
    assert (problem.path, problem.message) == (f"entries[3].{key}", "required key is missing")


def test_neither_tasks_nor_overall(progress_text, plan):
    broken = replace_once(progress_text, LHAASO, LHAASO.replace("  tasks: [7]\n", ""))
    [problem] = load(broken, plan).problems
    assert problem.message == "Value error, an entry evidences at least one task, or is marked overall: true (got dict)"
    assert problem.line == line_of(progress_text, LHAASO)


def test_neither_date(progress_text, plan):
    dated = '  event_date: "2023-05-10"\n  published: "2023-05-11"\n'
    broken = replace_once(progress_text, dated, "")
    [problem] = load(broken, plan).problems
    assert problem.message == "Value error, give the event date, the publication date, or both (got dict)"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://news.cgtn.com/a", "file:///etc/passwd", "https://a b.cn/", "//news.cgtn.com/a"]
)
def test_only_web_addresses(progress_text, plan, url):
    line = next(line for line in progress_text.splitlines(keepends=True) if line.startswith("    url: https://news.cgtn.com/"))
    broken = replace_once(progress_text, line, f"    url: {json.dumps(url)}\n")
    [problem] = load(broken, plan).problems
    assert problem.line == line_of(progress_text, line)
    assert problem.path.endswith("].source.url")
    assert problem.message.startswith("Value error, an address starts with http:// or https:// and has no spaces, quotes or angle brackets")


def test_wrong_plan_doc_number(progress_text, plan):
    broken = replace_once(progress_text, "plan_doc_number: 川办发〔2022〕13号", "plan_doc_number: 川办发〔2021〕7号")
    [problem] = load(broken, plan).problems
    assert str(problem) == (
        f"progress.yaml:{line_of(progress_text, 'plan_doc_number:')}  plan_doc_number  "
        "made for plan '川办发〔2021〕7号', but the loaded plan is '川办发〔2022〕13号'"
    )


def test_unknown_key_is_a_typo(progress_text, plan):
    broken = replace_once(progress_text, LHAASO, LHAASO.replace("  stage: accepted\n", "  stage: accepted\n  stages: accepted\n"))
    [problem] = load(broken, plan).problems
    assert (problem.line, problem.message) == (line_of(progress_text, LHAASO) + 4, "unknown key (check its spelling)")
    assert problem.path.endswith("].stages")


def test_unknown_stage_and_side(progress_text, plan):
    broken = replace_once(progress_text, LHAASO, LHAASO.replace("  stage: accepted\n", "  stage: finished\n"))
    [problem] = load(broken, plan).problems
    assert problem.path.endswith("].stage") and problem.message.startswith("Input should be 'approved', 'unveiled'")


def test_wrong_schema(progress_text, plan):
    broken = replace_once(progress_text, "schema: progress/1", "schema: progress/2")
    assert messages(load(broken, plan)) == [
        f"progress.yaml:{line_of(progress_text, 'schema: progress/1')}  schema  Input should be 'progress/1' (got 'progress/2')"
    ]


def test_every_problem_at_once(progress_text, plan):
    """Typed problems stop the cross-check, so a file with both is reported in two rounds; each round lists them all."""
    broken = replace_once(progress_text, LHAASO, LHAASO.replace("[7]", "[77]").replace("[lhaaso]", "[lasso]"))
    broken = replace_once(broken, "- id: science-centre-unveiled-2023\n", "- id: lhaaso-accepted-2023\n")
    found = {problem.message for problem in load(broken, plan).problems}
    assert found == {"unknown task number 77", "unknown site 'lasso'", "duplicate id 'lhaaso-accepted-2023'"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "progress.yaml  (document)  file is empty"),
        (b"\x00\x01\x02schema", "progress.yaml  (document)  file is binary (contains NUL bytes), not a YAML text file"),
        (
            b"schema: progress/1\nentries: [\n",
            "progress.yaml:3  (document)  YAML syntax error: while parsing a flow node did not find expected node content",  # libyaml's words
        ),
        (b"- just\n- a list\n", "progress.yaml:1  (document)  the document must be a mapping (keys such as meta:, targets:, tasks:)"),
        ("schema: progress/1\n".encode("gb18030") + "entries: [{summary: 进展}]\n".encode("gb18030"), None),
    ],
)
def test_not_a_progress_file(plan, raw, message):
    result = load_progress_text(raw, "progress.yaml", plan)
    assert result.value is None
    if message is None:
        assert "not valid UTF-8" in result.problems[0].message and "GBK" in result.problems[0].message
    else:
        assert messages(result) == [message]


def test_python_tag_is_refused(progress_text, plan):
    broken = replace_once(progress_text, "as_of: 2026-12-02", "as_of: !!python/object/apply:os.system ['true']")
    assert messages(load(broken, plan))[0] == (
        f"progress.yaml:{line_of(progress_text, 'as_of:')}  as_of  tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: "
        "only plain YAML data is read"
    )


def test_missing_file(plan, tmp_path):
    [problem] = load_progress_file(plan, tmp_path / "progress.yaml").problems
    assert problem.message.startswith("cannot read file")
