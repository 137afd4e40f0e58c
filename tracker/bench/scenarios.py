"""Measurements beyond the pages: readiness at several sizes, reminder runs for several numbers
of owners against a local SMTP server, and the import of a large framework's scores."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text

from tracker.bench import build, measure


@dataclass
class ReadinessResult:
    """compute_readiness at one size: statements sent and median seconds, beside the median
    of one plain SELECT of the same milestone rows through the same driver (the floor)."""

    actions: int
    milestones: int
    queries: int
    seconds: float
    reported: bool
    floor_seconds: float = 0.0


@dataclass
class ReminderResult:
    """One reminder run: owners, seconds, emails queued and messages the SMTP server got."""

    owners: int
    seconds: float
    queued: int | str
    delivered: int


def readiness(app: Any, org: build.Org, repeats: int) -> ReadinessResult | str:
    """compute_readiness for the organisation as built so far: the statements one call sends
    (after a warm-up call) and the median time of `repeats` calls, each in a fresh session so
    no call profits from objects an earlier one loaded."""
    try:
        from tracker.domain.readiness import compute_readiness
    except ImportError:
        return measure.NOT_BUILT
    from tracker.database import db_session
    from tracker.extensions import db

    def once() -> Any:
        try:
            return compute_readiness(
                db_session(), organisation_id=org.organisation_id, as_of=build.TODAY
            )
        finally:
            db.session.remove()

    def floor() -> Any:
        try:
            return db_session().connection().execute(FLOOR_SQL).all()
        finally:
            db.session.remove()

    counter = measure.QueryCounter()
    with app.app_context():
        once()
        with counter.listening(app):
            once()
        # interleaved, so that both feel the same load on the machine
        floors, times, report = [], [], None
        for _ in range(repeats):
            floors.append(measure.timed(floor)[0])
            seconds, report = measure.timed(once)
            times.append(seconds)
    return ReadinessResult(
        org.actions,
        org.milestones,
        counter.count,
        statistics.median(times),
        report is not None,
        statistics.median(floors),
    )


# The floor: every milestone row with the columns the model reads, no joins, no conversion.
FLOOR_SQL = text("SELECT id, action_id, weight, due_on, original_due_on, done_at FROM milestone")


def reminders(app: Any, org: build.Org, owner_counts: list[int]) -> list[ReminderResult] | str:
    """A reminder run (`run_job("reminders")`, queuing and SMTP delivery) for each number of
    owners, smallest first. Before each run the actions are spread evenly over that many
    owners and the outbox and job runs are emptied, so every run queues its emails afresh."""
    try:
        from tracker.scheduling.jobs import run_job
    except ImportError:
        return measure.NOT_BUILT
    from tracker.database import db_session
    from tracker.extensions import db
    from tracker.models import JobRun, Notification

    results = []
    for owners in sorted(owner_counts):
        with app.app_context():
            session = db_session()
            build.spread_over_owners(session, org, owners)
            session.execute(delete(Notification))
            session.execute(delete(JobRun))
            session.commit()
            db.session.remove()
        with measure.smtp_server() as (port, handler):
            app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
            with app.app_context():
                seconds, outcome = measure.timed(lambda: run_job("reminders", as_of=build.TODAY))
                db.session.remove()
            app.config["MAIL_SERVER"] = None
        summary = getattr(outcome, "summary", None) or {}
        results.append(
            ReminderResult(owners, seconds, summary.get("queued", "?"), handler.messages)
        )
    return results


def import_scores(app_for: Any, url: str, workdir: Path, questions: int) -> str:
    """Importing a CSV of scores for a `questions`-question framework, with spawning."""
    try:
        from tracker.domain.rounds.importing import import_round
    except ImportError:
        return measure.NOT_BUILT
    from tracker.database import db_session
    from tracker.domain.accounts.registration import default_organisation
    from tracker.domain.framework.loader import load_framework, validate_framework
    from tracker.extensions import db

    framework = build.large_framework(questions)
    assert not validate_framework(framework), validate_framework(framework)
    data = build.scores_csv(framework)
    app = app_for(url, workdir / "import")
    with app.app_context():
        session = db_session()
        load_framework(session, framework)
        organisation = default_organisation(session)
        session.commit()
        seconds, summary = measure.timed(
            lambda: import_round(
                session,
                None,
                organisation=organisation,
                data=data,
                round_name="Baseline",
                held_on=build.TODAY,
                now=build.NOW,
                max_bytes=len(data) + 1,
            )
        )
        session.commit()
        db.session.remove()
        db.engine.dispose()
    return f"{seconds:.2f} s for {questions} questions ({summary.spawned} actions spawned)"
