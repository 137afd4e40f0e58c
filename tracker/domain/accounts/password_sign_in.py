"""Password sign-in once single sign-on is in place: the break-glass setting.

An installation with single sign-on chooses who may still sign in with a password: everyone
(the default), only admins (so the tracker can still be reached, and the provider's settings
fixed, when the provider is down), or nobody. Without single sign-on passwords are the only way
in, so the setting does not apply. The password itself is checked, counted and throttled by
`sign_in.authenticate`; this module only adds the setting and starts the session.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tracker.domain.accounts.live_sessions import start_session
from tracker.domain.accounts.sign_in import Limits, authenticate
from tracker.domain.errors import DomainError
from tracker.models import Role, SignInMethod, User


class PasswordSignIn(enum.StrEnum):
    """Who may sign in with a password (the PASSWORD_SIGN_IN setting)."""

    EVERYONE = "everyone"
    ADMINS = "admins"
    OFF = "off"


DESCRIPTIONS = {
    PasswordSignIn.EVERYONE: "Everyone can sign in with a password as well as with single sign-on",
    PasswordSignIn.ADMINS: (
        "Only admins can sign in with a password (to reach the tracker when the provider is "
        "down); everyone else uses single sign-on"
    ),
    PasswordSignIn.OFF: "Nobody can sign in with a password: single sign-on only",
}


class PasswordSignInClosed(DomainError):
    """Password sign-in is not open to this person under the setting."""


def effective_policy(setting: PasswordSignIn, *, single_sign_on: bool) -> PasswordSignIn:
    """The setting in force: without single sign-on, passwords stay open to everyone."""
    return setting if single_sign_on else PasswordSignIn.EVERYONE


def password_allowed(policy: PasswordSignIn, user: User) -> bool:
    """Whether `user` may use a password (sign in, set one from an invitation, reset it)."""
    if policy is PasswordSignIn.OFF:
        return False
    return policy is PasswordSignIn.EVERYONE or user.role == Role.ADMIN


def closed_message(policy: PasswordSignIn, provider_name: str) -> str:
    if policy is PasswordSignIn.OFF:
        return f"Password sign-in is turned off. Sign in with {provider_name}"
    return f"Password sign-in is only for admins. Sign in with {provider_name}"


def sign_in_with_password(
    session: Session,
    *,
    email: str,
    password: str,
    address: str,
    now: datetime,
    limits: Limits,
    policy: PasswordSignIn,
    provider_name: str,
    lasts: timedelta,
) -> tuple[User, str]:
    """Check the password (a refusal is SignInRefused, whose counts the caller commits), then
    the setting (a refusal is PasswordSignInClosed, rolled back: nothing recorded as signed in),
    and start a session. Returns the user and the session's token."""
    if policy is PasswordSignIn.OFF:
        raise PasswordSignInClosed(closed_message(policy, provider_name), "email")
    user = authenticate(
        session, email=email, password=password, address=address, now=now, limits=limits
    )
    if not password_allowed(policy, user):
        raise PasswordSignInClosed(closed_message(policy, provider_name), "email")
    token = start_session(session, user, method=SignInMethod.PASSWORD, now=now, lasts=lasts)
    return user, token
