"""The neutral shape every reader produces: a header mapped to known columns, then data rows.

Readers (text document, CSV, XLSX) only turn bytes into rows of strings with their row numbers;
this module finds the header row, maps header names (any case, any surrounding space, a few
common synonyms) to the columns the importer knows, and reports missing columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing.limits import (
    MAX_COLUMNS,
    cell_problem,
    check_row_number,
    column_name,
    refuse,
)

QUESTION, LEVEL, DEFINITION, COMPONENT, NUMBER = (
    "question",
    "level",
    "definition",
    "component",
    "number",
)
HEADER_NAMES = {
    QUESTION: {"question", "question text", "questions"},
    LEVEL: {"score", "level", "maturity level", "maturity", "rating", "scored level"},
    DEFINITION: {"definition", "description", "descriptor", "evidence", "comment", "comments"},
    COMPONENT: {"component", "domain", "section", "theme"},
    NUMBER: {"number", "no", "no.", "num", "#", "question number", "question no", "q", "ref"},
}
HEADER_SEARCH_ROWS = 30


# Zero-width characters that text copied from web pages or Word carries invisibly.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise_header(text: str) -> str:
    """Lower-case, single-spaced, without a trailing colon or asterisk."""
    return re.sub(r"\s+", " ", text.translate(ZERO_WIDTH)).strip().strip(":*").strip().lower()


@dataclass
class RawRow:
    """One data row as read from the file, keyed by known column (missing ones are "")."""

    row: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass
class Table:
    """Rows read from a file, with the file's own header label for each known column."""

    labels: dict[str, str]
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)

    def label(self, column: str) -> str:
        return self.labels.get(column, column.capitalize())

    def column_at(self, index: int, fallback: str) -> str:
        """The header label of the column at `index`, else `fallback` (e.g. its letter)."""
        for column, position in self.positions.items():
            if position == index:
                return self.label(column)
        return fallback


def map_header(cells: list[str]) -> dict[str, int]:
    """Which position holds each known column (first occurrence wins)."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = normalise_header(cell)
        for column, names in HEADER_NAMES.items():
            if name in names and column not in positions:
                positions[column] = index
    return positions


def is_header(positions: dict[str, int]) -> bool:
    """A header names the level column and the question (by text or number)."""
    return LEVEL in positions and (QUESTION in positions or NUMBER in positions)


def row_values(cells: list[str], positions: dict[str, int]) -> dict[str, str]:
    return {
        column: (cells[index] if index < len(cells) else "") for column, index in positions.items()
    }


def bounded_cells(number: int, cells: list[str]) -> list[str]:
    """Refuse a row past the row limit or wider than the column limit (trailing empty cells,
    which spreadsheets often write, are dropped rather than refused)."""
    check_row_number(number)
    if len(cells) > MAX_COLUMNS:
        if any(cell.strip() for cell in cells[MAX_COLUMNS:]):
            raise refuse(
                f"the row has more than {MAX_COLUMNS} columns: remove the columns that are "
                "not part of the results",
                row=number,
            )
        cells = cells[:MAX_COLUMNS]
    return cells


def check_cells(number: int, cells: list[str], table: Table | None) -> None:
    """A cell too long or holding a NUL: a problem of its row and column once the header is
    known (so every such cell is reported), refused at once above the header."""
    for index, cell in enumerate(cells):
        message = cell_problem(cell)
        if message is None:
            continue
        label = column_name(index)
        if table is None:
            raise refuse(message, row=number, column=label)
        table.problems.append(Problem(message, row=number, column=table.column_at(index, label)))


def build_table(rows: Iterable[tuple[int, list[str]]]) -> Table:
    """Find the header (below any title rows), then collect the non-empty rows beneath it."""
    first_seen: tuple[int, list[str]] | None = None
    positions: dict[str, int] | None = None
    table: Table | None = None
    for number, cells in rows:
        cells = bounded_cells(number, cells)
        if not any(cell.strip() for cell in cells):
            continue
        check_cells(number, cells, table)
        if table is None:
            first_seen = first_seen or (number, cells)
            candidate = map_header(cells)
            if is_header(candidate):
                positions = candidate
                table = Table(
                    labels={col: cells[i].strip() for col, i in candidate.items()},
                    positions=candidate,
                )
            elif number - first_seen[0] >= HEADER_SEARCH_ROWS:
                break
            continue
        assert positions is not None
        table.rows.append(RawRow(row=number, cells=row_values(cells, positions)))
    if table is None:
        raise InvalidInput(problems=[missing_header_problem(first_seen)])
    return table


def missing_header_problem(first_seen: tuple[int, list[str]] | None) -> Problem:
    """Explain which required column could not be found, located at the first non-empty row."""
    if first_seen is None:
        return Problem("the file is empty: it has no rows to import")
    row, cells = first_seen
    positions = map_header(cells)
    missing = []
    if LEVEL not in positions:
        missing.append("Score (or Level)")
    if QUESTION not in positions and NUMBER not in positions:
        missing.append("Question (or Number)")
    return Problem(
        "no header row found: the file needs columns named Question and Score "
        f"(missing: {', '.join(missing)})",
        row=row,
        column=" and ".join(missing),
    )
