"""Forgotten passwords: the request the web takes, and the answer the sender gives.

The page must not tell, by its answer or by its timing, whether an account has the address
typed. So the web request does the same work whatever was typed: it counts the request
against the network address it came from (refusing past the limit) and stores the request
as typed, one row, never looking the address up. The sender process, which already polls the
outbox every few seconds, answers the stored requests: it looks each address up and, for an
active account, queues the reset email (at most one per account per minute); then it deletes
the request. Nobody outside can time the sender.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.invitations import PASSWORD_RESET, Composer, issue_token
from tracker.domain.accounts.sign_in import Limits, count_reset_request
from tracker.domain.outbox import queue as outbox
from tracker.models import PasswordResetRequest, User

LONGEST_ADDRESS = 254


def request_password_reset(
    session: Session,
    *,
    email: str,
    now: datetime,
    address: str = "unknown",
    per_address: int = 10,
    limits: Limits = Limits(),  # noqa: B008 (frozen, so one shared default is safe)
) -> None:
    """Take a forgotten-password request: count it against `address`, then store it as typed.

    Past `per_address` requests in the window from one network address it is refused
    (TooManyResetRequests), whoever was typed. Nothing here depends on whether an account has
    the address; `answer_reset_requests` decides that later, in the sender.
    """
    count_reset_request(session, address=address, now=now, limit=per_address, limits=limits)
    session.add(
        PasswordResetRequest(
            email=email.strip().lower()[:LONGEST_ADDRESS],
            address=address[:LONGEST_ADDRESS],
            requested_at=now,
        )
    )
    session.flush()


def answer_reset_requests(
    session: Session, *, secret_key: str, compose: Composer, limit: int = 200
) -> int:
    """Answer up to `limit` stored requests, oldest first, and return how many emails were queued.

    An active account gets a reset link (one per account per minute of asking: the outbox
    period is the minute of the request); an unknown or deactivated address gets nothing.
    Each request is audited ("password_reset_requested", naming the account when there is
    one) and deleted. Runs outside the organisation boundary (the caller's job), since a
    request names no organisation until it is looked up.
    """
    waiting = session.scalars(
        select(PasswordResetRequest)
        .order_by(PasswordResetRequest.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    queued = 0
    for request in waiting:
        user = session.scalar(select(User).where(User.email == request.email))
        real = user is not None and user.is_active
        audit.record(
            session,
            None,
            "user",
            user.id if real and user is not None else None,
            "password_reset_requested",
            at=request.requested_at,
            after={"address": request.address},
        )
        if real and user is not None:
            token = issue_token(
                user, purpose=PASSWORD_RESET, secret_key=secret_key, now=request.requested_at
            )
            message = compose(PASSWORD_RESET, user, token)
            if outbox.enqueue(
                session,
                user,
                kind=PASSWORD_RESET,
                period=request.requested_at.strftime("%Y-%m-%dT%H:%M"),
                subject=message.subject,
                body_text=message.body_text,
                body_html=message.body_html,
                now=request.requested_at,
            ):
                queued += 1
    if waiting:
        session.execute(
            delete(PasswordResetRequest).where(
                PasswordResetRequest.id.in_([request.id for request in waiting])
            )
        )
    return queued
