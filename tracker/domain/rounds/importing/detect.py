"""Reading any supported file into a Table: size and content checks, then format detection.

XLSX is recognised by its zip signature; a document whose first non-blank line is not a
header but which contains a tab-separated "Question / Score" header is the pasted text
document of the published summary; anything else textual is read as CSV (any delimiter).
"""

from __future__ import annotations

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing.csv_reader import decode_text, read_csv
from tracker.domain.rounds.importing.table import Table, is_header, map_header
from tracker.domain.rounds.importing.text_table import read_text_document
from tracker.domain.rounds.importing.xlsx_reader import read_xlsx

ZIP_SIGNATURE = b"PK\x03\x04"
BINARY_SIGNATURES = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def read_table(data: bytes, *, max_bytes: int, sheet: str | None = None) -> Table:
    """Turn uploaded bytes into a Table, or raise InvalidInput saying what is wrong."""
    if len(data) > max_bytes:
        raise InvalidInput(
            problems=[
                Problem(
                    f"the file is {_size(len(data))}, over the limit of {_size(max_bytes)}: "
                    "split it or remove unused sheets"
                )
            ]
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InvalidInput(problems=[Problem("the file is empty: it has no rows to import")])
    if data.startswith(ZIP_SIGNATURE):
        return read_xlsx(data, sheet=sheet)
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise InvalidInput(
            problems=[
                Problem(
                    "this is not a CSV, XLSX or text file: save the results as CSV or XLSX "
                    "and try again"
                )
            ]
        )
    text = decode_text(data)
    if looks_like_document(text):
        return read_text_document(text)
    return read_csv(text)


def looks_like_document(text: str) -> bool:
    """True when a tab header appears somewhere but is not the first non-blank line, or
    appears more than once (the tables of the summary pasted without the text above them)."""
    lines = [line for line in text.splitlines() if line.strip()]
    headers = [
        i
        for i, line in enumerate(lines)
        if "\t" in line and is_header(map_header(line.split("\t")))
    ]
    return bool(headers) and (headers[0] > 0 or len(headers) > 1)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{max(1, n // 1024)} KB"
