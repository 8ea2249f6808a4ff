"""Small builders shared by test modules (fixtures live in the conftest.py files)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from components.plan.model import Site

CHROMIUM = "/usr/bin/chromium"
EXPORTED = dt.date(2026, 3, 1)  # the export date the briefing files are stamped with in tests


def need_chromium() -> None:
    """Image exports draw with Debian's Chromium: without it the test fails and says how to install it (`make test` does)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing (apt-get install chromium fonts-noto-cjk, or make system-deps)")


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
