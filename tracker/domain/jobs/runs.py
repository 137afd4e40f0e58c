"""Run records of scheduled jobs: which job completed for which period, so a run that was
missed (scheduler down) is caught up once and a period is never done twice.

The caller commits the record with the job's work, in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import JobRun


def run_finished(session: Session, job: str, period: str) -> bool:
    """True when `job` has already completed for `period`."""
    return (
        session.scalar(
            select(JobRun.id).where(
                JobRun.job == job, JobRun.period == period, JobRun.finished_at.is_not(None)
            )
        )
        is not None
    )


def record_run(
    session: Session,
    job: str,
    period: str,
    *,
    started_at: datetime,
    finished_at: datetime,
    summary: dict[str, Any],
) -> None:
    """Record that `job` completed for `period` (the caller commits with the job's work).
    A second run of the same period updates the summary rather than adding a row."""
    run = session.scalar(select(JobRun).where(JobRun.job == job, JobRun.period == period))
    if run is None:
        run = JobRun(job=job, period=period, started_at=started_at)
        session.add(run)
    run.finished_at = finished_at
    run.summary = summary
