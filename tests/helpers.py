"""Small builders shared by test modules (fixtures live in the conftest.py files)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from components.plan.model import Site

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
EXPORTED = dt.date(2026, 3, 1)  # the export date the briefing files are stamped with in tests


def need_chromium() -> None:
    """Image exports draw with Debian's Chromium: skip without it on a developer's machine, fail in CI."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if IN_CI:
            pytest.fail("Chromium is missing (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")


def site(site_id: str, lon: float | None, lat: float | None, *, kind: str = "zone", parent: str | None = None) -> Site:
    """A Sichuan site with its id as its name, placed when given coordinates."""
    return Site(
        id=site_id,
        name={"zh": site_id, "en": site_id},
        kind=kind,
        province="sichuan",
        parent=parent,
        lon=lon,
        lat=lat,
        precision="site" if lon is not None else "none",
        source="plan_text",
    )


def fill_sheet(raw: bytes, rows: dict[int, dict[str, object]], *, edit=None) -> bytes:
    """A downloaded 台账 sheet filled in as an agency would: `rows` maps a task number to {column: value}
    (columns named as in `plan/report_sheet.COLUMNS`). `edit(sheet)` may change anything else first."""
    import io

    import openpyxl

    from components.plan.report_sheet import COLUMNS

    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = workbook.worksheets[0]
    if edit is not None:
        edit(sheet)
    where: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2):
        where.setdefault(row[0].value, row[0].row)  # a task named twice: the first row
    for task, values in rows.items():
        for column, value in values.items():
            sheet.cell(where[task], COLUMNS.index(column) + 1, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
