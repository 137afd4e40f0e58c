"""Signed-in sessions kept server-side, so that signing out really ends one.

A signed session cookie cannot be recalled: a copy kept before sign-out would still open pages
until it expired, and a remember-me cookie for a week. So each sign-in starts a LiveSession row
holding the SHA-256 of a random token; both cookies carry the token, and a request signs in only
while that row is live (not ended, not expired) and the user's session version is unchanged.
Signing out ends the row: every copy of that session's cookies stops working at once, while the
person's sessions on other devices carry on (a password change or deactivation still ends them
all, through the session version).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.models import LiveSession, SignInMethod, User


def token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, so the table alone cannot sign anyone in."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session, user: User, *, method: SignInMethod, now: datetime, lasts: timedelta
) -> str:
    """Start a session for `user` that lasts at most `lasts`; returns its token (for the
    cookies; never stored as is). The user's ended and expired sessions are cleared away, so
    the table holds about one row per signed-in device. The caller commits."""
    session.execute(
        delete(LiveSession).where(
            LiveSession.user_id == user.id,
            or_(LiveSession.ended_at.is_not(None), LiveSession.expires_at <= now),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        LiveSession(
            user_id=user.id,
            token_hash=token_hash(token),
            method=method.value,
            started_at=now,
            expires_at=now + lasts,
        )
    )
    session.flush()
    return token


def live_session(session: Session, token: str) -> LiveSession | None:
    """The session row a token names, ended or not."""
    return session.scalar(select(LiveSession).where(LiveSession.token_hash == token_hash(token)))


def user_for_live_session(
    session: Session, *, user_id: int, session_version: int, token: str, now: datetime
) -> User | None:
    """The user a cookie signs in, or None when its session has ended: signed out, expired,
    another user's token, the user deactivated, or their session version moved on. One query."""
    return session.scalar(
        select(User)
        .join(LiveSession, LiveSession.user_id == User.id)
        .where(
            User.id == user_id,
            User.is_active.is_(True),
            User.session_version == session_version,
            LiveSession.token_hash == token_hash(token),
            LiveSession.ended_at.is_(None),
            LiveSession.expires_at > now,
        )
    )


def end_session(session: Session, user: User, token: str, *, now: datetime) -> str | None:
    """Sign out: end the session this token names (already ended: nothing changes) and audit
    it. Returns how that session began ("password" or "sso"), or None for an unknown token."""
    row = live_session(session, token)
    if row is None or row.user_id != user.id:
        return None
    if row.ended_at is None:
        row.ended_at = now
        audit.record(
            session, user, "user", user.id, "signed_out", at=now, after={"method": row.method}
        )
    return row.method
