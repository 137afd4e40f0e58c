"""Queuing email in the outbox: the one way any feature sends email.

Queuing happens inside the caller's transaction; sending happens later, after commit, by the
sender (tracker.domain.outbox.delivery), never from a web request's thread. The unique
(recipient, kind, period) row means queuing the same message twice, or from two processes at
once, yields one email: rows are inserted with INSERT … ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.models import Notification, NotificationStatus, User

ENQUEUE_CHUNK = 500

# A renderer turns (template name, context) into (text body, HTML body); the app passes one in
# (tracker.mailing.rendering), so the domain never renders templates itself.
Renderer = Callable[[str, dict[str, object]], tuple[str, str]]


class EmailRow(TypedDict):
    """One email to queue (see email_row): who, which kind and period, and its bodies."""

    recipient_id: int
    to_address: str
    kind: str
    period: str
    subject: str
    body_text: str
    body_html: str
    link: str | None


@dataclass
class SweepResult:
    """How many emails a sweep queued now, and how many already existed for the period."""

    queued: int = 0
    already: int = 0

    def add(self, other: SweepResult) -> None:
        self.queued += other.queued
        self.already += other.already


def message_id_for(
    kind: str, period: str, recipient_id: int, domain: str = "impact-tracker"
) -> str:
    """A fixed Message-ID per outbox row, so a resend is recognisably the same message."""
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}/{period}/{recipient_id}")
    return f"<{token}@{domain}>"


def email_row(
    recipient: User,
    kind: str,
    period: str,
    subject: str,
    body_text: str,
    body_html: str,
    link: str | None = None,
) -> EmailRow:
    """One email to queue with enqueue_many: who, which kind and period, its bodies, and the
    page it points to (listed on the recipient's notifications page; None: no link to show)."""
    return {
        "recipient_id": recipient.id,
        "to_address": recipient.email,
        "kind": kind,
        "period": period,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "link": link,
    }


def enqueue_many(session: Session, rows: list[EmailRow], *, now: datetime) -> int:
    """Queue many emails at once, skipping any (recipient, kind, period) already queued.

    Each row is an email_row(). Multi-row INSERT … ON CONFLICT DO NOTHING in chunks, so
    thousands of recipients cost a few statements and concurrent runs cannot queue the same
    email twice. Returns how many were new.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    queued = 0
    for start in range(0, len(rows), ENQUEUE_CHUNK):
        values = [
            {
                **row,
                "status": NotificationStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "message_id": message_id_for(row["kind"], row["period"], row["recipient_id"]),
                "created_at": now,
            }
            for row in rows[start : start + ENQUEUE_CHUNK]
        ]
        statement = (
            insert(Notification)
            .values(values)
            .on_conflict_do_nothing(index_elements=["recipient_id", "kind", "period"])
            .returning(Notification.id)
        )
        queued += len(session.execute(statement).scalars().all())
    return queued


def queue_emails(session: Session, rows: list[EmailRow], now: datetime) -> SweepResult:
    """enqueue_many, counted as a sweep: how many were new and how many already existed."""
    queued = enqueue_many(session, rows, now=now)
    return SweepResult(queued=queued, already=len(rows) - queued)


def enqueue(
    session: Session,
    recipient: User,
    *,
    kind: str,
    period: str,
    subject: str,
    body_text: str,
    body_html: str,
    now: datetime,
    link: str | None = None,
) -> bool:
    """Queue one email unless this recipient already has one of this kind for this period.
    Returns True when a new row was queued."""
    row = email_row(recipient, kind, period, subject, body_text, body_html, link)
    return enqueue_many(session, [row], now=now) == 1


def already_queued(session: Session, recipient: User, kind: str, period: str) -> bool:
    """Whether this recipient has an email of this kind for this period in the outbox."""
    return (
        session.scalar(
            select(Notification.id).where(
                Notification.recipient_id == recipient.id,
                Notification.kind == kind,
                Notification.period == period,
            )
        )
        is not None
    )
