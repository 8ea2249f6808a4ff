"""The 一城多园 hierarchy (components/figures/site_tree.py): the frame behind it, the indented tree, the slide icicle."""

from __future__ import annotations

import re

import pytest

from components.analysis import sites as lt
from components.figures.site_tree import hierarchy_frame, hierarchy_icicle, hierarchy_tree_figure, tree_rows
from components.figures.style import label_width_px
from components.plan.model import Site, SiteKind
from tests.helpers import site

KIND_LABELS = {k.value: f"L-{k.value}" for k in SiteKind}


def lt_tree(plan) -> list[Site]:
    return lt.tree_sites(plan.sites)


def test_hierarchy_has_no_orphans(plan):
    frame = hierarchy_frame(plan.sites, lang="zh", kind_labels=KIND_LABELS)
    ids = set(frame["id"])
    assert len(ids) == len(frame)
    assert set(frame["parent"]) - {""} <= ids
    tops = set(frame.loc[frame["parent"] == "", "id"])
    assert {"west_science_city", "chengyu_science_centre"} <= tops
    assert all(t in {"west_science_city", "chengyu_science_centre"} or t.startswith("kind:") for t in tops)


def test_science_city_tree_is_rooted_at_west_science_city(plan):
    frame = hierarchy_frame(plan.sites, lang="zh", root_id="west_science_city")
    roots = frame.loc[frame["parent"] == ""]
    assert roots["id"].tolist() == ["west_science_city"]
    assert roots["label"].tolist() == ["西部科学城"]
    assert set(frame["parent"]) - {""} <= set(frame["id"])
    science_cities = {s.id for s in plan.sites if s.kind is SiteKind.science_city}
    assert science_cities <= set(frame["id"])
    parent = dict(zip(frame["id"], frame["parent"]))
    for part in ("chengdu_science_city", "new_economy_zone", "life_science_zone", "future_tech_city", "next_gen_it_base"):
        assert parent[part] == "west_chengdu_science_city"


def test_hierarchy_rejects_missing_parent_and_cycle():
    def site(site_id: str, parent: str | None) -> Site:
        return Site(
            id=site_id,
            name={"zh": site_id, "en": site_id},
            kind="zone",
            province="sichuan",
            parent=parent,
            precision="none",
            source="plan_text",
        )

    with pytest.raises(ValueError, match=re.escape("sites with an unknown parent: ['a']")):
        hierarchy_frame([site("a", "nowhere")])
    with pytest.raises(ValueError, match=re.escape("sites in a parent cycle: ['a', 'b']")):
        hierarchy_frame([site("a", "b"), site("b", "a"), site("c", None)])


def test_tree_rows_are_depth_first_with_depths(plan):
    rows = tree_rows(lt.tree_sites(plan.sites))
    order = [s.id for s, _ in rows]
    depth = {s.id: d for s, d in rows}
    assert order[:8] == [
        "west_science_city",
        "west_chengdu_science_city",
        "chengdu_science_city",
        "new_economy_zone",
        "life_science_zone",
        "new_drug_pilot_base",
        "future_tech_city",
        "next_gen_it_base",
    ]
    assert depth["west_science_city"] == 0 and depth["new_drug_pilot_base"] == 3 and depth["xinglong_lake_core"] == 1
    with pytest.raises(ValueError, match=re.escape("sites in a parent cycle: ['a', 'b']")):
        tree_rows([site("a", None, None, parent="b"), site("b", None, None, parent="a"), site("c", None, None)])


def test_tree_figure_one_marker_per_site_edges_and_selection(plan):
    tree = lt.tree_sites(plan.sites)
    fig = hierarchy_tree_figure(tree, lang="zh", kind_labels=lt.kind_labels("zh"), selected="life_science_zone", width_px=290)
    nodes = [t for t in fig.data if t.meta.get("role") == "tree-node"]
    placed = {cd[0]: (x, y, text) for t in nodes for cd, x, y, text in zip(t.customdata, t.x, t.y, t.text)}
    assert set(placed) == {s.id for s in tree}
    assert placed["new_drug_pilot_base"][0] == 3 and placed["west_science_city"][:2] == (0, 0)
    edges = next(t for t in fig.data if t.meta.get("role") == "tree-edges")
    assert list(edges.x).count(None) == 22  # one elbow per site with a parent: 24 sites, 2 roots
    ring = next(t for t in fig.data if t.meta.get("role") == "tree-selected")
    assert (ring.x[0], ring.y[0]) == placed["life_science_zone"][:2]
    assert placed["life_science_zone"][2] == "<b>生命科学创新区</b>"
    long_name = placed["new_drug_pilot_base"][2]
    assert long_name.endswith("…") and "重大新药创制专项成果转移转化试点示范基地".startswith(long_name[:-1])
    hover = {cd[0]: cd[1] for t in nodes for cd in t.customdata}
    assert "重大新药创制专项成果转移转化试点示范基地" in hover["new_drug_pilot_base"]
    assert [t.name for t in nodes][0] == "科学城"


def test_markup_in_names_stays_text_in_the_tree():
    hostile = "X<img src=x onerror=alert(1)>"
    sites = [site("a", 104.0, 30.0, kind="innovative_city"), site("b", 105.0, 30.0, kind="innovative_city", parent="a")]
    sites[0] = sites[0].model_copy(update={"name": sites[0].name.model_copy(update={"zh": hostile})})
    tree = hierarchy_tree_figure(sites, lang="zh")
    texts = [text for t in tree.data if t.meta.get("role") == "tree-node" for text in t.text]
    assert texts[0] == "X&lt;img src=x onerror=alert(1)&gt;"


def test_the_slide_icicle_starts_at_the_west_science_city(plan):
    fig = hierarchy_icicle(plan, "en")
    [icicle] = fig.data
    assert icicle.type == "icicle" and icicle.ids[0] == "west_science_city" and icicle.parents[0] == ""
    assert icicle.labels[0] == "Western China Science City"
    assert set(icicle.parents) - {""} <= set(icicle.ids)


def test_a_long_name_is_shortened_to_the_tree_width(plan):
    width, indent, font = 290, 22, 11
    fig = hierarchy_tree_figure(lt_tree(plan), lang="zh", width_px=width, indent_px=indent, font_px=font)
    labels = {cd[0]: (x, text) for t in fig.data if t.meta.get("role") == "tree-node" for cd, x, text in zip(t.customdata, t.x, t.text)}
    assert len(labels) == 24
    assert {site_id for site_id, (_, text) in labels.items() if text.endswith("…")} == {"new_drug_pilot_base"}
    assert labels["yangtze_surface_system"][1] == "长江流域地表过程与生态环境模拟实验系统"  # the longest name that still fits, in full
    for site_id, (depth, text) in labels.items():
        # the label starts at its depth (x axis: one unit = one indent, from -0.6) and ends inside the plot area
        assert (depth + 0.6) * indent + label_width_px(text, font) <= width - 16, site_id
