"""Raw timestamps become the UK date they fall on, however they are memoised."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, literal, select

from tracker.domain.readiness.raw_days import Days, uk_day_of

LONDON = ZoneInfo("Europe/London")


def _every_ten_minutes(day: date) -> list[datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=2)
    return [start + timedelta(minutes=10 * n) for n in range(6 * 28)]


@pytest.mark.parametrize(
    "day",
    [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2026, 7, 1), date(2026, 12, 1)],
    ids=["clocks forward", "clocks back", "clocks forward 2027", "summer", "winter"],
)
def test_sqlite_text_gives_the_uk_date_through_every_hour_of_a_clock_change(day):
    days = Days()
    for moment in _every_ten_minutes(day):
        expected = moment.astimezone(LONDON).date()
        naive = moment.replace(tzinfo=None)
        for text in (
            naive.strftime("%Y-%m-%d %H:%M:%S.%f"),  # how SQLAlchemy stores it on SQLite
            naive.strftime("%Y-%m-%d %H:%M:%S"),
            naive.strftime("%Y-%m-%dT%H:%M:%S"),
            naive.strftime("%Y-%m-%d %H"),  # what uk_day_of reads on SQLite: date and hour
        ):
            assert days.uk[text] == expected, text


def test_a_summer_tick_just_before_midnight_utc_is_the_next_uk_day():
    days = Days()
    assert days.uk["2026-07-01 23:30:00.000000"] == date(2026, 7, 2)
    assert days.uk["2026-07-01 22:59:59.999999"] == date(2026, 7, 1)
    assert days.uk["2026-12-01 23:30:00.000000"] == date(2026, 12, 1)


def test_text_with_its_own_offset_is_read_with_that_offset():
    days = Days()
    # 00:30 at +02:00 is 22:30 UTC the day before: 23:30 in London (summer), still 30 June.
    assert days.uk["2026-07-01 00:30:00+02:00"] == date(2026, 6, 30)
    assert days.uk["2026-07-01 23:30:00Z"] == date(2026, 7, 2)
    assert days.uk["2026-01-01 00:30:00-05:00"] == date(2026, 1, 1)


def test_dates_worked_out_by_the_database_and_aware_datetimes_pass_through():
    days = Days()
    assert days.uk[date(2026, 7, 2)] == date(2026, 7, 2)
    assert days.uk[datetime(2026, 7, 1, 23, 30, tzinfo=UTC)] == date(2026, 7, 2)
    assert days.uk[None] is None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # summer: already 2 July in London
        datetime(2026, 7, 1, 22, 59, 59, tzinfo=UTC),
        datetime(2026, 12, 1, 23, 30, tzinfo=UTC),  # winter: London is on UTC
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the clocks go forward at 01:00 UTC
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # the night the clocks go back
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    ],
)
def test_uk_day_of_reads_the_uk_date_on_this_database(session, moment):
    """What the database hands over for a stored timestamp, read through Days.uk, is the UK
    date, on SQLite (date and hour) and on PostgreSQL (the date, worked out there)."""
    raw = session.execute(select(uk_day_of(literal(moment, DateTime(timezone=True))))).scalar()
    assert Days().uk[raw] == moment.astimezone(LONDON).date()
