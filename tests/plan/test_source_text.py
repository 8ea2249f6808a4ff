"""plan.yaml checked against the published text, parsed here independently of the plan."""

import re

import pytest

from components import paths

SOURCE = paths.DATA / "sources" / "action-plan-2022.txt"
NUMERALS = "一二三四五六七八九十"
WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "〔": "[", "〕": "]", "、": "、", "；": ";"})


def normalise(text: str) -> str:
    """Half-width punctuation, no whitespace: page breaks in the text fall mid-sentence."""
    return re.sub(r"\s+", "", text.translate(WIDTH))


@pytest.fixture(scope="module")
def document() -> str:
    return normalise(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed(document):
    body = document.split("二、重点任务", 1)[1].split("三、保障措施", 1)[0]
    pieces = re.split(r"[(\[]责任单位:(.*?)[)\]](?=\d+\.|\([" + NUMERALS + r"]\)|$)", body)
    texts, duties = pieces[0::2], pieces[1::2]
    sections, tasks = [], []
    for text, duty in zip(texts, duties):
        header = re.match(r"\(([" + NUMERALS + r"])\)(.+?)。", text)
        if header:
            sections.append((header.group(1), header.group(2)))
            text = text[header.end() :]
        task = re.match(r"(\d+)\.(.+?)。(.*)", text)
        duty = duty.replace("。逗号前为牵头单位,下同", "")
        lead, _, rest = duty.partition(",")
        tasks.append(
            {
                "number": int(task.group(1)),
                "title": task.group(2),
                "text": task.group(3),
                "section": len(sections),
                "lead": lead.split("、"),
                "support": [name for name in re.split(r"[、,]", rest) if name],
            }
        )
    safeguards = re.findall(r"\(([一二三])\)(强化.+?)。", document.split("三、保障措施", 1)[1])
    return {"sections": sections, "tasks": tasks, "safeguards": safeguards}


def test_parser_sees_the_whole_document(parsed):
    assert [t["number"] for t in parsed["tasks"]] == list(range(1, 28))
    assert len(parsed["sections"]) == 8
    assert len(parsed["safeguards"]) == 3


def test_sections(plan, parsed):
    assert [(s.numeral, s.title.zh) for s in sorted(plan.sections, key=lambda s: s.number)] == parsed["sections"]


def test_task_titles_and_sections(plan, parsed):
    by_number = {t.number: t for t in plan.tasks}
    assert sorted(by_number) == list(range(1, 28))
    for expected in parsed["tasks"]:
        task = by_number[expected["number"]]
        assert normalise(task.title.zh) == expected["title"], task.number
        assert plan.section_by_id[task.section].number == expected["section"], task.number


def test_task_text_is_the_document_text(plan, parsed):
    by_number = {t.number: t for t in plan.tasks}
    for expected in parsed["tasks"]:
        assert normalise(by_number[expected["number"]].text.zh) == expected["text"], expected["number"]


def test_lead_and_supporting_agencies_exactly(plan, parsed):
    names = {a.id: normalise(a.name.zh) for a in plan.agencies}
    by_number = {t.number: t for t in plan.tasks}
    for expected in parsed["tasks"]:
        task = by_number[expected["number"]]
        assert [names[a] for a in task.lead] == expected["lead"], task.number
        assert [names[a] for a in task.support] == expected["support"], task.number


def test_every_agency_is_named_in_the_document(plan, parsed):
    named = {n for t in parsed["tasks"] for n in t["lead"] + t["support"]}
    assert {normalise(a.name.zh) for a in plan.agencies} == named


def test_hand_counted_agency_roles(plan):
    """Counted by hand from the 责任单位 lines of the document."""
    kjt = next(a.id for a in plan.agencies if a.name.zh == "科技厅")
    assert sum(kjt in t.lead for t in plan.tasks) == 20
    assert sum(kjt in t.support for t in plan.tasks) == 6
    assert len(plan.agencies) == 34


def test_safeguards(plan, parsed):
    assert [(s.number, s.title.zh) for s in plan.safeguards] == [
        (NUMERALS.index(numeral) + 1, title) for numeral, title in parsed["safeguards"]
    ]


TARGET_PATTERN = re.compile(r"(左右|达到|达|累计超过|超过)?(\d+(?:\.\d+)?)(万)?(%|件|家|亿元)?(左右)?")


def test_targets_match_the_goal_paragraph(plan, document):
    goals = document.split("(二)发展目标。", 1)[1].split("二、重点任务", 1)[0]
    assert len(plan.targets) == 6
    for target in plan.targets:
        quote = normalise(target.quote)
        assert quote in goals, target.id
        assert target.comparator_text in quote, target.id
        number = re.search(r"(\d+(?:\.\d+)?)(万)?(?:%|件|家|亿元)", quote)
        value = float(number.group(1)) * (10_000 if number.group(2) else 1)
        assert value == pytest.approx(target.value), target.id
        assert target.target_year == 2025
    by_id = {t.id: (t.comparator_text, t.value) for t in plan.targets}
    assert by_id["rd_intensity"] == ("左右", 2.5)
    assert by_id["tech_contract_turnover"] == ("累计超过", 6000)
    assert by_id["hightech_enterprises"] == ("超过", 16000)
