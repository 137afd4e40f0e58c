"""Who gets in with single sign-on (NHSmail or a trust's Entra ID, over OpenID Connect).

Every NHSmail address ends in @nhs.net, so the email's domain says nothing about which
organisation someone belongs to: people get in because an admin of their organisation invited
them. The rules, given the identity the provider vouched for (its ID token already checked):

1. someone already linked by the provider's subject identifier is that user, whatever email the
   provider now sends (a changed address does not orphan the account);
2. otherwise the provider must not say the email is unverified, and an active user with that
   email must exist and not be linked to another subject (a reused or recycled address cannot
   take over someone else's account); the first sign-in links the subject;
3. anyone else is refused with "ask your improvement lead for an invitation", and only an audit
   event is written.

An invitation can be accepted by signing in instead of setting a password. Every refusal is a
SingleSignOnRefused, audited (never with a token or code) for the caller to commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.invitations import INVITATION, user_for_token
from tracker.domain.accounts.live_sessions import start_session
from tracker.domain.errors import DomainError
from tracker.models import SignInMethod, User

# Why a sign-in with the provider was refused -> the page's heading.
HEADINGS = {
    "unknown_person": "You do not have an account yet",
    "deactivated": "Your account is not active",
    "email_not_verified": "Your email address is not confirmed",
    "email_linked_elsewhere": "This email address belongs to another account",
    "invitation_for_someone_else": "This invitation is for someone else",
    "invitation_invalid": "This invitation link cannot be used",
    "denied": "You did not allow the tracker to sign you in",
    "state_mismatch": "Your sign-in could not be checked",
    "bad_token": "Your sign-in could not be checked",
    "provider_down": "{provider} is not responding",
}


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the provider says signed in: the ID token's issuer and subject, and its claims."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool | None  # None when the provider does not send the claim
    name: str | None = None

    @property
    def normalised_email(self) -> str:
        return (self.email or "").strip().lower()[:254]


class SingleSignOnRefused(DomainError):
    """A sign-in with the provider that was refused; `reason` is a key of HEADINGS. It is a
    record to keep (its audit event), so the caller commits rather than rolls back."""

    def __init__(self, reason: str, message: str, *, provider: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.heading = HEADINGS[reason].format(provider=provider)


def messages(provider: str) -> dict[str, str]:
    """What each refusal tells the person to do, naming the provider as they know it."""
    retry = f"Go back to the sign-in page and choose Sign in with {provider} again"
    return {
        "unknown_person": (
            f"You signed in to {provider}, but nobody has invited you to the IMPACT action "
            "tracker. Ask your improvement lead for an invitation"
        ),
        "deactivated": "Your account has been deactivated. Ask your improvement lead",
        "email_not_verified": (
            f"{provider} has not confirmed your email address, so it cannot be used to sign in. "
            f"Confirm it with {provider}, or ask your improvement lead"
        ),
        "email_linked_elsewhere": (
            f"The account with this email address is already linked to another {provider} "
            "account. Ask your improvement lead to check your account"
        ),
        "invitation_for_someone_else": (
            "You signed in with a different email address from the one the invitation was sent "
            "to. Sign in with the account the invitation was sent to, or ask for a new invitation"
        ),
        "invitation_invalid": (
            "This invitation link has expired or has already been used. Ask your improvement "
            "lead for a new one"
        ),
        "denied": f"You cancelled signing in or did not give permission. {retry}",
        "state_mismatch": (
            "Your sign-in took too long, was started in another tab, or its link was changed. "
            f"{retry}"
        ),
        "bad_token": (
            f"The tracker could not confirm the answer from {provider}. {retry}; if it keeps "
            "happening, tell your improvement lead"
        ),
        "provider_down": (
            f"{provider} did not answer. Try again in a few minutes; if it keeps happening, "
            "tell your improvement lead"
        ),
    }


def refuse(
    session: Session,
    reason: str,
    *,
    provider: str,
    address: str,
    now: datetime,
    user: User | None = None,
    details: dict[str, str] | None = None,
) -> NoReturn:
    """Audit a refused sign-in with the provider and raise SingleSignOnRefused. `details` are
    for admins (an email, the provider's error code), never a token, code or secret."""
    after = {"reason": reason, "address": address, **(details or {})}
    audit.record(
        session, user, "user", user.id if user else None, "sso_sign_in_refused", at=now,
        after=after,
    )  # fmt: skip
    raise SingleSignOnRefused(reason, messages(provider)[reason], provider=provider)


def find_user(session: Session, identity: ProviderIdentity, *, provider: str, address: str,
              now: datetime) -> User:  # fmt: skip
    """The user this identity signs in as (linking the subject on a first sign-in), or a
    refusal. See the module's rules."""
    linked = _linked_user(session, identity)
    seen = {"email": identity.normalised_email, "subject": identity.subject}
    if linked is not None:
        if not linked.is_active:
            refuse(session, "deactivated", provider=provider, address=address, now=now,
                   user=linked, details=seen)  # fmt: skip
        return linked
    if identity.email_verified is False or not identity.normalised_email:
        refuse(session, "email_not_verified", provider=provider, address=address, now=now,
               details=seen)  # fmt: skip
    user = session.scalar(select(User).where(User.email == identity.normalised_email))
    if user is None:
        refuse(session, "unknown_person", provider=provider, address=address, now=now,
               details=seen)  # fmt: skip
    if not user.is_active:
        refuse(session, "deactivated", provider=provider, address=address, now=now,
               user=user, details=seen)  # fmt: skip
    if user.sso_subject is not None:
        refuse(session, "email_linked_elsewhere", provider=provider, address=address, now=now,
               user=user, details=seen)  # fmt: skip
    user.sso_issuer, user.sso_subject = identity.issuer, identity.subject
    audit.record(session, user, "user", user.id, "sso_linked", at=now,
                 after={"issuer": identity.issuer, "subject": identity.subject})  # fmt: skip
    return user


def sign_in_with_provider(
    session: Session,
    identity: ProviderIdentity,
    *,
    provider: str,
    address: str,
    now: datetime,
    lasts: timedelta,
) -> tuple[User, str]:
    """Sign in the user this identity belongs to and start a session; returns the user and
    the session's token. Refusals are SingleSignOnRefused (audited; the caller commits)."""
    user = find_user(session, identity, provider=provider, address=address, now=now)
    return _signed_in(session, user, address=address, now=now, lasts=lasts)


def accept_invitation_with_provider(
    session: Session,
    identity: ProviderIdentity,
    *,
    token: str,
    secret_key: str,
    provider: str,
    address: str,
    now: datetime,
    lasts: timedelta,
) -> tuple[User, str]:
    """Accept an invitation by signing in with the provider instead of setting a password.

    The provider's verified email must be the invited one (or the subject already linked to
    the invited user); accepting links the subject and spends the link, like setting a
    password does."""
    try:
        invited = user_for_token(session, token, purpose=INVITATION, secret_key=secret_key, now=now)
    except DomainError:
        refuse(session, "invitation_invalid", provider=provider, address=address, now=now)
    linked = _linked_user(session, identity)
    if (linked or invited).id != invited.id or (
        linked is None and identity.normalised_email != invited.email
    ):
        refuse(session, "invitation_for_someone_else", provider=provider, address=address,
               now=now, user=invited, details={"email": identity.normalised_email})  # fmt: skip
    user = find_user(session, identity, provider=provider, address=address, now=now)
    user.session_version += 1  # spends the invitation link (and any other old session)
    audit.record(session, user, "user", user.id, "invitation_accepted", at=now,
                 after={"method": SignInMethod.SINGLE_SIGN_ON.value})  # fmt: skip
    return _signed_in(session, user, address=address, now=now, lasts=lasts)


def _linked_user(session: Session, identity: ProviderIdentity) -> User | None:
    return session.scalar(
        select(User).where(User.sso_issuer == identity.issuer, User.sso_subject == identity.subject)
    )


def _signed_in(
    session: Session, user: User, *, address: str, now: datetime, lasts: timedelta
) -> tuple[User, str]:
    user.last_sign_in_at = now
    audit.record(session, user, "user", user.id, "signed_in", at=now,
                 after={"address": address, "method": SignInMethod.SINGLE_SIGN_ON.value})  # fmt: skip
    token = start_session(session, user, method=SignInMethod.SINGLE_SIGN_ON, now=now, lasts=lasts)
    return user, token


def unlink_provider(session: Session, actor: User, user: User, *, now: datetime) -> None:
    """An admin forgets the provider identity linked to `user` (the address was recycled, or
    the person's provider account replaced) and ends their sessions; their next sign-in with
    the provider links whichever account signs in with their email."""
    if user.sso_subject is None:
        raise DomainError(f"{user.name} is not linked to a single sign-on account")
    before = {"issuer": user.sso_issuer, "subject": user.sso_subject}
    user.sso_issuer = user.sso_subject = None
    user.session_version += 1
    audit.record(session, actor, "user", user.id, "sso_unlinked", at=now, before=before)
