"""Queuing email in the outbox. Queuing happens inside the caller's transaction; sending
happens later, after commit, by the sender (tracker.domain.delivery), never from a thread.

The unique (recipient, kind, period) row means queuing the same message twice, or from two
processes at once, yields one email.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.models import Notification, NotificationStatus, User


def message_id_for(
    kind: str, period: str, recipient_id: int, domain: str = "impact-tracker"
) -> str:
    """A fixed Message-ID per outbox row, so a resend is recognisably the same message."""
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}/{period}/{recipient_id}")
    return f"<{token}@{domain}>"


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
) -> bool:
    """Queue one email unless this recipient already has one of this kind for this period.

    Returns True when a new row was queued. Uses INSERT … ON CONFLICT DO NOTHING so concurrent
    runs cannot both queue it.
    """
    values = {
        "recipient_id": recipient.id,
        "kind": kind,
        "period": period,
        "to_address": recipient.email,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "status": NotificationStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "message_id": message_id_for(kind, period, recipient.id),
        "created_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["recipient_id", "kind", "period"])
        .returning(Notification.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def already_queued(session: Session, recipient: User, kind: str, period: str) -> bool:
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
