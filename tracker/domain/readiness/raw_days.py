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
    """The UK calendar date of a UTC timestamp column, as the driver returns it: a date on
    PostgreSQL, the stored text on other databases (read through `Days.uk`)."""

    inherit_cache = True
    name = "uk_day_of"


@compiles(uk_day_of)
def _uk_day_of_text(element: uk_day_of, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(uk_day_of, "postgresql")
def _uk_day_of_postgresql(element: uk_day_of, compiler: SQLCompiler, **kw: Any) -> str:
    zone = LONDON.key
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE '{zone}' AS DATE)"


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
    """raw UTC timestamp value -> the UK date it falls on (None stays None)."""

    def __missing__(self, value: Any) -> date | None:
        if value is None:
            self[None] = None
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            self[value] = value  # already the UK date (worked out by the database)
            return value
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        found = moment.astimezone(LONDON).date()
        self[value] = found
        return found


class Days:
    """Memoised conversion of raw driver values to dates: `days.dates[raw]` for DATE
    columns, `days.uk[raw]` for timestamps (C-speed lookups for repeated values)."""

    def __init__(self) -> None:
        self.dates = _DayMap()
        self.uk = _UkDayMap()

    def day(self, value: Any) -> date:
        return self.dates[value]

    def uk_day(self, value: Any) -> date | None:
        return self.uk[value]
