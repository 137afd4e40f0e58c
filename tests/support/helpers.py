"""Constants and small helpers the tests share."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from tracker.extensions import db

PASSWORD = "a-long-test-passphrase"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)
ROOT = Path(__file__).resolve().parents[2]
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "nhs-impact-self-assessment-summary.txt"
# A byte-for-byte copy of the shared sample, so the suite runs from any clone.
SAMPLE = ROOT / "tests" / "data" / "nhs-impact-self-assessment-summary.txt"


def table_counts(session: Session) -> dict[str, int]:
    """Rows per table: tests compare these to prove a refused input wrote nothing."""
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = session.execute(
            text(f'SELECT count(*) FROM "{table.name}"')
        ).scalar_one()
    return counts


class ServerLikeClient(FlaskClient):
    """A test client that reads and closes each response as a real server does, so work the
    app schedules for after the response (Response.call_on_close, e.g. sending account email)
    happens before the test looks at the result."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)
