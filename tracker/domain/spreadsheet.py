"""Writing tabular exports (CSV and XLSX) that are safe to open in a spreadsheet.

A cell whose text starts with = + - @ (or a tab or carriage return) would be read by Excel or
LibreOffice as a formula, so every string cell goes through `neutralise` first: it gains a leading
apostrophe, which spreadsheets show as plain text. Leading spaces, line breaks and other
whitespace are looked through first (LibreOffice and some import settings trim them, and
" =HYPERLINK(...)" must not slip past). Numbers, dates and None are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Full-width forms of = + - @ that some spreadsheet locales read as their ASCII twins.
_LOOKALIKES = ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe62", "\ufe63", "\ufe66")
MAX_SHEET_TITLE = 31
_BAD_TITLE_CHARS = str.maketrans({char: " " for char in "[]:*?/\\"})


def neutralise(value: Any) -> Any:
    """Return `value` safe for a spreadsheet cell: strings that look like formulas gain a leading '."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) or value.lstrip().startswith(
        FORMULA_PREFIXES + _LOOKALIKES
    ):
        return "'" + value
    return value


def _cell_text(value: Any) -> str:
    """Plain text for a CSV cell (dates as ISO, None as empty)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(neutralise(value))


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> bytes:
    """CSV bytes (UTF-8 with BOM so Excel reads accents, CRLF line ends) with formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell_text(name) for name in header])
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str) -> str:
    """A sheet title Excel accepts: no []:*?/\\ characters, at most 31 characters, not empty."""
    cleaned = title.translate(_BAD_TITLE_CHARS).strip()[:MAX_SHEET_TITLE]
    return cleaned or "Sheet1"


def write_xlsx(
    rows: Iterable[Sequence[Any]], header: Sequence[str], sheet_title: str = "Sheet1"
) -> bytes:
    """XLSX bytes with a bold, frozen header row; strings neutralised, dates kept as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    sheet.append([neutralise(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
