"""The one place the app reads the clock; domain code is handed these values instead."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.domain.dates import LONDON

__all__ = ["LONDON", "now", "today"]


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Europe/London (what "overdue" and reminders are measured against)."""
    return datetime.now(LONDON).date()
