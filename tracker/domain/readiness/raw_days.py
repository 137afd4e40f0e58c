"""Reading dates and timestamps on the readiness hot path without per-row type processing.

Tens of thousands of milestone rows carry a handful of distinct dates, so the driver's raw
value (a string on SQLite, a date on PostgreSQL) is read as is and turned into a date once per
distinct value. Timestamps become the UK date they fall on: PostgreSQL works that date out
itself (`uk_day_of`, far cheaper than building an aware datetime per row); SQLite, which has
no time zones, hands over its text and it is converted once per distinct value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from tracker.domain.dates import LONDON


def raw(column: Any) -> ColumnElement[Any]:
    """The column as the driver returns it (no SQLAlchemy result processing)."""
    return type_coerce(column, String)


class uk_day_of(FunctionElement[Any]):
    """The UK calendar date of a UTC timestamp column, or what it is worked out from, as the
    driver returns it (read through `Days.uk`):
    - PostgreSQL works the date out itself (`AT TIME ZONE`): a date per row;
    - SQLite, which has no time zones, gives the first 13 characters of its naive UTC text,
      the date and hour ("2027-03-28 00"): Europe/London changes its offset only on the hour,
      so they decide the UK date, and thousands of ticks share a few hundred of them;
    - any other database gives the column as it is."""

    inherit_cache = True
    name = "uk_day_of"


@compiles(uk_day_of)
def _uk_day_of_column(element: uk_day_of, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(uk_day_of, "sqlite")
def _uk_day_of_sqlite(element: uk_day_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, {len(_HOUR)})"


@compiles(uk_day_of, "postgresql")
def _uk_day_of_postgresql(element: uk_day_of, compiler: SQLCompiler, **kw: Any) -> str:
    zone = LONDON.key
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE '{zone}' AS DATE)"


_HOUR = "YYYY-MM-DD HH"


def driver_rows(session: Session, statement: Executable) -> list[tuple[Any, ...]]:
    """All rows of `statement` as the driver's own tuples.

    The statement runs through the session's connection as usual (so it is logged, counted
    and in the same transaction), but its rows are fetched straight from the driver's cursor:
    no Row object and no type processing per row, which on 50,000 milestones is most of the
    cost of reading them. Columns that need converting are read with `raw` and converted once
    per distinct value (`Days`)."""
    result = session.connection().execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


class _DayMap(dict[Any, date]):
    """raw DATE value -> date; a plain dict lookup once a value has been seen."""

    def __missing__(self, value: Any) -> date:
        found = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        self[value] = found
        return found


class _UkDayMap(dict[Any, "date | None"]):
    """raw UTC timestamp value -> the UK date it falls on (None stays None): a date the
    database worked out passes through; SQLite's date and hour, or a whole timestamp (text
    or datetime; naive means UTC), is converted."""

    def __missing__(self, value: Any) -> date | None:
        if value is None:
            found = None
        elif isinstance(value, date) and not isinstance(value, datetime):
            found = value  # already the UK date (worked out by the database)
        elif isinstance(value, str) and len(value) == len(_HOUR):
            hour = datetime.fromisoformat(value[:10]).replace(hour=int(value[11:]))
            found = _uk_date(hour)
        else:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            found = _uk_date(moment)
        self[value] = found
        return found


def _uk_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


class Days:
    """Memoised conversion of raw driver values to dates: `days.dates[raw]` for DATE
    columns, `days.uk[raw]` for timestamps (C-speed lookups for repeated values)."""

    def __init__(self) -> None:
        self.dates = _DayMap()
        self.uk = _UkDayMap()
