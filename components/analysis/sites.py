"""The science-city layout as numbers and tables: filters, the site tree, counts per area, the site table.

No Streamlit, no Plotly here. Words come from `components.i18n.t`, names from the plan's zh/en
fields, so every function can be tested with the bundled plan directly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from components.i18n import t
from components.plan.boundaries import AREA_LEVELS, polygons
from components.plan.model import Plan, Precision, Province, Site, SiteKind

PROVINCE_CHOICES: tuple[Province, ...] = (Province.sichuan, Province.chongqing)
PRECISIONS: tuple[Precision, ...] = tuple(Precision)

# --------------------------------------------------------------------------- words


def kind_labels(lang: str) -> dict[str, str]:
    return {kind.value: t(f"layout.kind.{kind.value}", lang) for kind in SiteKind}


def province_label(province: Province | str, lang: str) -> str:
    return t(f"layout.province.{Province(province).value}", lang)


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
        if (wanted_kinds is None or s.kind in wanted_kinds) and (wanted_provinces is None or s.province in wanted_provinces)
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


# --------------------------------------------------------------------------- counts by area (point in polygon)


def task_counts_by_area(sites: Iterable[Site], tasks_by_site: Mapping[str, Sequence[int]], boundaries: Mapping) -> dict[str, int]:
    """Per prefecture/district: how many different tasks name at least one of the given
    sites located there. A task naming three sites in 成都 counts once for 成都.
    Every area appears (zero included); sites without coordinates are not counted."""
    site_list = list(sites)
    located = site_areas(site_list, boundaries)
    named: dict[str, set[int]] = {
        str(f["properties"]["id"]): set() for f in boundaries["features"] if f["properties"]["level"] in AREA_LEVELS
    }
    for site in site_list:
        area = located.get(site.id)
        if area is not None:
            named.setdefault(area, set()).update(tasks_by_site.get(site.id, ()))
    return {area: len(numbers) for area, numbers in named.items()}


@dataclass(frozen=True)
class _Area:
    id: str
    bbox: tuple[float, float, float, float]
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]


def _area_index(boundaries: Mapping, levels: Collection[str] = AREA_LEVELS) -> list[_Area]:
    index = []
    for feature in boundaries["features"]:
        props = feature["properties"]
        if props["level"] not in levels:
            continue
        rings = tuple(
            tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon) for polygon in polygons(feature["geometry"])
        )
        xs = [x for polygon in rings for x, _ in polygon[0]]
        ys = [y for polygon in rings for _, y in polygon[0]]
        index.append(_Area(str(props["id"]), (min(xs), max(xs), min(ys), max(ys)), rings))
    return index


def _in_ring(x: float, y: float, ring: Sequence[tuple[float, float]]) -> bool:
    """Ray casting (crossing number) towards +x."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _locate(lon: float, lat: float, index: Iterable[_Area]) -> str | None:
    for area in index:
        x0, x1, y0, y1 = area.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        for polygon in area.polygons:
            if _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
                return area.id
    return None


def _ring_moments(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """|area| and the area-weighted sums of x and y of one ring (shoelace), whatever its winding."""
    area = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, 0.0, 0.0
    centre_x, centre_y = cx / (3 * area), cy / (3 * area)
    return abs(area) / 2, centre_x * abs(area) / 2, centre_y * abs(area) / 2


def area_centre(boundaries: Mapping, area_id: str) -> tuple[float, float]:
    """Where a site known only by its area is drawn: the centroid of the area's outline (holes taken out),
    or, where a curved area's centroid falls outside it (泸州市), the middle of the widest stretch of the
    area along the centroid's latitude. Rounded to the file's 3 decimals.

    A point anyone can recompute from `data/boundaries.geojson`, not a position typed from memory.
    KeyError for an unknown id.
    """
    feature = next((f for f in boundaries["features"] if str(f["properties"]["id"]) == area_id), None)
    if feature is None:
        raise KeyError(area_id)
    rings = [(index, ring) for polygon in polygons(feature["geometry"]) for index, ring in enumerate(polygon)]
    total = sx = sy = 0.0
    for index, ring in rings:
        area, mx, my = _ring_moments(ring)
        sign = 1 if index == 0 else -1  # the first ring of a polygon is its outline, the others are holes
        total += sign * area
        sx += sign * mx
        sy += sign * my
    lon, lat = sx / total, sy / total
    if _locate(lon, lat, _area_index({"features": [feature]}, levels=(feature["properties"]["level"],))) is None:
        lon = _widest_stretch_middle([ring for _, ring in rings], lat)
    return round(lon, 3), round(lat, 3)


def _widest_stretch_middle(rings: Sequence[Sequence[Sequence[float]]], lat: float) -> float:
    """The middle of the longest piece of the line of latitude `lat` that lies inside the rings (even–odd rule)."""
    crossings = sorted(
        x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        for ring in rings
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])
        if (y0 > lat) != (y1 > lat)
    )
    pieces = list(zip(crossings[::2], crossings[1::2]))
    start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
    return (start + end) / 2


def site_counts_by_area(sites: Iterable[Site], boundaries: Mapping, *, kinds: Collection[SiteKind | str] | None = None) -> dict[str, int]:
    """Number of sites with coordinates in each prefecture/district, by feature id.

    Every area appears (zero included); sites without coordinates are not counted.
    """
    index = _area_index(boundaries)
    wanted = None if kinds is None else {SiteKind(k) for k in kinds}
    counts = {area.id: 0 for area in index}
    for site in sites:
        if site.lon is None or site.lat is None or (wanted is not None and site.kind not in wanted):
            continue
        area_id = _locate(site.lon, site.lat, index)
        if area_id is not None:
            counts[area_id] += 1
    return counts


def site_areas(sites: Iterable[Site], boundaries: Mapping) -> dict[str, str | None]:
    """Site id → id of the prefecture/district its coordinates fall in (None outside every
    area); sites without coordinates are left out. Builds the area index once."""
    index = _area_index(boundaries)
    return {site.id: _locate(site.lon, site.lat, index) for site in sites if site.lon is not None and site.lat is not None}


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


def site_facts(plan: Plan, site: Site, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs for one site's detail line: kind, province, city, precision, coordinates, status, source."""
    facts = [
        (t("layout.detail.kind", lang), kind_labels(lang)[site.kind.value]),
        (t("layout.detail.province", lang), province_label(site.province, lang)),
        (t("layout.detail.city", lang), site.city.get(lang) if site.city else "—"),
        (t("layout.detail.precision", lang), t(f"layout.ui.precision.{site.precision.value}", lang)),
    ]
    if site.lon is not None and site.lat is not None:
        facts.append((t("layout.detail.coordinates", lang), f"{site.lon:.3f}° E, {site.lat:.3f}° N"))
    if site.status is not None:
        facts.append((t("layout.detail.status", lang), site.status.get(lang)))
    source = plan.source_by_id.get(site.source)
    if source is not None:
        facts.append((t("layout.detail.source", lang), f"{source.publisher}:{source.title}"))
    return facts
