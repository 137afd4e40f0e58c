"""The scheduler: fire times across clock changes, first weekday, catch-up once, locks, and
no scheduler anywhere in the web app."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select

from tests.support.reminders import AS_OF
from tracker import clock
from tracker.extensions import db
from tracker.models import JobLease, JobRun, Notification
from tracker.scheduling.jobs import JOBS, build_scheduler, catch_up
from tracker.scheduling.locks import job_lock
from tracker.scheduling.triggers import FirstWeekdayTrigger, WallClockOnce, reminder_trigger


def fire_times(trigger, start: datetime, end: datetime) -> list[datetime]:
    times, previous = [], None
    now = start
    while True:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None or fire > end:
            return times
        times.append(fire)
        previous, now = fire, fire


def test_daily_jobs_fire_once_on_each_day_across_the_clock_changes(app):
    london = clock.LONDON
    for change in (date(2027, 3, 28), date(2027, 10, 31)):
        start = datetime.combine(change - timedelta(days=2), datetime.min.time(), london)
        end = start + timedelta(days=5)
        for spec in JOBS.values():
            trigger = spec.trigger(app.config)
            if spec.name in ("reminders", "weekly-digest"):
                continue
            days = Counter(t.astimezone(london).date() for t in fire_times(trigger, start, end))
            assert set(days.values()) == {1}, (spec.name, change, days)
            assert len(days) == 5
        # 01:30 falls in the hour that is skipped in March and repeated in October
        awkward = WallClockOnce(CronTrigger(hour=1, minute=30, timezone=london))
        days = Counter(t.astimezone(london).date() for t in fire_times(awkward, start, end))
        assert set(days.values()) == {1} and len(days) == 5, days


def test_plain_cron_would_fire_twice_when_the_clocks_go_back():
    # why WallClockOnce exists: APScheduler's CronTrigger matches 01:30 BST and 01:30 GMT
    start = datetime(2027, 10, 31, tzinfo=clock.LONDON)
    raw = CronTrigger(hour=1, minute=30, timezone=clock.LONDON)
    assert len(fire_times(raw, start, start + timedelta(hours=23))) == 2


def test_monthly_digest_fires_on_the_first_weekday_at_eight_uk_time():
    trigger = reminder_trigger("first-weekday 08:00")
    assert isinstance(trigger, WallClockOnce) and isinstance(trigger.inner, FirstWeekdayTrigger)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    times = [
        t.astimezone(clock.LONDON) for t in fire_times(trigger, start, start + timedelta(days=365))
    ]
    assert [t.date() for t in times[:6]] == [
        date(2026, 12, 1),  # Tuesday
        date(2027, 1, 1),  # Friday (bank holidays are not known)
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 4, 1),
        date(2027, 5, 3),  # 1 May 2027 is a Saturday
    ]
    assert len(times) == 12
    assert {(t.hour, t.minute) for t in times} == {(8, 0)}  # in both GMT and BST


def test_reminder_schedule_accepts_a_crontab_line():
    trigger = reminder_trigger("30 9 * * mon")
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 27, tzinfo=UTC))
    assert fire.astimezone(clock.LONDON) == datetime(2026, 11, 30, 9, 30, tzinfo=clock.LONDON)


def test_no_scheduler_exists_in_the_web_app(app, client):
    assert client.get("/").status_code in (200, 302)
    assert not [
        t for t in threading.enumerate() if "APScheduler" in t.name or "scheduler" in t.name.lower()
    ]
    assert not any("sched" in key for key in app.extensions)


def test_scheduler_has_fixed_ids_coalesces_and_runs_one_instance(app):
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {*JOBS, "outbox"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time and job.misfire_grace_time >= 3600
    assert not scheduler.running


def test_a_missed_month_is_caught_up_once(app, session, org, smtp):
    # The scheduler was down over 1 December; it comes back on the 10th.
    back = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    outcomes = catch_up(now=back)
    ran = [outcome.name for outcome in outcomes]
    assert ran.count("reminders") == 1
    assert (
        session.scalar(select(func.count()).select_from(JobRun).where(JobRun.job == "reminders"))
        == 1
    )
    assert catch_up(now=back + timedelta(hours=1)) == []
    digests = [m for m in smtp.collector.messages if m["X-Tracker-Kind"] == "digest"]
    assert sorted(m["To"] for m in digests) == sorted([org.late_owner.email, org.busy_owner.email])
    # November, also missed, is not sent late: only the current period is caught up
    periods = set(session.scalars(select(Notification.period).where(Notification.kind == "digest")))
    assert periods == {"2026-12"}


def test_a_job_whose_lock_is_held_does_nothing_and_says_so(app, session, org, smtp):
    with job_lock(db.engine, "reminders", now=clock.now()) as held:
        assert held
        result = app.test_cli_runner().invoke(
            args=["reminders", "send", "--as-of", AS_OF.isoformat()]
        )
    assert result.exit_code == 0
    assert result.output.strip() == "reminders: another process is running this job; nothing done"
    assert session.scalar(select(func.count()).select_from(Notification)) == 0
    assert smtp.collector.messages == []


def test_an_expired_lease_is_taken_over_and_released(app, session):
    if db.engine.dialect.name == "postgresql":
        with (
            job_lock(db.engine, "x", now=clock.now()) as first,
            job_lock(db.engine, "x", now=clock.now()) as second,
        ):
            assert (first, second) == (True, False)
        with job_lock(db.engine, "x", now=clock.now()) as again:
            assert again
        return
    session.add(
        JobLease(name="x", holder="dead:1:abc", expires_at=clock.now() - timedelta(seconds=1))
    )
    session.add(
        JobLease(name="y", holder="alive:2:def", expires_at=clock.now() + timedelta(minutes=30))
    )
    session.commit()
    with (
        job_lock(db.engine, "x", now=clock.now()) as taken,
        job_lock(db.engine, "y", now=clock.now()) as busy,
    ):
        assert (taken, busy) == (True, False)
    session.expire_all()
    assert session.scalars(select(JobLease.name)).all() == ["y"]
