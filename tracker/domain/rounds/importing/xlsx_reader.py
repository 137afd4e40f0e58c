"""XLSX workbooks, read with openpyxl in read-only mode (the first sheet, or a named one)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing.table import Table, build_table

MAX_ROWS = 50_000
MAX_COLUMNS = 60


def cell_text(value: Any) -> str:
    """Cell values as the person typed them: 3.0 becomes "3", dates become ISO text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes, *, sheet: str | None = None) -> Table:
    """Read the chosen sheet's rows; the header may sit below title rows."""
    from openpyxl import load_workbook

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
    """Rows as text, up to MAX_COLUMNS wide; more than MAX_ROWS rows is refused."""
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise InvalidInput(
                problems=[Problem(f"the sheet has more than {MAX_ROWS:,} rows", row=number)]
            )
        yield number, [cell_text(value) for value in values]
