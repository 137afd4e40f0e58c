"""Triggers for the scheduler, in Europe/London wall-clock time.

- FirstWeekdayTrigger: HH:MM on the first Monday-to-Friday day of each month.
- WallClockOnce: wraps a cron trigger so a time fires once on the day the clocks go back.
- reminder_trigger(REMINDER_CRON): "first-weekday HH:MM" (default) or a crontab line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from tracker import clock


def is_first_weekday(day: date) -> bool:
    """True on the first Monday-to-Friday day of the month (bank holidays are not known)."""
    return day.weekday() < 5 and all(
        date(day.year, day.month, earlier).weekday() >= 5 for earlier in range(1, day.day)
    )


class FirstWeekdayTrigger(BaseTrigger):
    """Fires at HH:MM (Europe/London) on the first weekday of each month."""

    def __init__(self, hour: int, minute: int, timezone: Any = clock.LONDON) -> None:
        self.cron = CronTrigger(
            day="1-3", day_of_week="mon-fri", hour=hour, minute=minute, timezone=timezone
        )

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        candidate = self.cron.get_next_fire_time(previous_fire_time, now)
        while candidate is not None and not is_first_weekday(candidate.date()):
            candidate = self.cron.get_next_fire_time(candidate, candidate)
        return candidate

    def __str__(self) -> str:
        return f"first weekday of the month at {self.cron.fields[5]}:{self.cron.fields[6]}"


class WallClockOnce(BaseTrigger):
    """Wraps a cron trigger so a UK wall-clock time fires once even when the clocks go back.

    APScheduler's CronTrigger fires a 01:30 job twice on the last Sunday of October (01:30 BST
    and 01:30 GMT both match); this skips a fire time whose local date, hour and minute equal
    the previous one's. (In March a time inside the skipped hour fires once, as APScheduler
    moves it on.)"""

    def __init__(self, inner: BaseTrigger) -> None:
        self.inner = inner

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire = self.inner.get_next_fire_time(previous_fire_time, now)
        while (
            fire is not None
            and previous_fire_time is not None
            and _wall(fire) == _wall(previous_fire_time)
        ):
            fire = self.inner.get_next_fire_time(fire, fire)
        return fire

    def __str__(self) -> str:
        return str(self.inner)


def _wall(moment: datetime) -> datetime:
    return moment.astimezone(clock.LONDON).replace(tzinfo=None)


def reminder_trigger(expression: str) -> BaseTrigger:
    """REMINDER_CRON: "first-weekday HH:MM" (the default) or a five-field crontab line."""
    expression = (expression or "first-weekday 08:00").strip()
    if expression.startswith("first-weekday"):
        hour, _, minute = (expression.partition(" ")[2].strip() or "08:00").partition(":")
        return WallClockOnce(FirstWeekdayTrigger(int(hour), int(minute or 0)))
    return WallClockOnce(CronTrigger.from_crontab(expression, timezone=clock.LONDON))


def daily(hour: int, minute: int) -> BaseTrigger:
    return WallClockOnce(CronTrigger(hour=hour, minute=minute, timezone=clock.LONDON))
