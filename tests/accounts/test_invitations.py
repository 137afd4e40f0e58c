"""Invitations and password resets: signed, expiring links that work once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import NOW, PASSWORD, table_counts
from tests.support.signing_in import sign_in
from tracker import clock
from tracker.domain.accounts.invitations import (
    EXPIRED,
    INVALID,
    INVITATION,
    PASSWORD_RESET,
    Email,
    InvalidLink,
    change_password,
    invite_user,
    issue_token,
    set_password_with_token,
    user_for_token,
)
from tracker.domain.accounts.password_resets import answer_reset_requests, request_password_reset
from tracker.domain.errors import DomainError
from tracker.mailing.sender import answer_password_resets
from tracker.models import AuditEvent, Notification, User

SECRET = "test-secret"
NEW_PASSWORD = "orange-kettle-river-91"


def fake_compose(purpose, user, token, inviter=None):
    return Email(f"{purpose} subject", f"text /{purpose}/{token}", f"<p>{token}</p>")


def verify(session, token, purpose=INVITATION, now=NOW, secret=SECRET):
    return user_for_token(session, token, purpose=purpose, secret_key=secret, now=now)


@pytest.fixture
def invited(session, make_user):
    admin = make_user("admin")
    user = invite_user(
        session,
        admin,
        email="New.Person@Example.nhs.uk",
        name="New Person",
        role="owner",
        now=NOW,
        secret_key=SECRET,
        compose=fake_compose,
    )
    session.commit()
    return user


def test_invite_creates_a_user_without_password_and_queues_the_link(session, invited):
    assert invited.email == "new.person@example.nhs.uk" and invited.password_hash is None
    note = session.scalars(select(Notification)).one()
    assert note.kind == INVITATION and note.to_address == invited.email
    token = note.body_text.split("/")[-1]
    assert verify(session, token) == invited
    verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == invited.id))
    assert {"created", "invitation_sent"} <= set(verbs)


def test_invitation_link_expires_after_seven_days(session, invited):
    token = issue_token(invited, purpose=INVITATION, secret_key=SECRET, now=NOW)
    assert verify(session, token, now=NOW + timedelta(days=7)) == invited
    with pytest.raises(InvalidLink, match=EXPIRED):
        verify(session, token, now=NOW + timedelta(days=7, seconds=1))


def test_reset_link_expires_after_an_hour(session, make_user):
    user = make_user("owner")
    token = issue_token(user, purpose=PASSWORD_RESET, secret_key=SECRET, now=NOW)
    with pytest.raises(InvalidLink, match=EXPIRED):
        verify(session, token, PASSWORD_RESET, now=NOW + timedelta(hours=1, seconds=1))


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature tampered
        lambda t: "x" + t,  # payload tampered
        lambda t: "not-a-token",
    ],
)
def test_tampered_link_is_refused(session, invited, spoil):
    token = issue_token(invited, purpose=INVITATION, secret_key=SECRET, now=NOW)
    with pytest.raises(InvalidLink, match=INVALID):
        verify(session, spoil(token))


def test_link_is_for_one_purpose_and_one_key(session, invited):
    token = issue_token(invited, purpose=INVITATION, secret_key=SECRET, now=NOW)
    with pytest.raises(InvalidLink, match=INVALID):
        verify(session, token, PASSWORD_RESET)
    with pytest.raises(InvalidLink, match=INVALID):
        verify(session, token, secret="another-key")


def test_link_works_once(session, invited):
    token = issue_token(invited, purpose=INVITATION, secret_key=SECRET, now=NOW)
    set_password_with_token(
        session, token=token, purpose=INVITATION, password=NEW_PASSWORD, secret_key=SECRET, now=NOW
    )
    session.commit()
    assert invited.session_version == 2
    with pytest.raises(InvalidLink, match=INVALID):
        set_password_with_token(
            session,
            token=token,
            purpose=INVITATION,
            password=NEW_PASSWORD,
            secret_key=SECRET,
            now=NOW,
        )


def test_link_for_a_deactivated_user_is_refused(session, invited):
    token = issue_token(invited, purpose=INVITATION, secret_key=SECRET, now=NOW)
    invited.is_active = False
    session.commit()
    with pytest.raises(InvalidLink, match=INVALID):
        verify(session, token)


def test_weak_password_from_a_link_changes_nothing(session, invited):
    token = issue_token(invited, purpose=INVITATION, secret_key=SECRET, now=NOW)
    before = table_counts(session)
    with pytest.raises(DomainError, match="at least 12"):
        set_password_with_token(
            session, token=token, purpose=INVITATION, password="short", secret_key=SECRET, now=NOW
        )
    session.rollback()
    assert invited.password_hash is None and table_counts(session) == before


def answer(session):
    return answer_reset_requests(session, secret_key=SECRET, compose=fake_compose)


def test_reset_for_an_unknown_address_queues_nothing(session, make_user):
    make_user("owner")
    before = table_counts(session)
    request_password_reset(session, email="nobody@example.nhs.uk", now=NOW)
    taken = table_counts(session)
    # the web's work: the request is counted and stored as typed, exactly as for a known address
    assert taken.pop("login_throttle") == before["login_throttle"] + 1
    assert taken.pop("password_reset_request") == before["password_reset_request"] + 1
    assert answer(session) == 0
    after = table_counts(session)
    # the sender's answer: audited, the request deleted, no email
    assert after.pop("audit_event") == before.pop("audit_event") + 1
    after.pop("login_throttle"), before.pop("login_throttle")
    assert after == before


def test_a_known_address_is_looked_up_only_by_the_sender(session, make_user):
    user = make_user("owner")
    before = table_counts(session)
    request_password_reset(session, email=f"  {user.email.upper()} ", now=NOW)
    assert table_counts(session)["notification"] == before["notification"]
    assert answer(session) == 1
    note = session.scalars(select(Notification)).one()
    assert note.to_address == user.email and note.kind == PASSWORD_RESET
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.verb == "password_reset_requested")
    ).one()
    assert event.entity_id == user.id
    assert table_counts(session)["password_reset_request"] == 0


def test_reset_requests_in_the_same_minute_queue_one_email(session, make_user):
    user = make_user("owner")
    for moment in (NOW, NOW + timedelta(seconds=30), NOW + timedelta(minutes=1)):
        request_password_reset(session, email=user.email.upper(), now=moment)
    assert answer(session) == 2
    session.commit()
    assert len(session.scalars(select(Notification)).all()) == 2


def test_change_password_needs_the_current_one(session, make_user):
    user = make_user("owner")
    with pytest.raises(DomainError, match="current password is not correct") as refused:
        change_password(session, user, current_password="wrong", new_password=NEW_PASSWORD, now=NOW)
    assert refused.value.field == "current_password"
    change_password(session, user, current_password=PASSWORD, new_password=NEW_PASSWORD, now=NOW)
    assert user.session_version == 2


# --- through the web -------------------------------------------------------------------------


def link_in(notification: Notification, kind: str) -> str:
    match = re.search(rf"https?://\S+(/{kind}/\S+)", notification.body_text)
    assert match, notification.body_text
    assert match.group(0) in notification.body_html
    return match.group(1)


def test_admin_invites_and_the_new_user_sets_a_password_and_signs_in(app, session, make_user):
    admin = make_user("admin")
    admin_browser = browser(app)
    sign_in(admin_browser, admin)
    sent = post_form(
        admin_browser,
        "/admin/users/invite",
        {"name": "Ada Lovelace", "email": "ada@example.nhs.uk", "role": "director"},
    )
    assert sent.status_code == 302
    session.rollback()
    note = session.scalars(select(Notification)).one()
    # queued by the web worker, sent by the sender process
    assert (
        note.status == "pending" and "has invited you to the IMPACT action tracker" in note.subject
    )
    path = link_in(note, "invitation")
    assert note.body_text.startswith("Hello Ada Lovelace")

    newcomer = browser(app)
    page = newcomer.get(path)
    assert "Welcome, Ada Lovelace" in text_of(page)
    done = post_form(newcomer, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/sign-in")
    ada = session.scalars(select(User).where(User.email == "ada@example.nhs.uk")).one()
    sign_in(newcomer, ada, NEW_PASSWORD)

    again = browser(app).get(path)
    assert again.status_code == 400
    assert "not valid or has already been used" in text_of(again)


def test_expired_invitation_page_says_so(app, session, make_user, monkeypatch):
    admin = make_user("admin")
    user = invite_user(
        session,
        admin,
        email="late@example.nhs.uk",
        name="Late Person",
        role="owner",
        now=NOW,
        secret_key=app.config["SECRET_KEY"],
        compose=fake_compose,
    )
    session.commit()
    token = issue_token(user, purpose=INVITATION, secret_key=app.config["SECRET_KEY"], now=NOW)
    monkeypatch.setattr("tracker.clock.now", lambda: NOW + timedelta(days=8))
    page = browser(app).get(f"/invitation/{token}")
    assert page.status_code == 400 and "This link has expired" in text_of(page)


def test_set_password_form_errors_write_nothing(app, session, make_user):
    admin = make_user("admin")
    user = invite_user(
        session,
        admin,
        email="care@example.nhs.uk",
        name="Care Ful",
        role="owner",
        now=NOW,
        secret_key=app.config["SECRET_KEY"],
        compose=fake_compose,
    )
    session.commit()
    token = issue_token(
        user, purpose=INVITATION, secret_key=app.config["SECRET_KEY"], now=clock.now()
    )
    client = browser(app)
    before = table_counts(session)
    cases = {
        ("", ""): "Enter a new password",
        (NEW_PASSWORD, "different-words-here"): "The two passwords do not match",
        ("short", "short"): "Password must be at least 12 characters",
        ("carefulcare-1234", "carefulcare-1234"): "must not contain your name",
    }
    for (password, confirm), message in cases.items():
        page = post_form(client, f"/invitation/{token}", {"password": password, "confirm": confirm})
        assert page.status_code == 200 and message in text_of(page), message
        assert "There is a problem" in text_of(page)
    session.rollback()
    assert table_counts(session) == before and user.password_hash is None


def test_forgotten_password_answers_the_same_for_any_address(app, session, make_user):
    user = make_user("owner")
    answers = []
    for email in (user.email, "nobody@example.nhs.uk"):
        response = post_form(browser(app), "/forgotten-password", {"email": email})
        answers.append((response.status_code, response.location))
    assert answers[0] == answers[1] == (302, "/forgotten-password/sent")
    session.rollback()
    assert session.scalars(select(Notification)).all() == []  # the web never looks it up
    assert answer_password_resets() == 1
    notes = session.scalars(select(Notification)).all()
    assert [n.to_address for n in notes] == [user.email]
    assert "Check your email" in text_of(browser(app).get("/forgotten-password/sent"))


def test_reset_link_sets_a_new_password_and_ends_other_sessions(app, session, make_user):
    user = make_user("owner")
    signed_in = browser(app)
    sign_in(signed_in, user)
    post_form(browser(app), "/forgotten-password", {"email": user.email})
    session.rollback()
    answer_password_resets()
    path = link_in(session.scalars(select(Notification)).one(), "reset-password")
    other = browser(app)
    assert (
        post_form(other, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )
    assert signed_in.get("/account/password").status_code == 302  # sent to sign in
    sign_in(other, user, NEW_PASSWORD)
    assert browser(app).get(path).status_code == 400


def test_forgotten_password_needs_an_address(app, session):
    before = table_counts(session)
    page = post_form(browser(app), "/forgotten-password", {"email": ""})
    assert "Enter your email address" in text_of(page)
    assert table_counts(session) == before


def test_reset_email_is_queued_and_sent_by_the_sender(app, session, make_user):
    """The web worker only stores the request: the page answers without looking the address up
    or talking to the mail server, and the sender process (the scheduler's outbox job) queues
    and sends the email in one run."""
    from tracker.mailing.sender import deliver_outbox

    user = make_user("owner")
    response = post_form(browser(app), "/forgotten-password", {"email": user.email})
    assert response.status_code == 302
    session.rollback()
    assert session.scalars(select(Notification.status)).all() == []
    assert deliver_outbox(None).sent == 1
    session.rollback()
    assert session.scalars(select(Notification.status)).one() == "sent"
