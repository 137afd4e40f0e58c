"""The pasted text document of the published summary: prose and headings around tables.

Each table starts with a tab-separated header line (Question, Score, Definition) and runs
until the next line without a tab. Row numbers are the document's line numbers, so a
problem can be found in any editor.

A pasted document often breaks a table with a blank line, or puts a component's name on a
line of its own before its first question. A tab-separated line that carries a numbered
question ("19. Aligned goals.") after such a break is still a row of the last table: it is
read with that table's columns (and checked like any other row) rather than silently left
out, which would import fewer scores than the document holds.
"""

from __future__ import annotations

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing.limits import check_row_number
from tracker.domain.rounds.importing.matching import NUMBER_CELL, split_question_cell
from tracker.domain.rounds.importing.table import (
    NUMBER,
    QUESTION,
    RawRow,
    Table,
    bounded_cells,
    check_cells,
    is_header,
    map_header,
    row_values,
)


def read_text_document(text: str) -> Table:
    """Collect the rows of every Question/Score table in the document."""
    table: Table | None = None
    positions: dict[str, int] | None = None
    last_positions: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        check_row_number(number)
        cells = bounded_cells(number, line.split("\t")) if "\t" in line else None
        if cells is None:
            positions = None
            continue
        candidate = map_header(cells)
        if is_header(candidate):
            positions = last_positions = candidate
            if table is None:
                labels = {col: cells[i].strip() for col, i in candidate.items()}
                table = Table(labels=labels, positions=candidate)
            continue
        if (
            positions is None
            and last_positions is not None
            and _numbered_row(cells, last_positions)
        ):
            positions = last_positions
        if positions is not None and table is not None and any(c.strip() for c in cells):
            check_cells(number, cells, table)
            table.rows.append(RawRow(row=number, cells=row_values(cells, positions)))
    if table is None or not table.rows:
        raise InvalidInput(
            problems=[Problem("no Question/Score table with any rows was found in the document")]
        )
    return table


def _numbered_row(cells: list[str], positions: dict[str, int]) -> bool:
    """True when the line, read with a table's columns, names a question by its number."""
    values = row_values(cells, positions)
    if values.get(NUMBER, "").strip():
        return NUMBER_CELL.match(values[NUMBER]) is not None
    number, _ = split_question_cell(values.get(QUESTION, ""))
    return number is not None
