"""Exports neutralise formula-looking cells in CSV and XLSX, also behind leading whitespace."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tracker.domain.spreadsheet import neutralise, write_csv, write_xlsx


def test_neutralise_prefixes_formula_starts_only() -> None:
    for risky in ["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(risky) == "'" + risky
    assert neutralise("Plain text") == "Plain text"
    assert neutralise(5) == 5
    assert neutralise(None) is None


def test_write_csv_neutralises_and_keeps_header() -> None:
    data = write_csv(
        [['=HYPERLINK("x")', 3, date(2026, 1, 2), None]], ["Title", "N", "Due", "Owner"]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Title", "N", "Due", "Owner"], ['\'=HYPERLINK("x")', "3", "2026-01-02", ""]]


def test_write_xlsx_neutralises_and_names_sheet() -> None:
    data = write_xlsx([["+cmd", 2]], ["Title", "N"], sheet_title="Action plan: [2026]")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Action plan   2026"
    assert [c.value for c in sheet[1]] == ["Title", "N"]
    assert [c.value for c in sheet[2]] == ["'+cmd", 2]


HOSTILE = [
    ' =HYPERLINK("http://evil.example","x")',
    "  +1+1",
    "\n=1+1",
    "\u00a0-2+3",
    " @SUM(A1)",
    "\uff1dcmd|' /C calc'!A0",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_whitespace_before_a_formula_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_text_and_numbers_are_untouched():
    assert [neutralise(v) for v in (" plain", "a=b", 3, -4.5, None)] == [
        " plain",
        "a=b",
        3,
        -4.5,
        None,
    ]


def test_every_cell_of_both_writers_is_neutralised():
    rows = [[value, 1] for value in HOSTILE]
    text = write_csv(rows, [" =header", "n"]).decode("utf-8-sig")
    for value in HOSTILE:
        assert ("'" + value.replace('"', '""')) in text
    assert "' =header" in text
    book = load_workbook(io.BytesIO(write_xlsx(rows, [" =header", "n"])))
    cells = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert all(str(cell).startswith("'") for cell in cells)
