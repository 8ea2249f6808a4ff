"""The tasks page: filters combine, the match count and rows follow them, downloads carry the filtered rows, and English works."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import paths
from components.analysis.responsibility import page_ranges
from components.plan.loader import load_plan_file
from components.plan.model import AgencyKind
from components.ui.tasks import card_key
from scripts.app_pages import server_started_with
from scripts.synthetic_plan import scaled_plan, write_plan
from tests.ui.apptest import chart_data, open_page, record_downloads

APP = str(paths.ROOT / "app.py")


def open_tasks(lang: str | None = None) -> AppTest:
    return open_page("pages/tasks.py", {"lang": lang} if lang else None)


TABS = {"zh": ("按板块列出", "表格"), "en": ("By section", "Table")}


def table_tab(at: AppTest, lang: str = "zh") -> pd.DataFrame:
    """The table tab's table: opening the tab draws it (only the open tab is drawn); then back to the list."""
    listed, tabled = TABS[lang]
    at.session_state["lang"] = lang  # AppTest sends the switch's first value again unless told (as a browser would not)
    at.session_state["tasks_tabs"] = tabled
    at.run()
    assert not at.expander, "the list's cards are not drawn while the table is open"
    table = at.dataframe[0].value
    at.session_state["lang"] = lang
    at.session_state["tasks_tabs"] = listed
    at.run()
    assert not at.dataframe, "the table is not drawn (nor sent) while the list is open"
    return table


def shown_numbers(at: AppTest) -> list[int]:
    return list(table_tab(at)["序号"])


def test_all_tasks_by_section():
    at = open_tasks()
    assert at.title[0].value == "重点任务与责任分工"
    assert at.subheader[0].value == "符合条件的任务:27 / 27 项"
    assert len(at.expander) == 27
    assert at.expander[0].label == "1. 协同推进成渝综合性科学中心建设"
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert len(headings) == 8 and headings[4] == "#### \\(五\\) 协同推进科技成果转化"
    assert shown_numbers(at) == list(range(1, 28))


def test_section_plus_support_agency_filter():
    at = open_tasks()
    at.selectbox(key="tasks_section").set_value("s5")
    at.selectbox(key="tasks_agency").set_value("zscqzx")
    at.radio(key="tasks_role").set_value("support")
    at.run()
    assert at.subheader[0].value == "符合条件的任务:4 / 27 项"
    assert shown_numbers(at) == [16, 17, 18, 19]
    assert [e.label.split(".")[0] for e in at.expander] == ["16", "17", "18", "19"]
    # the treemap zooms to the chosen section
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["level"] == "s5"
    at.radio(key="tasks_role").set_value("lead")
    at.run()
    assert at.subheader[0].value == "符合条件的任务:0 / 27 项"
    assert at.info[0].value == "没有符合全部筛选条件的任务,请放宽条件。"


def test_keyword_kind_and_theme_filters():
    at = open_tasks()
    at.text_input(key="tasks_keyword").input("天府").run()
    assert shown_numbers(at) == [1, 5, 19, 20, 23, 24]
    at.session_state[card_key(5)] = True  # a card's words are drawn only while it is open
    at.run()
    assert at.caption[0].value == "川办发〔2022〕13号 列出的 27 项重点任务,按 8 个板块排列;每项任务的责任单位中,逗号前为牵头单位。"
    sites = [line for m in at.markdown for line in m.value.split("  \n") if line.startswith("**载体与设施**")]
    assert any("天府实验室" in line for line in sites)  # task 5 names 天府实验室 among its sites
    at.multiselect(key="tasks_themes").select("talent").run()
    assert shown_numbers(at) == [1, 23, 24]
    at.text_input(key="tasks_keyword").input("").run()
    at.multiselect(key="tasks_themes").unselect("talent").run()
    at.multiselect(key="tasks_kinds").select(AgencyKind.judicial).run()
    assert shown_numbers(at) == [26]
    assert at.subheader[0].value == "符合条件的任务:1 / 27 项"


def test_download_gets_the_filtered_table(monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_tasks()
    at.text_input(key="tasks_keyword").input("天府").run()
    assert [b.label for b in at.download_button] == ["下载筛选结果(CSV)", "下载筛选结果(Excel)"]
    name, make = downloads["下载筛选结果(CSV)"]
    assert name == "tasks.csv"
    data = make()  # what the server writes when the button is clicked
    assert data[:3] == b"\xef\xbb\xbf"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["序号"]) == [1, 5, 19, 20, 23, 24]
    assert back.columns[0] == "序号"
    name, make = downloads["下载筛选结果(Excel)"]
    sheet = openpyxl.load_workbook(io.BytesIO(make())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert name == "tasks.xlsx" and sheet.title == "重点任务"
    assert rows[0][0] == "序号" and [r[0] for r in rows[1:]] == [1, 5, 19, 20, 23, 24]


def test_english_headings_and_names():
    at = open_tasks()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Tasks and responsibilities"
    assert at.subheader[0].value == "Matching tasks: 27 of 27"
    assert at.expander[0].label.startswith("1. Jointly build the Chengdu")
    assert list(table_tab(at, "en").columns[:3]) == ["No.", "Section", "Task"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_treemap_sections_and_sizes(lang):
    at = open_tasks(lang)
    tree = chart_data(at.get("plotly_chart")[0])[0]
    sizes = dict(zip(tree["ids"], tree["values"]))
    assert sizes["s8/t26"] == 8 and sizes["s5/t19"] == 12
    assert sum(sizes[s] for s in ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8")) == 184


def test_task_link_from_layout_page_opens_that_task():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["task"] = "19"
    at.run()
    at.switch_page("pages/tasks.py").run()
    assert [e.label for e in at.expander if e.proto.expanded] == ["19. 协同发展科技金融"]


def test_page_ranges_cover_every_task_once():
    assert page_ranges(0) == [range(0, 0)]
    assert page_ranges(27) == [range(0, 27)]
    assert page_ranges(50) == [range(0, 50)]
    assert page_ranges(108) == [range(0, 50), range(50, 100), range(100, 108)]
    assert [i for r in page_ranges(2700) for i in r] == list(range(2700))


@pytest.fixture
def plan_4x(tmp_path):
    """A synthetic plan with 108 tasks, which the list shows in pages of 50; app.py reads it from the command line."""
    path = write_plan(scaled_plan(4), tmp_path / "plan-4x.yaml")
    with server_started_with(path):
        yield load_plan_file(path).value


def expander_numbers(at: AppTest) -> list[int]:
    return [int(e.label.split(".")[0]) for e in at.expander]


def test_a_long_list_is_shown_a_page_at_a_time(plan_4x):
    assert len(plan_4x.tasks) == 108
    at = open_tasks()
    assert at.subheader[0].value == "符合条件的任务:108 / 108 项"
    pager = at.selectbox(key="tasks_page")
    assert pager.options == ["第 1–50 项(共 108 项)", "第 51–100 项(共 108 项)", "第 101–108 项(共 108 项)"]
    assert sorted(expander_numbers(at)) == sorted(x.number for x in plan_4x.tasks[:50])
    pager.select(2).run()
    assert sorted(expander_numbers(at)) == sorted(x.number for x in plan_4x.tasks[100:])
    assert len(table_tab(at)) == 108, "the table tab and the downloads keep every matching task"
    assert sorted(expander_numbers(at)) == sorted(x.number for x in plan_4x.tasks[100:]), "back from the table, on the same page"
    assert not at.warning


def test_a_linked_task_opens_on_its_page(plan_4x):
    wanted = plan_4x.tasks[75].number
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["task"] = str(wanted)
    at.run()
    at.switch_page("pages/tasks.py").run()
    assert at.selectbox(key="tasks_page").value == 1
    opened = [e for e in at.expander if e.proto.expanded]
    assert [int(e.label.split(".")[0]) for e in opened] == [wanted]


def test_the_bundled_plan_needs_no_pager():
    at = open_tasks()
    assert len(at.expander) == 27
    assert "tasks_page" not in [s.key for s in at.selectbox]


@pytest.mark.parametrize("task", ["²", "①", "9" * 5000])
def test_a_crafted_task_link_opens_the_page_with_nothing_expanded(task):
    at = open_page("pages/tasks.py", {"task": task})
    assert not at.exception
    assert len(at.expander) == 27 and not any(e.proto.expanded for e in at.expander)


def test_a_plan_too_large_for_one_treemap_draws_sections_then_one_section(tmp_path):
    """405 tasks in 32 sections: the treemap holds the sections (each with its task count), the filter drills in."""
    path = write_plan(scaled_plan(15), tmp_path / "plan-15x.yaml")
    with server_started_with(path):
        plan = load_plan_file(path).value
        at = open_tasks("en")
        tree = chart_data(at.get("plotly_chart")[0])[0]
        assert tree["ids"] == [section.id for section in plan.sections_in_order]
        assert any("405 tasks, too many to draw one by one" in c.value for c in at.caption)
        section = plan.sections_in_order[7]
        at.selectbox(key="tasks_section").set_value(section.id).run()
        tree = chart_data(at.get("plotly_chart")[0])[0]
        tasks = plan.tasks_by_section[section.id]
        assert tree["ids"] == [section.id] + [f"{section.id}/{task.id}" for task in tasks]
        assert tree["level"] == section.id


@pytest.mark.parametrize(
    ("lang", "note"), [("zh", "链接中的以下参数无效,已忽略:task"), ("en", "These link parameters were invalid and were ignored: task")]
)
def test_a_crafted_task_link_is_noted_in_the_page_language(lang, note):
    """A bad `?task=` was ignored with no word; a good one gets no note."""
    at = open_page("pages/tasks.py", {"task": "²", "lang": lang})
    assert note in [i.value for i in at.info]
    at = open_page("pages/tasks.py", {"task": "5", "lang": lang})
    assert not any("task" in i.value for i in at.info)


def test_a_card_says_who_themes_and_sites_in_one_element():
    """Task 5's card: one Markdown element (its text, four lines of who and what, its evidence), then its links (50 cards drew ≈600 elements)."""
    at = open_tasks()
    assert not at.expander[4].children, "a closed card's words are not drawn"
    at.session_state[card_key(5)] = True
    at.run()
    card = at.expander[4]
    assert card.label == "5. 协同构建实验室体系"
    text, who, evidence = card.markdown[0].value.split("\n\n", 2)
    assert text.startswith("聚焦核动力、航空动力等优势领域") and evidence.startswith("**公开证据**\n\n- ")
    lines = who.split("  \n")
    assert [line.split("**: ")[0] for line in lines] == ["**牵头单位", "**配合单位", "**主题", "**载体与设施"]
    assert lines[0] == "**牵头单位**: 科技厅"
    assert lines[1].endswith("成都市人民政府") and "天府实验室" in lines[3]
    assert [type(element).__name__ for element in card.children.values()] == ["Markdown", "PageLink", "PageLink"]
