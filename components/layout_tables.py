"""Pure logic behind the science-city layout page: filters, the site tree, tables and counts.

No Streamlit here. Words come from `components.i18n.t`, names from the plan's zh/en
fields, so every function can be tested with the bundled plan directly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from components.i18n import t
from components.map_figure import UI_KEYS, bundled_boundaries, site_areas, site_counts_by_area, site_map_figure
from components.model import Plan, Precision, Province, Site, SiteKind

PROVINCE_CHOICES: tuple[Province, ...] = (Province.sichuan, Province.chongqing)
PRECISIONS: tuple[Precision, ...] = tuple(Precision)

# Map views: None = both provinces whole; "core" = the Chengdu–Chongqing belt where most sites lie.
VIEW_BOUNDS: dict[str, tuple[float, float, float, float] | None] = {
    "all": None,
    "core": (103.0, 107.9, 28.4, 32.0),
}
MODES: tuple[str, ...] = ("plain", "sites", "tasks")
# Choropleth: white to a middle blue only, so that dark labels and markers stay readable on the busiest area.
CHOROPLETH_SCALE: list[list] = [[0.0, "#f7fbff"], [0.5, "#c6dbef"], [1.0, "#6baed6"]]


# --------------------------------------------------------------------------- words


def kind_labels(lang: str) -> dict[str, str]:
    return {kind.value: t(f"layout.kind.{kind.value}", lang) for kind in SiteKind}


def province_label(province: Province | str, lang: str) -> str:
    return t(f"layout.province.{Province(province).value}", lang)


def map_ui(lang: str, *, mode: str = "plain") -> dict[str, str]:
    """The hover and colour-bar words `site_map_figure` expects; the colour bar names what is counted."""
    ui = {key: t(f"layout.ui.{key}", lang) for key in UI_KEYS}
    if mode in ("sites", "tasks"):
        ui["count"] = t(f"layout.mode.{mode}.count", lang)
    return ui


# --------------------------------------------------------------------------- filters and the tree


def filter_sites(
    sites: Iterable[Site],
    *,
    kinds: Collection[SiteKind | str] | None = None,
    provinces: Collection[Province | str] | None = None,
) -> list[Site]:
    """Sites of the given kinds in the given provinces, in plan order.

    None means "no filter"; an empty collection keeps nothing. A site shared by both
    provinces (`province: both`, e.g. 成渝综合性科学中心) belongs to each of them, so it is
    kept whenever 四川 or 重庆 is chosen.
    """
    wanted_kinds = None if kinds is None else {SiteKind(k) for k in kinds}
    wanted_provinces = None if provinces is None else {Province(p) for p in provinces}
    if wanted_provinces is not None and wanted_provinces & set(PROVINCE_CHOICES):
        wanted_provinces.add(Province.both)
    return [
        s
        for s in sites
        if (wanted_kinds is None or s.kind in wanted_kinds)
        and (wanted_provinces is None or s.province in wanted_provinces)
    ]


def breadcrumb(plan: Plan, site_id: str) -> list[Site]:
    """The chain of parents from the root down to the site itself (KeyError for an unknown id)."""
    by_id = plan.site_by_id
    chain = [by_id[site_id]]
    seen = {site_id}
    while chain[-1].parent is not None and chain[-1].parent in by_id:
        parent = chain[-1].parent
        if parent in seen:
            raise ValueError(f"site {site_id!r} is in a parent cycle")
        seen.add(parent)
        chain.append(by_id[parent])
    return list(reversed(chain))


def children(plan: Plan, site_id: str) -> list[Site]:
    """The sites whose parent is `site_id`, in plan order."""
    return [s for s in plan.sites if s.parent == site_id]


def tree_sites(sites: Sequence[Site]) -> list[Site]:
    """The sites of the 一城多园 hierarchy proper: those with a parent or with parts, in plan order.
    Stand-alone sites (no parent, no parts) are left out, so the tree stays readable."""
    ids = {s.id for s in sites}
    parents = {s.parent for s in sites if s.parent in ids}
    return [s for s in sites if s.parent in ids or s.id in parents]


def tasks_naming(plan: Plan, site_id: str) -> list:
    """The tasks that name the site, by task number."""
    numbers = set(plan.tasks_by_site.get(site_id, ()))
    return sorted((task for task in plan.tasks if task.number in numbers), key=lambda task: task.number)


# --------------------------------------------------------------------------- choropleth


def task_counts_by_area(
    sites: Iterable[Site], tasks_by_site: Mapping[str, Sequence[int]], boundaries: Mapping
) -> dict[str, int]:
    """Per prefecture/district: how many different tasks name at least one of the given
    sites located there. A task naming three sites in 成都 counts once for 成都.
    Every area appears (zero included); sites without coordinates are not counted."""
    site_list = list(sites)
    located = site_areas(site_list, boundaries)
    named: dict[str, set[int]] = {
        str(f["properties"]["id"]): set()
        for f in boundaries["features"]
        if f["properties"]["level"] in ("prefecture", "district")
    }
    for site in site_list:
        area = located.get(site.id)
        if area is not None:
            named.setdefault(area, set()).update(tasks_by_site.get(site.id, ()))
    return {area: len(numbers) for area, numbers in named.items()}


# --------------------------------------------------------------------------- the map


def layout_map(
    plan: Plan, lang: str, *, kinds: tuple[SiteKind, ...], provinces: tuple[Province, ...], mode: str, view: str
) -> go.Figure:
    """The layout page's map from the page's own choices only, so that it can be cached on them (`figure_cache`)."""
    shown = filter_sites(plan.sites, kinds=kinds, provinces=provinces)
    boundaries = bundled_boundaries()
    counts = None
    if mode == "sites":
        counts = site_counts_by_area(shown, boundaries)
    elif mode == "tasks":
        counts = task_counts_by_area(shown, plan.tasks_by_site, boundaries)
    return site_map_figure(
        shown, boundaries, kinds_shown=kinds, labels=kind_labels(lang), lang=lang, tasks_by_site=plan.tasks_by_site,
        connections=plan.connections, choropleth_counts=counts, ui=map_ui(lang, mode=mode),
        bounds=VIEW_BOUNDS[view], label_width_px=520 if counts is None else 440, height=540, colorscale=CHOROPLETH_SCALE,
    )


# --------------------------------------------------------------------------- tables


def _task_numbers(plan: Plan, site_id: str) -> str:
    return ", ".join(str(n) for n in sorted(set(plan.tasks_by_site.get(site_id, ())))) or "—"


def site_table(plan: Plan, sites: Sequence[Site], lang: str) -> pd.DataFrame:
    """One row per site: name, kind, province, parent, city, precision and the tasks naming it."""
    labels = kind_labels(lang)
    by_id = plan.site_by_id
    columns = [
        t("layout.col.name", lang),
        t("layout.col.kind", lang),
        t("layout.col.province", lang),
        t("layout.col.parent", lang),
        t("layout.col.city", lang),
        t("layout.col.precision", lang),
        t("layout.col.tasks", lang),
    ]
    rows = [
        [
            s.name.get(lang),
            labels[s.kind.value],
            province_label(s.province, lang),
            by_id[s.parent].name.get(lang) if s.parent in by_id else "—",
            s.city.get(lang) if s.city else "—",
            t(f"layout.ui.precision.{s.precision.value}", lang),
            _task_numbers(plan, s.id),
        ]
        for s in sites
    ]
    return pd.DataFrame(rows, columns=columns)


def unplaced(sites: Iterable[Site]) -> list[Site]:
    """Sites with no coordinates (precision none): not on the map, so listed in a table."""
    return [s for s in sites if s.lon is None or s.lat is None]


def placed(sites: Iterable[Site]) -> list[Site]:
    return [s for s in sites if s.lon is not None and s.lat is not None]
