"""The rules of single sign-on and live sessions, in the domain (no HTTP)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.helpers import NOW
from tracker.domain.accounts.invitations import INVITATION, issue_token
from tracker.domain.accounts.live_sessions import end_session, start_session, user_for_live_session
from tracker.domain.accounts.password_sign_in import (
    PasswordSignIn,
    effective_policy,
    password_allowed,
)
from tracker.domain.accounts.single_sign_on import (
    ProviderIdentity,
    SingleSignOnRefused,
    accept_invitation_with_provider,
    sign_in_with_provider,
)
from tracker.models import LiveSession, SignInMethod

ISSUER = "https://login.example.net/tenant/v2.0"
LASTS = timedelta(hours=12)


def identity(subject: str, email: str | None, verified: bool | None = True) -> ProviderIdentity:
    return ProviderIdentity(ISSUER, subject, email, verified)


def sign_in(session, who: ProviderIdentity):
    return sign_in_with_provider(
        session, who, provider="NHSmail", address="10.0.0.1", now=NOW, lasts=LASTS
    )


def test_an_email_provider_does_not_vouch_for_is_still_accepted(session, make_user):
    """Entra ID sends no email_verified claim: its own addresses are trusted."""
    user = make_user("owner", email="person@nhs.net")
    assert sign_in(session, identity("s-1", "Person@NHS.net", verified=None))[0] is user


def test_the_email_must_be_present(session, make_user):
    with pytest.raises(SingleSignOnRefused) as refused:
        sign_in(session, identity("s-1", None))
    assert refused.value.reason == "email_not_verified"


def test_an_identity_from_another_issuer_with_the_same_subject_is_not_the_linked_user(
    session, make_user
):
    user = make_user("owner", email="person@nhs.net")
    user.sso_issuer, user.sso_subject = "https://elsewhere.example", "s-1"
    with pytest.raises(SingleSignOnRefused) as refused:
        sign_in(session, identity("s-1", "person@nhs.net"))
    assert refused.value.reason == "email_linked_elsewhere"


def test_a_spent_invitation_cannot_be_accepted(session, make_user):
    invited = make_user("owner", email="person@nhs.net", password=None)
    token = issue_token(invited, purpose=INVITATION, secret_key="k", now=NOW)
    invited.session_version += 1  # spent (as by setting a password)
    with pytest.raises(SingleSignOnRefused) as refused:
        accept_invitation_with_provider(
            session, identity("s-1", "person@nhs.net"), token=token, secret_key="k",
            provider="NHSmail", address="10.0.0.1", now=NOW, lasts=LASTS,
        )  # fmt: skip
    assert refused.value.reason == "invitation_invalid"
    assert invited.sso_subject is None


def test_a_live_session_ends_once_and_a_new_sign_in_clears_ended_ones(session, make_user):
    user = make_user("owner")
    token = start_session(session, user, method=SignInMethod.PASSWORD, now=NOW, lasts=LASTS)
    args = {"user_id": user.id, "session_version": user.session_version, "token": token}
    assert user_for_live_session(session, **args, now=NOW) is user
    assert user_for_live_session(session, **args, now=NOW + LASTS) is None  # expired
    assert end_session(session, user, token, now=NOW) == "password"
    assert user_for_live_session(session, **args, now=NOW) is None
    start_session(session, user, method=SignInMethod.SINGLE_SIGN_ON, now=NOW, lasts=LASTS)
    assert session.scalar(select(func.count()).select_from(LiveSession)) == 1


def test_another_users_token_signs_nobody_in(session, make_user):
    one, two = make_user("owner"), make_user("owner")
    token = start_session(session, one, method=SignInMethod.PASSWORD, now=NOW, lasts=LASTS)
    assert (
        user_for_live_session(
            session, user_id=two.id, session_version=two.session_version, token=token, now=NOW
        )
        is None
    )
    assert end_session(session, two, token, now=NOW) is None


@pytest.mark.parametrize(
    ("setting", "single_sign_on", "admin", "owner"),
    [
        (PasswordSignIn.EVERYONE, True, True, True),
        (PasswordSignIn.ADMINS, True, True, False),
        (PasswordSignIn.OFF, True, False, False),
        (PasswordSignIn.OFF, False, True, True),  # without single sign-on: passwords only
    ],
)
def test_who_may_use_a_password(make_user, setting, single_sign_on, admin, owner):
    policy = effective_policy(setting, single_sign_on=single_sign_on)
    assert password_allowed(policy, make_user("admin")) is admin
    assert password_allowed(policy, make_user("owner")) is owner
