"""XLSX workbooks, read with openpyxl in read-only mode (the first sheet, or a named one)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing.limits import MAX_COLUMNS, check_workbook_parts
from tracker.domain.rounds.importing.table import Table, build_table


def cell_text(value: Any) -> str:
    """Cell values as the person typed them: 3.0 becomes "3", dates become ISO text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes, *, sheet: str | None = None) -> Table:
    """Read the chosen sheet's rows; the header may sit below title rows. The zip's declared
    sizes are checked first, so a small file that unpacks to gigabytes is never parsed."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_workbook_parts(archive)
    except zipfile.BadZipFile as error:
        raise unreadable(error) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any failure to parse untrusted bytes is the file's
        raise unreadable(error) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            raise InvalidInput(
                problems=[Problem(f"the workbook has no sheet named '{sheet}' (sheets: {names})")]
            )
        return build_table(_rows(worksheet))
    except InvalidInput:
        raise
    except Exception as error:  # noqa: BLE001 - rows are parsed lazily, so errors surface here
        raise unreadable(error) from None
    finally:
        workbook.close()


def unreadable(error: Exception) -> InvalidInput:
    detail = type(error).__name__
    return InvalidInput(
        problems=[Problem(f"the workbook cannot be opened: is it a valid XLSX file? ({detail})")]
    )


def _rows(worksheet: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows as text, up to MAX_COLUMNS wide (build_table refuses too many rows)."""
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    for number, values in enumerate(rows, start=1):
        yield number, [cell_text(value) for value in values]
