"""Fixtures for the import tests: the sample's bytes and a one-call importer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.support.helpers import NOW, SAMPLE
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.rounds.importing import ImportSummary, import_round
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
