"""Sign-in limits per account and per address, counted in the database; re-entering the current
password to change it counts against the same limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import NOW, PASSWORD
from tests.support.signing_in import sign_in
from tracker.domain.accounts.sign_in import GENERIC_REFUSAL, Limits, SignInRefused, authenticate
from tracker.models import AuditEvent, LoginThrottle, User

LIMITS = Limits(per_account=3, per_address=5, lockout_minutes=15)


def attempt(session, email, password, *, address="10.0.0.1", now=NOW):
    try:
        user = authenticate(
            session, email=email, password=password, address=address, now=now, limits=LIMITS
        )
    except SignInRefused as refusal:
        session.commit()
        return refusal
    session.commit()
    return user


def test_right_password_signs_in_and_is_audited(session, make_user):
    user = make_user("owner")
    assert attempt(session, user.email.upper(), PASSWORD) == user
    assert user.last_sign_in_at == NOW
    verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == user.id)).all()
    assert "signed_in" in verbs


def test_wrong_password_is_counted_and_audited_without_saying_why(session, make_user):
    user = make_user("owner")
    refusal = attempt(session, user.email, "wrong password")
    assert refusal.message == GENERIC_REFUSAL
    event = session.scalars(select(AuditEvent).where(AuditEvent.verb == "sign_in_failed")).one()
    assert event.entity_id == user.id and event.after == {"address": "10.0.0.1"}
    counts = {t.scope: t.failures for t in session.scalars(select(LoginThrottle))}
    assert counts == {"account": 1, "address": 1, "pair": 1}


def test_unknown_account_gets_the_same_answer(session, make_user):
    make_user("owner")
    refusal = attempt(session, "nobody@example.nhs.uk", "whatever")
    assert refusal.message == GENERIC_REFUSAL


def test_account_locks_at_that_address_even_with_right_password(session, make_user):
    user = make_user("owner")
    for _ in range(2):
        assert attempt(session, user.email, "wrong").retry_in_minutes is None
    third = attempt(session, user.email, "wrong")
    assert third.retry_in_minutes == 15
    assert "try again in 15 minutes" in third.message
    locked = attempt(session, user.email, PASSWORD)
    assert isinstance(locked, SignInRefused)
    assert locked.message.startswith(GENERIC_REFUSAL)


def test_guesses_from_another_address_cannot_lock_the_real_person_out(session, make_user):
    user = make_user("owner")
    for _ in range(10):
        assert isinstance(
            attempt(session, user.email, "wrong", address="203.0.113.9"), SignInRefused
        )
    assert attempt(session, user.email, PASSWORD, address="10.0.0.1") == user


def test_guessing_from_many_addresses_slows_down_only_those_addresses(session, make_user):
    limits = Limits(per_account=3, per_address=5, lockout_minutes=15, account_slowdown_after=6)
    user = make_user("owner")

    def guess(address: str):
        try:
            return authenticate(session, email=user.email, password="wrong", address=address,
                                now=NOW, limits=limits)  # fmt: skip
        except SignInRefused as refusal:
            session.commit()
            return refusal

    for n in range(7):
        guess(f"198.51.100.{n}")
    # The seventh failure is past the account-wide limit: addresses that failed must wait...
    slowed = guess("198.51.100.0")
    assert slowed.retry_in_minutes == 1
    # ...while the real person, from an address with no failures, signs in at once.
    assert authenticate(session, email=user.email, password=PASSWORD, address="10.0.0.1",
                        now=NOW, limits=limits) == user  # fmt: skip


def test_unknown_account_locks_too_so_locks_reveal_nothing(session):
    for _ in range(3):
        refusal = attempt(session, "nobody@example.nhs.uk", "wrong")
    assert refusal.retry_in_minutes == 15


def test_lockout_expires(session, make_user):
    user = make_user("owner")
    for _ in range(3):
        attempt(session, user.email, "wrong")
    still = attempt(session, user.email, PASSWORD, now=NOW + timedelta(minutes=14))
    assert still.retry_in_minutes == 1
    assert attempt(session, user.email, PASSWORD, now=NOW + timedelta(minutes=15)) == user
    assert (
        session.scalars(select(LoginThrottle).where(LoginThrottle.scope == "account")).all() == []
    )


def test_failures_outside_the_window_start_a_new_count(session, make_user):
    user = make_user("owner")
    for _ in range(2):
        attempt(session, user.email, "wrong")
    later = attempt(session, user.email, "wrong", now=NOW + timedelta(minutes=16))
    assert later.retry_in_minutes is None


def test_address_locks_across_accounts(session, make_user):
    users = [make_user("owner") for _ in range(5)]
    for user in users:
        attempt(session, user.email, "wrong", address="10.6.6.6")
    fresh = make_user("owner")
    refusal = attempt(session, fresh.email, PASSWORD, address="10.6.6.6")
    assert refusal.retry_in_minutes == 15
    assert attempt(session, fresh.email, PASSWORD, address="10.7.7.7") == fresh


def test_success_clears_the_account_count_but_not_the_address(session, make_user):
    user = make_user("owner")
    attempt(session, user.email, "wrong")
    attempt(session, user.email, PASSWORD)
    rows = {t.scope: t.failures for t in session.scalars(select(LoginThrottle))}
    assert rows == {"address": 1}  # the right password gave back the attempt it reserved


def test_deactivated_user_cannot_sign_in(session, make_user):
    user = make_user("owner", is_active=False)
    assert isinstance(attempt(session, user.email, PASSWORD), SignInRefused)


@pytest.fixture
def two_workers(app):
    """Two clients share nothing but the database, like two web workers."""
    return browser(app), browser(app)


def web_attempt(client, email, password, address="10.1.1.1"):
    client.environ_base["REMOTE_ADDR"] = address
    return post_form(client, "/sign-in", {"email": email, "password": password})


def test_account_limit_is_shared_by_two_workers(two_workers, make_user, app):
    first, second = two_workers
    user = make_user("owner")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for n in range(limit):
        web_attempt(first if n % 2 else second, user.email, "wrong", address="10.2.0.1")
    page = web_attempt(second, user.email, PASSWORD, address="10.2.0.1")
    assert page.status_code == 200
    assert "try again in 15 minutes" in text_of(page)
    assert "Enter a correct email address and password" in text_of(page)
    assert web_attempt(first, user.email, PASSWORD, address="10.3.0.1").status_code == 302


def test_address_limit_is_shared_by_two_workers(two_workers, make_user, app):
    first, second = two_workers
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):
        web_attempt(first if n % 2 else second, f"someone{n}@example.nhs.uk", "wrong")
    user = make_user("owner")
    page = web_attempt(first, user.email, PASSWORD)
    assert "try again in" in text_of(page)
    assert web_attempt(second, user.email, PASSWORD, address="10.1.1.2").status_code == 302


def test_empty_sign_in_form_says_what_is_missing_and_writes_nothing(client, make_user, session):
    from tests.support.helpers import table_counts

    make_user("owner")
    before = table_counts(session)
    page = post_form(client, "/sign-in", {"email": "", "password": ""})
    assert "Enter your email address" in text_of(page)
    assert "Enter your password" in text_of(page)
    assert table_counts(session) == before


NEW_PASSWORD = "another-long-test-passphrase"


def test_changing_password_is_rate_limited_like_signing_in(app, session, make_user):
    user = make_user("owner")
    client = browser(app, "10.9.9.9")
    sign_in(client, user)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        wrong = post_form(
            client,
            "/account/password",
            {
                "current_password": "a-wrong-guess",
                "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
        )
        assert "Your current password is not correct" in text_of(wrong)
    right = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert right.status_code == 200
    assert "Too many attempts" in text_of(right)
    session.expire_all()
    refreshed = session.get(User, user.id)
    assert refreshed.session_version == 1  # the password was not changed
    failures = {t.scope: t.failures for t in session.scalars(select(LoginThrottle))}
    # every attempt counts, the refused one (with the right password) too
    assert failures == {"account": limit + 1, "address": limit + 1, "pair": limit + 1}
    verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == user.id)).all()
    assert verbs.count("password_change_failed") == limit
    assert "password_changed" not in verbs


def test_the_right_current_password_still_changes_it_and_clears_the_count(app, session, make_user):
    user = make_user("owner")
    client = browser(app, "10.9.9.8")
    sign_in(client, user)
    post_form(
        client,
        "/account/password",
        {
            "current_password": "a-wrong-guess",
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    done = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    session.expire_all()
    scopes = {t.scope for t in session.scalars(select(LoginThrottle))}
    assert scopes == {"address"}  # the account's count is cleared, the address keeps its own
