"""CSV in the shapes spreadsheets write: any common delimiter, BOM or not, CRLF, quotes."""

from __future__ import annotations

import csv
import io

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing.limits import check_row_number
from tracker.domain.rounds.importing.table import Table, build_table

DELIMITERS = ",;\t|"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel on Windows saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInput(
            problems=[Problem("the file's text cannot be read: save it as CSV UTF-8 and try again")]
        ) from None


def sniff_delimiter(text: str) -> str:
    """csv.Sniffer on the first lines, falling back to the most frequent delimiter."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = next((line for line in text.splitlines() if line.strip()), "")
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv(text: str) -> Table:
    """Rows of a CSV text, numbered by record (a quoted multi-line cell counts as one row)."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            check_row_number(number)
            rows.append((number, cells))
    except csv.Error as error:
        raise InvalidInput(
            problems=[Problem(f"the CSV file cannot be read ({error})", row=reader.line_num)]
        ) from None
    return build_table(rows)
