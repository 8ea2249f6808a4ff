"""The conventions of other plans (other-plans/README.md and what real plans do), each in a few constructed lines.

The real plans are in test_references.py; these pin each rule on its own, including the ones no
real plan here uses (units only in an annex table, numbering that restarts in each subsection).
"""

from __future__ import annotations

import io

import docx
import pytest

from components.plan.importer import ImportResult, import_plan
from components.plan.model import LeadRule

HEAD = "甲市人民政府办公厅关于印发《测试方案》的通知\n甲府办发〔2024〕7号\n甲市人民政府办公厅\n2024年3月5日\n测试方案\n为做好工作，制定本方案。\n一、工作目标\n到2026年，甲指标达到80%以上。\n二、重点任务\n"


def draft(body: str, head: str = HEAD, name: str = "plan.txt") -> ImportResult:
    result = import_plan((head + body).encode("utf-8"), name)
    assert isinstance(result, ImportResult), result
    return result


def roles(result: ImportResult) -> list[tuple[list[str], list[str], bool]]:
    plan = result.plan
    name = {a.id: a.name.zh for a in plan.agencies}
    return [([name[a] for a in t.lead], [name[a] for a in t.support], t.lead_stated) for t in plan.tasks_in_order]


def codes(result: ImportResult) -> list[tuple[int | None, str]]:
    return [(u.task, u.code) for u in result.uncertainties]


def test_labelled_lead_and_support_with_a_generic_unit_containing_a_comma_mark():
    result = draft(
        "（一）甲。做甲。（牵头单位：市发展改革委，配合单位：市财政局、市教育局，各区、县级市）\n（二）乙。做乙。（牵头单位：市教育局）\n"
    )
    assert roles(result) == [(["市发展改革委"], ["市财政局", "市教育局", "各区、县级市"], True), (["市教育局"], [], True)]
    assert result.plan.meta.draft.lead_rule is LeadRule.labelled
    groups = [a.name.zh for a in result.plan.agencies if a.kind.value == "group"]
    assert groups == ["各区、县级市"]


@pytest.mark.parametrize(
    ("statement", "lead", "support"),
    [
        ("（市生态环境局牵头，市发展改革委、市统计局参与）", ["市生态环境局"], ["市发展改革委", "市统计局"]),
        ("（由市应急局牵头，市公安局、市卫健委配合）", ["市应急局"], ["市公安局", "市卫健委"]),
        ("（市农业农村局、市工业和信息化局牵头负责）", ["市农业农村局", "市工业和信息化局"], []),
        ("（牵头部门：市商务局；配合部门：市财政局、市税务局）", ["市商务局"], ["市财政局", "市税务局"]),
        ("（牵头单位：市科技局；责任单位：各区政府）", ["市科技局"], ["各区政府"]),
    ],
)
def test_a_statement_that_labels_its_own_units(statement, lead, support):
    assert roles(draft(f"（一）甲。做甲。{statement}\n")) == [(lead, support, True)]


def test_first_listed_rule_stated_once_applies_below():
    result = draft(
        "（一）甲。做甲。（市发展改革委、市财政局等负责。列第一位者为牵头单位，下同）\n（二）乙。做乙。（市教育局、市财政局负责）\n"
    )
    assert roles(result) == [(["市发展改革委"], ["市财政局"], True), (["市教育局"], ["市财政局"], True)]
    assert result.plan.meta.draft.lead_rule_quote == "列第一位者为牵头单位，下同"
    assert (1, "open_ended") in codes(result)


@pytest.mark.parametrize(
    "head",
    [
        HEAD.replace("一、工作目标", "注：各项任务中排在第一位的单位为牵头单位，其余为配合单位。\n一、工作目标"),
        HEAD.replace("二、重点任务\n", "二、重点任务\n各项任务中排在第一位的单位为牵头单位。\n"),
    ],
    ids=["before the outline", "under the task heading"],
)
def test_a_rule_in_a_note_before_the_tasks(head):
    result = draft("（一）甲。做甲。（市发展改革委、市财政局负责）\n", head=head)
    assert roles(result) == [(["市发展改革委"], ["市财政局"], True)]
    assert result.plan.meta.draft.lead_rule_quote == "排在第一位的单位为牵头单位"


def test_before_comma_rule_with_several_leads():
    result = draft(
        "（一）甲。做甲。（责任单位：科技厅、财政厅，教育厅、有关市（州）人民政府。逗号前为牵头单位，下同）\n（二）乙。做乙。（责任单位：教育厅，科技厅，财政厅）\n"
    )
    assert roles(result) == [(["科技厅", "财政厅"], ["教育厅", "有关市（州）人民政府"], True), (["教育厅"], ["科技厅", "财政厅"], True)]


def test_no_rule_stated_every_unit_is_responsible_and_a_comma_is_only_punctuation():
    result = draft("（一）甲。做甲。（责任单位：市发展改革委，市财政局、市教育局）\n")
    assert roles(result) == [(["市发展改革委", "市财政局", "市教育局"], [], False)]
    assert result.plan.meta.draft.lead_rule is LeadRule.none
    assert (None, "no_rule") in codes(result)


def test_a_rule_the_importer_does_not_know_is_reported_never_guessed():
    result = draft("（一）甲。做甲。（责任单位：市发展改革委、市财政局。加粗的为牵头单位，下同）\n")
    assert roles(result) == [(["市发展改革委", "市财政局"], [], False)]
    assert [u.values["quote"] for u in result.uncertainties if u.code == "unknown_rule"] == ["加粗的为牵头单位，下同"]


@pytest.mark.parametrize(
    ("units", "names"),
    [
        ("各市、县人民政府", ["各市、县人民政府"]),
        ("各区、县级市", ["各区、县级市"]),
        ("有关县（市、区）人民政府", ["有关县（市、区）人民政府"]),
        ("市财政局、各区、县级市", ["市财政局", "各区、县级市"]),
        ("各有关单位、区政府", ["各有关单位", "区政府"]),
        ("市商务局等和各省级人民政府", ["市商务局", "各省级人民政府"]),
        ("文化和旅游部、人力资源和社会保障局", ["文化和旅游部", "人力资源和社会保障局"]),
        ("生态环境部指导，试点城市政府", ["生态环境部", "试点城市政府"]),  # a role word written onto the name
    ],
)
def test_generic_units_stay_whole(units, names):
    result = draft(f"（一）甲。做甲。（{units}负责）\n")
    assert roles(result)[0][0] == names


def test_numbering_that_restarts_in_each_subsection():
    result = draft(
        "（一）第一部分。\n1.甲。做甲。（市财政局负责）\n2.乙。做乙。（市教育局负责）\n"
        "（二）第二部分。\n1.丙。做丙。（市商务局负责）\n2.丁。做丁。（市财政局负责）\n"
    )
    tasks = result.plan.tasks_in_order
    assert [(t.number, t.label, t.title.zh) for t in tasks] == [(1, "1.", "甲"), (2, "2.", "乙"), (3, "1.", "丙"), (4, "2.", "丁")]
    assert [result.plan.section_by_id[t.section].title.zh for t in tasks] == ["第一部分", "第一部分", "第二部分", "第二部分"]
    assert (None, "renumbered") in codes(result)


ANNEX = (
    "附件\n重点任务分工表\n序号\t重点任务\t牵头单位\t配合单位\n1\t建设甲平台\t市科技局\t市财政局、各区政府\n2\t推进乙改革\t市发展改革委\t\n"
)


def test_units_given_only_in_an_annex_table():
    body = "1.建设甲平台。做甲。\n2.推进乙改革。做乙。\n三、保障措施\n（一）加强领导。做好。\n甲市人民政府办公厅\n2024年3月5日\n" + ANNEX
    result = draft(body)
    assert roles(result) == [(["市科技局"], ["市财政局", "各区政府"], True), (["市发展改革委"], [], True)]
    assert "annex_used" in {u.code for u in result.uncertainties}


def test_an_annex_table_in_a_word_file():
    document = docx.Document()
    for line in (HEAD + "1.建设甲平台。做甲。\n2.推进乙改革。做乙。\n附件").splitlines():
        document.add_paragraph(line)
    rows = [line.split("\t") for line in ANNEX.splitlines()[2:]]
    table = document.add_table(rows=len(rows), cols=4)
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells + [""] * (4 - len(cells))):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    result = import_plan(out.getvalue(), "plan.docx")
    assert isinstance(result, ImportResult), result
    assert roles(result) == [(["市科技局"], ["市财政局", "各区政府"], True), (["市发展改革委"], [], True)]


def test_a_page_break_mid_sentence_is_not_a_new_task():
    result = draft(
        "1.甲。培育企业达到\n\n1.6万家，建设平台\n3.建设乙项目，完成后（责任单位：市财政局）\n2.乙。做乙。（责任单位：市教育局）\n"
    )
    tasks = result.plan.tasks_in_order
    assert [t.title.zh for t in tasks] == ["甲", "乙"]
    assert "1.6万家，建设平台3.建设乙项目" in tasks[0].text.zh


def test_a_task_numbered_like_a_decimal_is_still_a_task():
    result = draft(
        "10.甲。做甲。（市财政局负责）\n11.121人才计划。做乙。（市教育局负责）\n", head=HEAD.replace("二、重点任务\n", "二、重点任务\n")
    )
    assert [(t.number, t.title.zh) for t in result.plan.tasks_in_order] == [(10, "甲"), (11, "121人才计划")]


def test_an_unbracketed_responsibility_line_and_a_deadline():
    result = draft("1.甲。做甲。\n责任单位：市财政局、市教育局\n2.乙。做乙。（市商务局负责，2025年底前完成）\n")
    assert roles(result) == [(["市财政局", "市教育局"], [], False), (["市商务局"], [], False)]


def test_a_task_without_units_is_kept_and_reported_with_its_line():
    result = draft("1.甲。做甲。（市财政局负责）\n2.乙。做乙，未写责任单位。\n")
    second = result.plan.tasks_in_order[1]
    assert second.lead == [] and second.responsibility_text is None
    [missing] = [u for u in result.uncertainties if u.code == "no_responsibility"]
    assert (missing.task, missing.line) == (2, HEAD.count("\n") + 2)
    assert missing.where("plan.txt") == f"plan.txt:{HEAD.count(chr(10)) + 2}  task 2"
    assert missing.message("en") == "responsibility line not found"


def test_facts_of_the_notice():
    meta = draft("1.甲。做甲。（市财政局负责）\n").plan.meta
    assert (meta.title.zh, meta.doc_number, meta.issuer.zh, meta.issue_date.isoformat()) == (
        "测试方案",
        "甲府办发〔2024〕7号",
        "甲市人民政府办公厅",
        "2024-03-05",
    )
    assert (meta.period_start, meta.target_year, meta.baseline_year) == (2024, 2026, 2023)


def test_a_date_in_chinese_numerals_at_the_end():
    head = "关于推进甲工作的意见\n一、主要任务\n"
    result = draft("1.甲。做甲。（市财政局负责）\n甲市人民政府\n二〇二二年一月二十四日\n", head=head)
    meta = result.plan.meta
    assert (meta.issue_date.isoformat(), meta.issuer.zh) == ("2022-01-24", "甲市人民政府")
    assert result.plan.tasks_in_order[0].text.zh == "做甲。", "the signature is not the last task's text"


def test_nothing_the_text_does_not_give_is_made_up():
    result = draft("1.甲。做甲。（市财政局负责）\n", head="一、任务\n到2025年完成。\n")
    meta = result.plan.meta
    assert meta.issue_date is None
    assert meta.issuer.zh == "(文中未写明发文机关)"
    assert {"title_missing", "doc_number_missing", "issuer_missing", "date_missing"} <= {u.code for u in result.uncertainties}
    assert result.plan.targets == []


@pytest.mark.parametrize(
    ("goal", "value", "unit", "comparator", "year"),
    [
        ("到2025年，研发投入强度达到2.5%左右。", 2.5, "%", "about", 2025),
        ("到2025年底，高新技术企业超过1.6万家。", 16000, "家", "exceed", 2025),
        ("到2030年，技术合同成交额累计超过6000亿元。", 6000, "亿元", "cumulative_exceed", 2030),
        ("到2027年，新增公园300座以上。", 300, "座", "reach", 2027),
    ],
)
def test_goal_targets_with_their_quotes(goal, value, unit, comparator, year):
    head = HEAD.replace("到2026年，甲指标达到80%以上。", goal)
    plan = draft("1.甲。做甲。（市财政局负责）\n", head=head).plan
    [target] = plan.targets
    assert (target.value, plan.indicator_by_id[target.indicator].unit.zh, target.comparator.value, target.target_year) == (
        value,
        unit,
        comparator,
        year,
    )
    assert target.quote in goal


def test_a_limit_is_reported_not_drafted():
    head = HEAD.replace("到2026年，甲指标达到80%以上。", "到2026年，能耗控制在500万吨以内。")
    result = draft("1.甲。做甲。（市财政局负责）\n", head=head)
    assert result.plan.targets == []
    assert [u.values["quote"] for u in result.uncertainties if u.code == "target_unsupported"] == ["能耗控制在500万吨以内"]


def test_an_html_annex_table_with_paragraphs_in_cells_and_a_spanning_column():
    page = (
        "<html><body>" + "".join(f"<p>{line}</p>" for line in (HEAD + "1.建设甲平台。做甲。\n2.推进乙改革。做乙。\n附件").splitlines())
        + "<table><tr><td>序号</td><td>领域</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td></tr>"
        "<tr><td>1</td><td rowspan='2'><p>科技</p></td><td>建设甲平台</td><td><p>市科技局</p></td><td><p>市财政局</p><p>各区政府</p></td></tr>"
        "<tr><td>2</td><td>推进乙改革</td><td>市发展改革委</td><td></td></tr></table></body></html>"
    )  # fmt: skip
    result = import_plan(page.encode(), "plan.html")
    assert isinstance(result, ImportResult), result
    assert roles(result) == [(["市科技局"], ["市财政局", "各区政府"], True), (["市发展改革委"], [], True)]


def test_lead_and_support_labels_on_lines_of_their_own():
    result = draft("1.甲。做甲。\n牵头单位：市商务局\n配合单位：市财政局、各区政府\n2.乙。做乙。（牵头单位：市教育局）\n")
    assert roles(result)[0] == (["市商务局"], ["市财政局", "各区政府"], True)


@pytest.mark.parametrize(
    ("statement", "lead", "support"),
    [
        ("（责任单位：市发展改革委；完成时限：2025年底）", ["市发展改革委"], []),
        ("（牵头单位：市商务局，配合单位：市财政局，2023年底前完成）", ["市商务局"], ["市财政局"]),
        ("（牵头单位：市商务局；配合单位：市财政局；时间节点：持续推进）", ["市商务局"], ["市财政局"]),
    ],
)
def test_time_limits_are_not_units(statement, lead, support):
    assert roles(draft(f"1.甲。做甲。{statement}\n"))[0][:2] == (lead, support)


def test_units_after_a_tasks_points_are_the_tasks():
    result = draft(
        "（一）推进甲工作。\n1.做A。\n2.做B。\n（责任单位：市发展改革委、市财政局）\n"
        "（二）推进乙工作。\n1.做C。\n2.做D。\n（牵头单位：市教育局）\n"
    )
    tasks = result.plan.tasks_in_order
    assert [(t.title.zh, t.label) for t in tasks] == [("推进甲工作", "（一）"), ("推进乙工作", "（二）")]
    assert roles(result) == [(["市发展改革委", "市财政局"], [], False), (["市教育局"], [], True)]
    assert tasks[0].text.zh == "1.做A。\n2.做B。"
    assert result.task_lines[tasks[0].id] == (HEAD.count("\n") + 1, HEAD.count("\n") + 4)
