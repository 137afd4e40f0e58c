"""Dates the way the service uses them: the one UK time zone and the one way dates are written.

Everything "today", "overdue" and every schedule is measured in Europe/London; what people read
is "3 March 2026" (NHS.UK style), with the UK local time for moments ("3 March 2026 at 14:05").
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def local_date(moment: datetime) -> date:
    """The UK calendar date of an aware moment."""
    return moment.astimezone(LONDON).date()


def format_date(value: date | datetime | None) -> str:
    """ "3 March 2026"; a moment as "3 March 2026 at 14:05" in UK time; nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(LONDON)
        return f"{local.day} {local:%B %Y} at {local:%H:%M}"
    return f"{value.day} {value:%B %Y}"
