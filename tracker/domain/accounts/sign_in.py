"""Signing in with limits on failed attempts, counted in the database.

Failures are counted per account (the email typed, whether or not an account has it) and per
network address, in the LoginThrottle table, so every web worker shares the same counts. When
either count reaches its limit within the lock-out window, sign-in from that account or address
is refused for the lock-out period, even with the right password. The refusal message is the
same whether or not the account exists, so the form never reveals who has an account.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.password_hashing import hash_matches, hash_password
from tracker.domain.errors import DomainError
from tracker.models import LoginThrottle, User

GENERIC_REFUSAL = "Enter a correct email address and password"
ACCOUNT = "account"
ADDRESS = "address"
_dummy_hash: str | None = None


@dataclass(frozen=True)
class Limits:
    """How many failures an account or an address may have before a lock-out, and its length."""

    per_account: int = 5
    per_address: int = 20
    lockout_minutes: int = 15

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)


class SignInRefused(DomainError):
    """Wrong email or password, or locked out; `retry_in_minutes` is set when locked."""

    def __init__(self, retry_in_minutes: int | None = None) -> None:
        message = GENERIC_REFUSAL
        if retry_in_minutes:
            unit = "minute" if retry_in_minutes == 1 else "minutes"
            message += f". Too many attempts: try again in {retry_in_minutes} {unit}"
        super().__init__(message, "email")
        self.retry_in_minutes = retry_in_minutes


def account_key(email: str) -> str:
    """The throttle key for an email as typed: trimmed, lower-cased, bounded in length."""
    return email.strip().lower()[:254]


def retry_in_minutes(session: Session, *, email: str, address: str, now: datetime) -> int | None:
    """Whole minutes until the account or address may try again; None when neither is locked."""
    keys = [(ACCOUNT, account_key(email)), (ADDRESS, address[:254])]
    locked = session.scalars(
        select(LoginThrottle.locked_until).where(
            tuple_(LoginThrottle.scope, LoginThrottle.key).in_(keys),
            LoginThrottle.locked_until > now,
        )
    ).all()
    until = [moment for moment in locked if moment is not None]
    if not until:
        return None
    return max(1, math.ceil((max(until) - now).total_seconds() / 60))


def authenticate(
    session: Session, *, email: str, password: str, address: str, now: datetime, limits: Limits
) -> User:
    """Return the active user with this email and password, or raise SignInRefused.

    A failure is counted against the account and the address and audited as "sign_in_failed";
    a success clears the account's count and is audited as "signed_in". The caller commits in
    both cases, so the counts persist even though the sign-in failed.
    """
    waiting = retry_in_minutes(session, email=email, address=address, now=now)
    if waiting is not None:
        raise SignInRefused(waiting)
    key = account_key(email)
    user = session.scalar(select(User).where(User.email == key))
    if not _password_ok(user, password) or user is None or not user.is_active:
        _count_failure(session, ACCOUNT, key, now, limits.per_account, limits)
        _count_failure(session, ADDRESS, address[:254], now, limits.per_address, limits)
        audit.record(
            session,
            None,
            "user",
            user.id if user is not None else None,
            "sign_in_failed",
            at=now,
            after={"address": address},
        )
        raise SignInRefused(retry_in_minutes(session, email=email, address=address, now=now))
    _clear(session, ACCOUNT, key)
    user.last_sign_in_at = now
    audit.record(session, user, "user", user.id, "signed_in", at=now, after={"address": address})
    return user


def user_for_session(session: Session, user_id: int, session_version: int) -> User | None:
    """The user a signed-in session belongs to, or None when it has ended: the user is gone or
    deactivated, or their session version has moved on (a password change or deactivation)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.session_version != session_version:
        return None
    return user


def count_failure(
    session: Session, *, email: str, address: str, now: datetime, limits: Limits
) -> None:
    """Count one wrong password against the account and the address (sign-in, or re-entering
    the current password to change it), locking either at its limit."""
    _count_failure(session, ACCOUNT, account_key(email), now, limits.per_account, limits)
    _count_failure(session, ADDRESS, address[:254], now, limits.per_address, limits)


def clear_account(session: Session, email: str) -> None:
    """Forget an account's failures once its password has been proved."""
    _clear(session, ACCOUNT, account_key(email))


def _password_ok(user: User | None, password: str) -> bool:
    """Check the password; for an unknown account check a dummy hash so timing is alike."""
    global _dummy_hash
    if user is None or not user.password_hash:
        if _dummy_hash is None:
            _dummy_hash = hash_password("not-a-real-password")
        hash_matches(_dummy_hash, password)
        return False
    return hash_matches(user.password_hash, password)


def _count_failure(
    session: Session, scope: str, key: str, now: datetime, limit: int, limits: Limits
) -> None:
    """Add one failure to a throttle row (creating it race-free) and lock when at the limit."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginThrottle)
        .values(scope=scope, key=key, failures=0, window_started_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    row = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    window_over = row.window_started_at <= now - limits.lockout
    lock_over = row.locked_until is not None and row.locked_until <= now
    if window_over or lock_over:
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + limits.lockout
    session.flush()


def _clear(session: Session, scope: str, key: str) -> None:
    """Forget an account's failures after a successful sign-in (addresses keep theirs)."""
    for row in session.scalars(
        select(LoginThrottle).where(
            LoginThrottle.scope == scope,
            LoginThrottle.key == key,
            or_(LoginThrottle.failures > 0, LoginThrottle.locked_until.is_not(None)),
        )
    ):
        session.delete(row)
