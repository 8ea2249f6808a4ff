"""DataFrame → download bytes, shared by every page that offers a table.

CSV is UTF-8 with a byte-order mark so that Excel opens Chinese text
correctly; xlsx is written cell by cell with openpyxl so that text stays
text. Both guard against spreadsheet formula injection: plan text and what
agencies write are data, and a cell such as `=HYPERLINK(...)` must not become
a live formula. In CSV such a cell gets a leading apostrophe (OWASP); in xlsx
it is a text cell with Excel's "quote prefix", which shows the text as it is and
keeps it text even when someone edits the cell.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from components.i18n import display_width

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = b"\xef\xbb\xbf"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# What XML 1.0 cannot hold: C0 controls but tab and line ends, lone surrogates, and U+FFFE/U+FFFF (lxml refuses them all)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CORE_PROPERTY_CHARS = 255  # the Office core properties (title, subject) hold at most this many characters


def xml_safe(text: str) -> str:
    """Plan text for any Office file: the characters XML cannot hold dropped (else the whole file fails to build)."""
    return _ILLEGAL_XML.sub("", text)


def core_property(text: str) -> str:
    """A title or subject for a file's core properties: XML-safe and cut to their limit with an ellipsis."""
    safe = xml_safe(text)
    return safe if len(safe) <= CORE_PROPERTY_CHARS else safe[: CORE_PROPERTY_CHARS - 1] + "…"


def defuse(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (OWASP's advice for CSV)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell defused: for a table on screen whose cells someone else wrote, because Streamlit's own table
    toolbar (download as CSV, copy) passes cells on as they are."""
    return frame.apply(lambda column: column.map(defuse) if column.dtype == object or pd.api.types.is_string_dtype(column) else column)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, no index column, headers as given."""
    safe = defused(frame)
    safe.columns = [defuse(str(c)) for c in frame.columns]
    return BOM + safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _sheet_title(name: str) -> str:
    cleaned = _BAD_SHEET_CHARS.sub("_", xml_safe(name)).strip("'") or "Sheet1"
    return cleaned[:31]


def text_cell(value: str) -> str:
    """Text for an xlsx cell: no characters XML cannot hold, and never the start of a formula."""
    return defuse(xml_safe(value))


def keep_as_text(cell) -> None:
    """An openpyxl cell holding a string: stored as text, and marked with Excel's quote prefix when it starts like a
    formula, so that editing it in Excel or LibreOffice does not turn it into one either."""
    if not isinstance(cell.value, str):
        return
    cell.data_type = "s"
    if cell.value.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, (list, tuple, dict, str)) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (int, float, bool)):
        return value
    return str(value)


def xlsx_bytes(frame: pd.DataFrame, *, sheet_name: str = "Sheet1") -> bytes:
    """One sheet: bold header row, frozen, columns sized to their text; every string cell stored as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_name)
    headers = [xml_safe(str(c)) for c in frame.columns]
    sheet.append(headers)
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell_value(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                keep_as_text(cell)  # never a formula, whatever the text starts with
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        values = [header, *(str(v) for v in frame.iloc[:, index - 1].tolist())]
        width = max(display_width(v) for v in values) + 2
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width, 8), 60)
        if width > 60:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
