"""The pasted text document of the published summary: prose and headings around tables.

Each table starts with a tab-separated header line (Question, Score, Definition) and runs
until the next line without a tab. Row numbers are the document's line numbers, so a
problem can be found in any editor.
"""

from __future__ import annotations

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.importing.table import RawRow, Table, is_header, map_header, row_values


def read_text_document(text: str) -> Table:
    """Collect the rows of every Question/Score table in the document."""
    table: Table | None = None
    positions: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        cells = line.split("\t") if "\t" in line else None
        if cells is None:
            positions = None
            continue
        candidate = map_header(cells)
        if is_header(candidate):
            positions = candidate
            if table is None:
                table = Table(labels={col: cells[i].strip() for col, i in candidate.items()})
            continue
        if positions is not None and table is not None and any(c.strip() for c in cells):
            table.rows.append(RawRow(row=number, cells=row_values(cells, positions)))
    if table is None or not table.rows:
        raise InvalidInput(
            problems=[Problem("no Question/Score table with any rows was found in the document")]
        )
    return table
