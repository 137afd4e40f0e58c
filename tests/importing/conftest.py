"""Fixtures for the import tests: the sample's bytes and a one-call importer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.support.helpers import NOW, SAMPLE
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.rounds.importing import ImportSummary, import_round
from tracker.extensions import db
from tracker.models import Framework

MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def do_import(session: Session, framework: Framework) -> Callable[..., ImportSummary]:
    """Import bytes as a round (defaults: 'Baseline 2025' held 2025-06-01); flushes, no commit."""
    organisation = default_organisation(session)
    session.commit()

    def run(data: bytes, round_name: str = "Baseline 2025", **options: object) -> ImportSummary:
        options.setdefault("held_on", date(2025, 6, 1))
        options.setdefault("max_bytes", MAX_BYTES)
        return import_round(
            session,
            None,
            organisation=organisation,
            data=data,
            round_name=round_name,
            now=NOW,
            **options,  # type: ignore[arg-type]
        )

    return run


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
