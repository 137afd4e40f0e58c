"""Job locks: a scheduled job runs in one process at a time.

PostgreSQL: a session-level advisory lock (pg_try_advisory_lock on a hash of the job name), held
on a dedicated connection for the job's duration, so it is released even if the process dies.
SQLite: a JobLease row, inserted or taken over when expired, holder = host:pid:uuid; deleted at
the end. Neither waits: a job that cannot get its lock does nothing and says so.

These use their own connections on the engine (not the job's session), so taking and releasing
a lock never commits the job's work. That is why they live here, beside the scheduler, and not
in tracker/domain (which never commits).
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine

from tracker.models import JobLease

LEASE_LENGTH = timedelta(hours=1)


def lock_key(name: str) -> int:
    """A signed 64-bit number for the advisory lock, stable across processes and restarts."""
    digest = hashlib.sha256(f"impact-tracker-job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"[:120]


@contextmanager
def job_lock(
    engine: Engine, name: str, *, now: datetime, lease: timedelta = LEASE_LENGTH
) -> Iterator[bool]:
    """Try to take the lock for job `name`; yields True when this process holds it.

    Usage: `with job_lock(engine, "digest", now=now) as held: if held: ...`.
    """
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name) as held:
            yield held
        return
    holder = new_holder()
    held = _take_lease(engine, name, holder, now, lease)
    try:
        yield held
    finally:
        if held:
            with engine.begin() as connection:
                connection.execute(
                    delete(JobLease).where(JobLease.name == name, JobLease.holder == holder)
                )


@contextmanager
def _advisory_lock(engine: Engine, name: str) -> Iterator[bool]:
    key = lock_key(name)
    with engine.connect() as connection:
        held = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        )
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()


def _take_lease(engine: Engine, name: str, holder: str, now: datetime, lease: timedelta) -> bool:
    """Insert the lease row, or take it over when it has expired; True if we now hold it."""
    statement = sqlite.insert(JobLease).values(name=name, holder=holder, expires_at=now + lease)
    statement = statement.on_conflict_do_update(
        index_elements=["name"],
        set_={"holder": holder, "expires_at": now + lease},
        where=JobLease.expires_at <= now,
    )
    with engine.begin() as connection:
        connection.execute(statement)
        current = connection.execute(
            select(JobLease.holder).where(JobLease.name == name)
        ).scalar_one()
    return current == holder
