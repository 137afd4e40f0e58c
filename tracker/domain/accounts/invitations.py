"""Invitations, password resets and password changes, through signed links that work once.

A link carries the user's id and a fingerprint of their password hash and session version,
signed with the app's secret key and a salt per purpose and stamped with the time it was made.
Setting a password changes both, so the fingerprint no longer matches and the link is spent;
it also ends the user's other sessions. Emails are queued in the outbox inside the caller's
transaction; the caller renders them (through `compose`) so this module stays free of Flask.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.registration import (
    check_password_strength,
    create_user,
    hash_password,
    password_matches,
)
from tracker.domain.accounts.sign_in import (
    Limits,
    SignInRefused,
    release_attempt,
    reserve_attempt,
)
from tracker.domain.errors import DomainError
from tracker.domain.outbox import queue as outbox
from tracker.models import Organisation, Role, User

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"  # noqa: S105 (an outbox kind, not a secret)
VALID_FOR = {INVITATION: timedelta(days=7), PASSWORD_RESET: timedelta(hours=1)}
SALTS = {INVITATION: "tracker.invitation.v1", PASSWORD_RESET: "tracker.password-reset.v1"}
EXPIRED = "This link has expired. Ask for a new one"
INVALID = "This link is not valid or has already been used. Ask for a new one"


@dataclass(frozen=True)
class Email:
    subject: str
    body_text: str
    body_html: str


class Composer(Protocol):
    """(purpose, user, token) -> the rendered email; supplied by the web layer. An invitation
    also names who sent it (`inviter`), so the person knows who asked them to join."""

    def __call__(
        self, purpose: str, user: User, token: str, *, inviter: User | None = None
    ) -> Email: ...


class InvalidLink(DomainError):
    """A link that is expired, tampered with, already used or for a deactivated user."""


class WrongCurrentPassword(DomainError):
    """The current password was wrong (or the account is locked): the failure count it added
    must be committed, like a failed sign-in, while nothing else was changed."""


def fingerprint(user: User) -> str:
    """Changes whenever the password or session version changes, spending earlier links."""
    material = f"{user.id}|{user.password_hash or ''}|{user.session_version}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _serializer(secret_key: str, purpose: str, now: datetime) -> URLSafeTimedSerializer:
    """A serializer whose clock is `now`, so expiry is testable without waiting."""
    stamp = int(now.timestamp())

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(secret_key, salt=SALTS[purpose], signer=Signer)


def issue_token(user: User, *, purpose: str, secret_key: str, now: datetime) -> str:
    """A signed, time-stamped token for one user and purpose."""
    return str(_serializer(secret_key, purpose, now).dumps({"u": user.id, "f": fingerprint(user)}))


def user_for_token(
    session: Session, token: str, *, purpose: str, secret_key: str, now: datetime
) -> User:
    """The active user a still-valid token names; InvalidLink otherwise."""
    max_age = int(VALID_FOR[purpose].total_seconds())
    try:
        data = _serializer(secret_key, purpose, now).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidLink(EXPIRED) from None
    except BadSignature:
        raise InvalidLink(INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidLink(INVALID)
    user = session.get(User, data["u"])
    if user is None or not user.is_active or data.get("f") != fingerprint(user):
        raise InvalidLink(INVALID)
    return user


def _queue(
    session: Session,
    user: User,
    purpose: str,
    *,
    secret_key: str,
    now: datetime,
    period: str,
    compose: Composer,
    inviter: User | None = None,
) -> bool:
    token = issue_token(user, purpose=purpose, secret_key=secret_key, now=now)
    email = compose(purpose, user, token, inviter=inviter)
    return outbox.enqueue(
        session,
        user,
        kind=purpose,
        period=period,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        now=now,
    )


def invite_user(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    role: str,
    now: datetime,
    secret_key: str,
    compose: Composer,
    organisation: Organisation | None = None,
) -> User:
    """Create a user without a password, in the inviting admin's organisation (or the one a
    platform admin names), and queue an email with a link to set one."""
    organisation = organisation or actor.organisation
    if organisation is None or role == Role.PLATFORM_ADMIN:
        raise DomainError("Invitations are for people in an organisation", "role")
    user = create_user(
        session,
        actor,
        email=email,
        name=name,
        role=role,
        password=None,
        now=now,
        organisation=organisation,
    )
    send_invitation(session, actor, user, now=now, secret_key=secret_key, compose=compose)
    return user


def send_invitation(
    session: Session,
    actor: User,
    user: User,
    *,
    now: datetime,
    secret_key: str,
    compose: Composer,
) -> None:
    """(Re)send an invitation to an active user who has not yet set a password; it names
    `actor` as the person inviting them, their organisation and their role."""
    if user.password_hash:
        raise DomainError(f"{user.name} has already set a password: they can reset it instead")
    if not user.is_active:
        raise DomainError(f"Reactivate {user.name} before inviting them again")
    period = now.isoformat(timespec="seconds")
    _queue(
        session, user, INVITATION, secret_key=secret_key, now=now, period=period,
        compose=compose, inviter=actor,
    )  # fmt: skip
    audit.record(
        session, actor, "user", user.id, "invitation_sent", at=now, after={"email": user.email}
    )


def set_password_with_token(
    session: Session, *, token: str, purpose: str, password: str, secret_key: str, now: datetime
) -> User:
    """Set a password from an invitation or reset link; the link is spent by doing so."""
    user = user_for_token(session, token, purpose=purpose, secret_key=secret_key, now=now)
    check_password_strength(password, email=user.email, name=user.name)
    _replace_password(user, password)
    verb = "invitation_accepted" if purpose == INVITATION else "password_reset"
    audit.record(session, user, "user", user.id, verb, at=now)
    return user


def change_password(
    session: Session,
    user: User,
    *,
    current_password: str,
    new_password: str,
    now: datetime,
    address: str = "unknown",
    limits: Limits = Limits(),  # noqa: B008 (frozen, so one shared default is safe)
) -> None:
    """A signed-in user changes their password; their other sessions end.

    Re-entering the current password is limited like signing in (same per-account and
    per-address counts), so a borrowed or stolen session cannot be used to guess it. The new
    password is checked first, so a weak one does not use up an attempt.
    """
    if new_password == current_password:
        raise DomainError("Choose a new password different from your current one", "new_password")
    try:
        check_password_strength(new_password, email=user.email, name=user.name)
    except DomainError as error:
        raise DomainError(error.message, "new_password") from None
    try:
        reserve_attempt(session, email=user.email, address=address, now=now, limits=limits)
    except SignInRefused as refused:
        waiting = refused.retry_in_minutes or 1
        unit = "minute" if waiting == 1 else "minutes"
        raise WrongCurrentPassword(
            f"Too many attempts: try again in {waiting} {unit}", "current_password"
        ) from None
    if not password_matches(user, current_password):
        audit.record(
            session, user, "user", user.id, "password_change_failed", at=now,
            after={"address": address},
        )  # fmt: skip
        raise WrongCurrentPassword("Your current password is not correct", "current_password")
    release_attempt(session, email=user.email, address=address, limits=limits)
    _replace_password(user, new_password)
    audit.record(session, user, "user", user.id, "password_changed", at=now)


def _replace_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1
