"""Signing in with limits on failed attempts that cannot be turned against the real person.

Failures are counted in the LoginThrottle table (so every web worker shares the counts) under
three keys:

- the account *and* the address together ("pair"): after `per_account` failures the account is
  refused from that address for the lock-out period. Someone guessing from elsewhere cannot
  lock the real person out of their own computer;
- the address ("address"): after `per_address` failures, across any accounts, that address is
  refused (a spray of guesses from one place);
- the account from anywhere ("account"): beyond `account_slowdown_after` failures each further
  attempt from an address that has itself failed on the account waits a delay that doubles up
  to the lock-out period, so guessing from many addresses slows down while the real person,
  from an address with no failures, is never held up.

Each attempt is counted *before* the password is checked, by an atomic UPDATE that holds the
row until the caller commits: thirty simultaneous guesses count thirty, and only as many
passwords are checked as the limit allows. A right password takes its attempt back. The
refusal message is the same whether or not the account exists.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, null, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.password_hashing import hash_matches, hash_password
from tracker.domain.errors import DomainError
from tracker.models import LoginThrottle, User
from tracker.models.base import UTCDateTime

GENERIC_REFUSAL = "Enter a correct email address and password"
PAIR = "pair"
RESET = "reset"  # forgotten-password requests per address
ACCOUNT = "account"
ADDRESS = "address"
_dummy_hash: str | None = None


@dataclass(frozen=True)
class Limits:
    """Failures allowed before a wait: per account from one address, per address, and per
    account from all addresses (after which attempts slow down rather than stop)."""

    per_account: int = 5
    per_address: int = 20
    lockout_minutes: int = 15
    account_slowdown_after: int = 20

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


def pair_key(email: str, address: str) -> str:
    """The key of one account at one address (a digest, so any lengths fit the column)."""
    return hashlib.sha256(f"{account_key(email)}\n{address}".encode()).hexdigest()


def _keys(email: str, address: str) -> dict[str, str]:
    return {PAIR: pair_key(email, address), ACCOUNT: account_key(email), ADDRESS: address[:254]}


def retry_in_minutes(session: Session, *, email: str, address: str, now: datetime) -> int | None:
    """Whole minutes until this account may try again from this address; None when it may now.

    The account-wide slowdown applies only when this address has failed on the account too."""
    keys = _keys(email, address)
    rows = {
        row.scope: row
        for row in session.scalars(
            select(LoginThrottle)
            .where(tuple_(LoginThrottle.scope, LoginThrottle.key).in_(list(keys.items())))
            .execution_options(populate_existing=True)
        )
    }
    until = [row.locked_until for scope, row in rows.items() if scope != ACCOUNT]
    pair = rows.get(PAIR)
    if ACCOUNT in rows and pair is not None and pair.failures > 0:
        until.append(rows[ACCOUNT].locked_until)
    waits = [moment for moment in until if moment is not None and moment > now]
    if not waits:
        return None
    return max(1, math.ceil((max(waits) - now).total_seconds() / 60))


def reserve_attempt(
    session: Session, *, email: str, address: str, now: datetime, limits: Limits
) -> None:
    """Count this attempt as a failure now, atomically, before any password is checked (every
    attempt counts, refused ones too); then refuse it when a wait applied before it, or when
    attempts made at the same moment used the allowance up while this one waited for the row.
    A refused attempt never has its password checked."""
    waiting = retry_in_minutes(session, email=email, address=address, now=now)
    keys = _keys(email, address)
    pair = _bump(session, PAIR, keys[PAIR], now, limits, lock_at=limits.per_account)
    at_address = _bump(session, ADDRESS, keys[ADDRESS], now, limits, lock_at=limits.per_address)
    account = _bump(session, ACCOUNT, keys[ACCOUNT], now, limits, lock_at=None)
    beyond = account - limits.account_slowdown_after
    if beyond > 0:
        delay = min(timedelta(seconds=2 ** min(beyond, 20)), limits.lockout)
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.scope == ACCOUNT, LoginThrottle.key == keys[ACCOUNT])
            .values(locked_until=literal(now + delay, UTCDateTime()))
            .execution_options(synchronize_session=False)
        )
    if waiting is not None or pair > limits.per_account or at_address > limits.per_address:
        later = retry_in_minutes(session, email=email, address=address, now=now)
        raise SignInRefused(later or waiting or 1)


def release_attempt(session: Session, *, email: str, address: str, limits: Limits) -> None:
    """A right password: forget the account's failures (here and everywhere) and give the
    address back the attempt reserved for it."""
    keys = _keys(email, address)
    session.execute(
        delete(LoginThrottle)
        .where(
            or_(
                and_(LoginThrottle.scope == PAIR, LoginThrottle.key == keys[PAIR]),
                and_(LoginThrottle.scope == ACCOUNT, LoginThrottle.key == keys[ACCOUNT]),
            )
        )
        .execution_options(synchronize_session=False)
    )
    remaining = LoginThrottle.failures - 1
    session.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.scope == ADDRESS,
            LoginThrottle.key == keys[ADDRESS],
            LoginThrottle.failures > 0,
        )
        .values(
            failures=remaining,
            locked_until=case(
                (remaining < limits.per_address, null()), else_=LoginThrottle.locked_until
            ),
        )
        .execution_options(synchronize_session=False)
    )


class TooManyResetRequests(DomainError):
    """An address asked for more reset emails than its limit allows in the window."""


def count_reset_request(
    session: Session, *, address: str, now: datetime, limit: int, limits: Limits
) -> None:
    """Count a forgotten-password request from this address; past `limit` in the lock-out
    window, refuse it (the same answer whichever address was typed)."""
    count = _bump(session, RESET, address[:254], now, limits, lock_at=None)
    if count > limit:
        row = session.scalar(
            select(LoginThrottle.window_started_at).where(
                LoginThrottle.scope == RESET, LoginThrottle.key == address[:254]
            )
        )
        left = (row + limits.lockout - now) if row is not None else limits.lockout
        minutes = max(1, math.ceil(left.total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        raise TooManyResetRequests(
            f"Too many reset emails have been asked for from your network: try again in "
            f"{minutes} {unit}",
            "email",
        )


def authenticate(
    session: Session, *, email: str, password: str, address: str, now: datetime, limits: Limits
) -> User:
    """Return the active user with this email and password, or raise SignInRefused.

    The attempt is reserved first (see reserve_attempt); a failure keeps it and is audited as
    "sign_in_failed", a success gives it back and is audited as "signed_in". The caller
    commits in both cases, so the counts persist even though the sign-in failed.
    """
    reserve_attempt(session, email=email, address=address, now=now, limits=limits)
    user = session.scalar(select(User).where(User.email == account_key(email)))
    if not _password_ok(user, password) or user is None or not user.is_active:
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
    release_attempt(session, email=email, address=address, limits=limits)
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


def _password_ok(user: User | None, password: str) -> bool:
    """Check the password; for an unknown account check a dummy hash so timing is alike."""
    global _dummy_hash
    if user is None or not user.password_hash:
        if _dummy_hash is None:
            _dummy_hash = hash_password("not-a-real-password")
        hash_matches(_dummy_hash, password)
        return False
    return hash_matches(user.password_hash, password)


def _bump(
    session: Session, scope: str, key: str, now: datetime, limits: Limits, *, lock_at: int | None
) -> int:
    """Add one failure to a throttle row in one UPDATE (a count from an earlier window, or
    from a lock that has run out, starts again at 1) and return the new count; lock the row
    for the lock-out period when the count reaches `lock_at`. The row stays locked by this
    transaction until the caller commits, so simultaneous attempts queue behind it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginThrottle)
        .values(scope=scope, key=key, failures=0, window_started_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    moment = literal(now, UTCDateTime())
    stale = or_(
        LoginThrottle.window_started_at <= literal(now - limits.lockout, UTCDateTime()),
        and_(LoginThrottle.locked_until.is_not(None), LoginThrottle.locked_until <= moment),
    )
    failures = session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
        .values(
            failures=case((stale, 1), else_=LoginThrottle.failures + 1),
            window_started_at=case((stale, moment), else_=LoginThrottle.window_started_at),
            locked_until=case((stale, null()), else_=LoginThrottle.locked_until),
        )
        .returning(LoginThrottle.failures)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if lock_at is not None and failures >= lock_at:
        session.execute(
            update(LoginThrottle)
            .where(
                LoginThrottle.scope == scope,
                LoginThrottle.key == key,
                LoginThrottle.locked_until.is_(None),
            )
            .values(locked_until=literal(now + limits.lockout, UTCDateTime()))
            .execution_options(synchronize_session=False)
        )
    return int(failures)
