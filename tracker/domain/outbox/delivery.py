"""Sending the outbox: claim pending rows, send each once, mark it sent at once, back off on failure.

The sender never commits: the caller (tracker.mailing.sender) commits after each claimed batch and after
each message, so a crash loses at most the state of one message. A claimed row is 'sending' with
`next_attempt_at` moved to the end of its claim lease; if the process dies, the lease runs out
and another sender may claim it again (it is then re-sent with the same Message-ID, so a mail
system that de-duplicates on Message-ID still shows it once).

Claiming differs by database: PostgreSQL uses SELECT … FOR UPDATE SKIP LOCKED so two senders
take disjoint rows without waiting; SQLite serialises writers, so a conditional UPDATE per row
(WHERE it is still claimable) and its rowcount say who won.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session

from tracker.domain.errors import NotFound
from tracker.models import Notification, NotificationStatus, User

CLAIM_LEASE = timedelta(minutes=15)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


class Transport(Protocol):
    """Something that can hand one email to a mail system (SMTP, .eml files, a test fake)."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass
class DeliveryReport:
    """What one delivery run did: sent now, to be retried later, and given up on (failed)."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    # Emails another sender claimed and has not finished: after a crash they wait for the
    # claim's lease to run out, then the next run sends them.
    waiting_for_lease: int = 0
    lease_ends_at: datetime | None = None

    def add(self, other: DeliveryReport) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Pending rows that are due, and 'sending' rows whose claim lease has run out."""
    return and_(
        Notification.status.in_([NotificationStatus.PENDING, NotificationStatus.SENDING]),
        Notification.next_attempt_at <= now,
    )


def waiting_for_lease(session: Session, *, now: datetime) -> tuple[int, datetime | None]:
    """How many emails are claimed by a sender whose lease has not run out, and when the last
    of those leases ends (when a crashed sender's emails become due again)."""
    count, ends = session.execute(
        select(func.count(Notification.id), func.max(Notification.next_attempt_at)).where(
            Notification.status == NotificationStatus.SENDING,
            Notification.next_attempt_at > now,
        )
    ).one()
    return int(count or 0), ends if count else None


def claim_batch(
    session: Session,
    *,
    now: datetime,
    holder: str,
    limit: int,
    lease: timedelta = CLAIM_LEASE,
    kinds: Collection[str] | None = None,
    claimed_at: datetime | None = None,
) -> list[int]:
    """Mark up to `limit` rows due at `now` (of these `kinds`, when given) as being sent by
    `holder` and return their ids.

    The claim's lease runs from `claimed_at` (default `now`): a long delivery run keeps
    judging what is due by the time it started, but each batch's lease must start when the
    batch is claimed, or a batch claimed late would already look abandoned to other senders.
    Two senders at once never claim the same row; the caller commits so the claim is visible.
    """
    claimed_values = {
        "status": NotificationStatus.SENDING.value,
        "claimed_by": holder,
        "next_attempt_at": max(claimed_at or now, now) + lease,
    }
    candidates = (
        select(Notification.id)
        .where(_claimable(now))
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    if kinds is not None:
        candidates = candidates.where(Notification.kind.in_(list(kinds)))
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(candidates.with_for_update(skip_locked=True)))
        if ids:
            session.execute(
                update(Notification).where(Notification.id.in_(ids)).values(**claimed_values)
            )
        return ids
    won = []
    for notification_id in session.scalars(candidates).all():
        # An UPDATE without RETURNING gives a CursorResult (for rowcount); Session.execute is
        # typed as plain Result, so SQLAlchemy's changelog (2.0.44) recommends this cast.
        result = cast(
            "CursorResult[Any]",
            session.execute(
                update(Notification)
                .where(Notification.id == notification_id, _claimable(now))
                .values(**claimed_values)
            ),
        )
        if result.rowcount == 1:
            won.append(notification_id)
    return won


@dataclass(frozen=True)
class Claim:
    """A claimed row ready to send: its id, attempts so far and the built message.

    Built for the whole batch before sending, so sending needs no further reads."""

    id: int
    attempts: int
    message: EmailMessage


def load_claims(session: Session, ids: Sequence[int], *, sender: str, holder: str) -> list[Claim]:
    """The rows this holder claimed, as messages (one query)."""
    if not ids:
        return []
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.id.in_(ids),
            Notification.status == NotificationStatus.SENDING,
            Notification.claimed_by == holder,
        )
        .order_by(Notification.id)
    )
    return [Claim(row.id, row.attempts, build_message(row, sender)) for row in rows]


def build_message(notification: Notification, sender: str) -> EmailMessage:
    """The email for one outbox row: text with an HTML alternative and the row's fixed
    Message-ID, so a re-send after a crash is recognisably the same message."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notification.to_address
    message["Subject"] = notification.subject
    message["Message-ID"] = notification.message_id
    message["Date"] = format_datetime(notification.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Tracker-Kind"] = notification.kind
    message.set_content(notification.body_text)
    if notification.body_html:
        message.add_alternative(notification.body_html, subtype="html")
    return message


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> timedelta:
    """Exponential back-off with jitter: about 1, 2, 4, 8 … minutes (capped at 6 hours), each
    stretched by up to half again at random so many failed rows do not retry in lock-step."""
    # Cap the exponent before multiplying: timedelta overflows past about 2**40 minutes.
    doublings = min(max(attempts - 1, 0), 30)
    delay = min(BACKOFF_BASE * (2**doublings), BACKOFF_CAP)
    return delay * (1 + 0.5 * rng())


def send_claimed(
    session: Session,
    claim: Claim,
    transport: Transport,
    *,
    holder: str,
    now: datetime,
    max_attempts: int,
    rng: Callable[[], float] = random.random,
) -> str:
    """Send one claimed row and record the outcome: 'sent', 'retrying' or 'failed'.

    The outcome is written with one UPDATE guarded by this holder's claim; the caller commits
    straight after, so a sent row is marked sent before the next one is tried.
    """
    attempts = claim.attempts + 1
    try:
        transport.send(claim.message)
    except Exception as error:  # noqa: BLE001 - any transport failure is retried, never lost
        values: dict[str, object] = {
            "attempts": attempts,
            "last_error": f"{type(error).__name__}: {error}"[:2000],
            "claimed_by": None,
        }
        if attempts >= max_attempts:
            outcome = "failed"
            values["status"] = NotificationStatus.FAILED.value
        else:
            outcome = "retrying"
            values["status"] = NotificationStatus.PENDING.value
            values["next_attempt_at"] = now + backoff(attempts, rng)
    else:
        outcome = "sent"
        values = {
            "attempts": attempts,
            "status": NotificationStatus.SENT.value,
            "sent_at": now,
            "claimed_by": None,
            "last_error": "",
        }
    session.execute(
        update(Notification)
        .where(
            Notification.id == claim.id,
            Notification.claimed_by == holder,
            Notification.status == NotificationStatus.SENDING,
        )
        .values(**values)
    )
    return outcome


def retry_failed(
    session: Session,
    actor: User,
    *,
    now: datetime,
    notification_id: int | None = None,
) -> int:
    """Put failed rows (one, or all when no id is given) back in the queue for the next send,
    with a fresh attempt count, and audit who asked. Returns how many were re-queued."""
    from tracker.domain.audit import record

    condition = [Notification.status == NotificationStatus.FAILED]
    if notification_id is not None:
        condition.append(Notification.id == notification_id)
    ids = list(session.scalars(select(Notification.id).where(*condition)))
    if not ids:
        return 0
    session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.status == NotificationStatus.FAILED)
        .values(status=NotificationStatus.PENDING.value, attempts=0, next_attempt_at=now)
    )
    record(
        session,
        actor,
        "notification",
        notification_id,
        "retry",
        at=now,
        before={"status": "failed"},
        after={"status": "pending", "ids": ids},
    )
    return len(ids)


def retry_one_failed(session: Session, actor: User, notification_id: int, *, now: datetime) -> int:
    """Put one failed row back in the queue (see retry_failed); NotFound when no failed row has
    this id, so asking to retry an unknown or unfailed email is refused and changes nothing."""
    count = retry_failed(session, actor, now=now, notification_id=notification_id)
    if count == 0:
        raise NotFound("There is no failed email with this id")
    return count


def outbox_overview(session: Session, *, limit: int = 200) -> list[Notification]:
    """Failed and not-yet-sent rows for the admin page, failed first, newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(
                or_(
                    Notification.status == NotificationStatus.FAILED,
                    Notification.status == NotificationStatus.PENDING,
                    Notification.status == NotificationStatus.SENDING,
                )
            )
            .order_by(Notification.status, Notification.created_at.desc(), Notification.id)
            .limit(limit)
        )
    )
