"""What the tracker has emailed one person, for their notifications page: read from their own
outbox rows, newest first, with the state of each in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Notification, NotificationStatus, User

STATES = {
    NotificationStatus.PENDING: "Waiting to be sent",
    NotificationStatus.SENDING: "Being sent",
    NotificationStatus.SENT: "Sent",
    NotificationStatus.FAILED: "Could not be sent: an administrator can try again",
}
SHOWN = 100


@dataclass(frozen=True)
class Message:
    """One email as its recipient sees it listed: subject, when, state and where it points."""

    subject: str
    at: datetime
    state: str
    link: str | None


def messages_for(session: Session, person: User, *, limit: int = SHOWN) -> list[Message]:
    """The latest emails addressed to `person` (only theirs: the query names them), newest
    first. `at` is when it was sent, or queued while not yet sent."""
    rows = session.scalars(
        select(Notification)
        .where(Notification.recipient_id == person.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [
        Message(
            subject=row.subject,
            at=row.sent_at or row.created_at,
            state=STATES.get(NotificationStatus(row.status), "Waiting to be sent"),
            link=row.link,
        )
        for row in rows
    ]
