"""Scheduled jobs: what each job does, when it runs, and the one scheduler process.

`flask scheduler run` is the only place a scheduler starts (never create_app, a web worker or
the reloader). Every job is also a command (`flask jobs run NAME`, `flask reminders send`) and
goes through run_job(): take the job's database lock (or do nothing and say so), run the domain
sweep, record a JobRun for the period and commit once, then deliver the outbox.

A missed run (scheduler down over its fire time) is caught up once at start-up: for each job,
if this period's first fire time has passed and no JobRun exists for the period, it runs now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app

from tracker import clock
from tracker.database import db_session
from tracker.domain.boundary import scoped
from tracker.domain.evidence.integrity import queue_integrity_report
from tracker.domain.jobs.runs import record_run, run_finished
from tracker.domain.organisations.directory import organisation_ids
from tracker.domain.outbox.queue import SweepResult
from tracker.domain.readiness import recompute_all
from tracker.domain.reminders.pre_round import queue_pre_round_notices
from tracker.domain.reminders.sweeps import (
    month_period,
    queue_digests,
    queue_escalations,
    week_period,
)
from tracker.extensions import db
from tracker.mailing.rendering import email_renderer
from tracker.mailing.sender import deliver_outbox
from tracker.models import DigestFrequency
from tracker.scheduling.locks import job_lock
from tracker.scheduling.triggers import WallClockOnce, daily, reminder_trigger

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 12 * 60 * 60
# Missed fire times collapse into one run (coalesce), a job never overlaps itself, and a run
# up to 12 hours late still happens once; longer outages are caught up by catch_up().
JOB_DEFAULTS: dict[str, Any] = {
    "coalesce": True,
    "max_instances": 1,
    "misfire_grace_time": MISFIRE_GRACE_SECONDS,
}


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: its sweep, its period key, when the period starts, and its trigger."""

    name: str
    description: str
    sweep: Callable[[date, datetime], dict[str, Any]]
    period: Callable[[date], str]
    period_start: Callable[[date], date]
    trigger: Callable[[Any], BaseTrigger]


def _sweep_summary(result: SweepResult) -> dict[str, Any]:
    return {"queued": result.queued, "already": result.already}


def sweep_reminders(today: date, now: datetime) -> dict[str, Any]:
    """Owner digests (monthly and weekly) and director escalations for `today`."""
    base_url, render = current_app.config["BASE_URL"], email_renderer()
    session = db_session()
    result = queue_digests(session, today=today, now=now, base_url=base_url, render=render)
    result.add(queue_escalations(session, today=today, now=now, base_url=base_url, render=render))
    return _sweep_summary(result)


def sweep_weekly_digests(today: date, now: datetime) -> dict[str, Any]:
    result = queue_digests(
        db_session(),
        today=today,
        now=now,
        base_url=current_app.config["BASE_URL"],
        render=email_renderer(),
        frequencies=(DigestFrequency.WEEKLY,),
    )
    return _sweep_summary(result)


def sweep_pre_round(today: date, now: datetime) -> dict[str, Any]:
    result = queue_pre_round_notices(
        db_session(),
        today=today,
        now=now,
        base_url=current_app.config["BASE_URL"],
        render=email_renderer(),
    )
    return _sweep_summary(result)


def sweep_integrity(today: date, now: datetime) -> dict[str, Any]:
    problems, result = queue_integrity_report(
        db_session(),
        today=today,
        now=now,
        base_url=current_app.config["BASE_URL"],
        render=email_renderer(),
        upload_dir=current_app.config["UPLOAD_DIR"],
    )
    return {"problems": len(problems), **_sweep_summary(result)}


def sweep_readiness(today: date, now: datetime) -> dict[str, Any]:
    written = sum(count for _, _, count in recompute_all(db_session(), as_of=today))
    return {"snapshots": written, "queued": 0, "already": 0}


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _same_day(day: date) -> date:
    return day


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            "reminders",
            "monthly owner digests and director escalations",
            sweep_reminders,
            month_period,
            _month_start,
            lambda config: reminder_trigger(config.get("REMINDER_CRON", "")),
        ),
        JobSpec(
            "weekly-digest",
            "digests for owners who chose weekly",
            sweep_weekly_digests,
            week_period,
            _week_start,
            lambda config: WallClockOnce(
                CronTrigger(day_of_week="mon", hour=8, minute=0, timezone=clock.LONDON)
            ),
        ),
        JobSpec(
            "pre-round",
            "readiness notices 60, 30 and 7 days before the next round",
            sweep_pre_round,
            date.isoformat,
            _same_day,
            lambda config: daily(7, 0),
        ),
        JobSpec(
            "readiness",
            "nightly readiness recompute and snapshots",
            sweep_readiness,
            date.isoformat,
            _same_day,
            lambda config: daily(2, 15),
        ),
        JobSpec(
            "integrity",
            "nightly evidence file check (SHA-256)",
            sweep_integrity,
            date.isoformat,
            _same_day,
            lambda config: daily(2, 45),
        ),
    )
}


@dataclass
class JobOutcome:
    """What one run of a job did, for the command line and the scheduler's log."""

    name: str
    period: str
    ran: bool
    message: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


def sweep_each_organisation(spec: JobSpec, today: date, now: datetime) -> dict[str, Any]:
    """Run the job's sweep once per organisation, its session scoped to that organisation, so
    every email (digests, escalations, integrity reports, pre-round notices) carries only that
    organisation's actions, people and files; the counts are added up."""
    session = db_session()
    total: dict[str, Any] = {}
    for organisation_id in organisation_ids(session):
        with scoped(session, organisation_id):
            part = spec.sweep(today, now)
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total or spec.sweep(today, now)


def run_job(name: str, *, as_of: date | None = None, deliver: bool = True) -> JobOutcome:
    """Run one job for `as_of` (default: today in London) under its lock, commit once, then
    send the outbox. Safe to run twice: every email is keyed by recipient, kind and period."""
    spec = JOBS[name]
    today = as_of or clock.today()
    now = clock.now()
    period = spec.period(today)
    with job_lock(db.engine, name, now=now) as held:
        if not held:
            return JobOutcome(name, period, False, "another process is running this job")
        session = db_session()
        try:
            summary = sweep_each_organisation(spec, today, now)
            record_run(
                session, name, period, started_at=now, finished_at=clock.now(), summary=summary
            )
            session.commit()
        except Exception:
            session.rollback()
            raise
        if deliver:
            report = deliver_outbox(None)
            summary.update(
                sent=report.sent, failed=report.failed + report.retrying, retrying=report.retrying
            )
            if report.waiting_for_lease:
                summary.update(
                    waiting_for_lease=report.waiting_for_lease,
                    lease_ends_at=report.lease_ends_at,
                )
    return JobOutcome(name, period, True, "done", summary)


def catch_up(now: datetime | None = None, config: Any = None) -> list[JobOutcome]:
    """Run, once, every job whose fire time in the current period has passed without a
    finished run for that period (the scheduler was down). Returns the runs made."""
    now = now or clock.now()
    config = config or current_app.config
    today = now.astimezone(clock.LONDON).date()
    outcomes = []
    for spec in JOBS.values():
        start = spec.period_start(today)
        period_start = datetime(start.year, start.month, start.day, tzinfo=clock.LONDON)
        first = spec.trigger(config).get_next_fire_time(None, period_start)
        if (
            first is None
            or first > now
            or run_finished(db_session(), spec.name, spec.period(today))
        ):
            continue
        outcomes.append(run_job(spec.name, as_of=today))
    return outcomes


def build_scheduler(app: Flask) -> BlockingScheduler:
    """The blocking scheduler with fixed job ids, coalescing and one instance per job."""
    scheduler = BlockingScheduler(timezone=clock.LONDON, job_defaults=JOB_DEFAULTS)
    for spec in JOBS.values():
        scheduler.add_job(
            _in_app(app, spec.name),
            trigger=spec.trigger(app.config),
            id=spec.name,
            name=spec.description,
            replace_existing=True,
            **JOB_DEFAULTS,
        )
    scheduler.add_job(
        _deliver_in_app(app),
        # Account emails (invitations, password resets) are only queued by the web workers:
        # this job is what sends them, so it polls often (a query that finds nothing is cheap).
        trigger=IntervalTrigger(
            seconds=max(5, int(app.config.get("OUTBOX_POLL_SECONDS") or 30)),
            timezone=clock.LONDON,
        ),
        id="outbox",
        name="send due and retried emails",
        replace_existing=True,
        **JOB_DEFAULTS,
    )
    return scheduler


def _in_app(app: Flask, name: str) -> Callable[[], None]:
    def job() -> None:
        with app.app_context():
            outcome = run_job(name)
            log.info("job %s (%s): %s %s", name, outcome.period, outcome.message, outcome.summary)
            db.session.remove()

    return job


def _deliver_in_app(app: Flask) -> Callable[[], None]:
    def job() -> None:
        with app.app_context():
            report = deliver_outbox(None)
            if report.claimed:
                log.info("outbox: %s", report)
            db.session.remove()

    return job
