"""The bundled outlines of 四川's prefectures and 重庆's districts (`data/boundaries.geojson`), read once.

The file is written by `scripts/build_boundaries.py`: features with properties `id`, `name_zh`,
`name_en`, `level` (province | prefecture | district) and `province`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from components.paths import BOUNDARIES

AREA_LEVELS = ("prefecture", "district")  # the areas sites are counted in; provinces are only outlines


def load_boundaries(path: str | Path) -> dict:
    """Read the boundaries GeoJSON (a FeatureCollection)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{path}: not a GeoJSON FeatureCollection")
    return data


@cache
def bundled_boundaries() -> dict:
    """The shipped boundaries, read once per process and shared: every function here only reads them."""
    return load_boundaries(BOUNDARIES)


def area_name(feature: Mapping, lang: str) -> str:
    props = feature["properties"]
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props["name_zh"])


def polygons(geometry: Mapping) -> list[list[list[Sequence[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")
