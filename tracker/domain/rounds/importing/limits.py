"""Limits that keep a hostile or accidental file from costing the server memory or time.

A real self-assessment has a few dozen questions: a workbook of it unpacks to well under a
megabyte and a CSV of it is a few kilobytes. The limits below are many times that, and every
reader checks them *before* doing the expensive work (an XLSX's unpacked sizes are read from
the zip directory before any part is parsed; rows and cells are counted as they stream by),
so a refused file is refused quickly and in little memory.
"""

from __future__ import annotations

import zipfile

from tracker.domain.errors import InvalidInput, Problem

MAX_ROWS = 5_000  # rows read from any file, title and blank rows included
MAX_COLUMNS = 60  # cells read per row; more columns than this are refused in a CSV
MAX_CELL_CHARS = 5_000  # characters in one cell (a long definition is about 1,000)
MAX_UNPACKED_BYTES = 8 * 1024 * 1024  # all parts of an XLSX once unzipped
MAX_PART_BYTES = 4 * 1024 * 1024  # any one part (a sheet, the shared strings)
MAX_PARTS = 200  # files inside an XLSX
MAX_PROBLEMS_SHOWN = 50  # an error report lists this many problems and counts the rest


def refuse(message: str, row: int | None = None, column: str | None = None) -> InvalidInput:
    return InvalidInput(problems=[Problem(message, row=row, column=column)])


def check_workbook_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose directory declares parts too many or too big once unpacked.

    The declared sizes are enough: zipfile never returns more bytes than a part declares
    (a part that holds more fails its checksum), so nothing larger can reach the parser.
    """
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise refuse(f"the workbook has {len(members):,} parts, more than the {MAX_PARTS} allowed")
    for member in members:
        if member.file_size > MAX_PART_BYTES:
            raise refuse(
                f"the workbook part '{_short(member.filename)}' unpacks to "
                f"{_megabytes(member.file_size)}, over the limit of {_megabytes(MAX_PART_BYTES)}: "
                "remove unused sheets, pictures or very long cells"
            )
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise refuse(
            f"the workbook unpacks to {_megabytes(total)}, over the limit of "
            f"{_megabytes(MAX_UNPACKED_BYTES)}: remove unused sheets or pictures"
        )


def check_row_number(number: int) -> None:
    if number > MAX_ROWS:
        raise refuse(
            f"the file has more than {MAX_ROWS:,} rows: a self-assessment has far fewer, "
            "so remove the rows that are not scores",
            row=number,
        )


def cell_problem(value: str) -> str | None:
    """Why a cell's text cannot be imported, or None."""
    if len(value) > MAX_CELL_CHARS:
        return f"the cell is {len(value):,} characters long, over the limit of {MAX_CELL_CHARS:,}"
    if "\x00" in value:
        return "the cell contains a NUL character (an invisible control character): retype it"
    return None


def column_name(index: int) -> str:
    """Spreadsheet-style name of a 0-based column position: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
