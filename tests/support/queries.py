"""Counting the SQL statements a block of code sends, for the tests that prove a page or a query
costs the same however many rows there are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db


@contextmanager
def count_queries(engine: Engine | None = None) -> Iterator[list[str]]:
    """Collect the SQL statements sent inside the block.

    Yields a list that fills with each statement's text as it is sent to the database (the
    app's engine unless `engine` is given); an `executemany` counts once. Compare the lengths of
    two blocks, one run on few rows and one on many, to show the number of queries is fixed.
    """
    statements: list[str] = []
    target = engine if engine is not None else db.engine

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        statements.append(statement)

    event.listen(target, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", before_cursor_execute)
