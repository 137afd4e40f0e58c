"""Session revocation, remember-me and safe `next` redirects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for

from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import PASSWORD, table_counts
from tests.support.signing_in import sign_in
from tracker.auth.views import safe_next

NEW_PASSWORD = "orange-kettle-river-91"


def signed_in(client) -> bool:
    """True when the client's session still belongs to a signed-in user."""
    return client.get("/account/password").status_code == 200


def test_password_change_ends_the_other_session_and_keeps_this_one(app, session, make_user):
    user = make_user("owner")
    laptop, phone = browser(app), browser(app)
    sign_in(laptop, user)
    sign_in(phone, user)
    changed = post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    page = phone.get("/account/password")
    assert page.location.startswith("/sign-in")
    sign_in(phone, user, NEW_PASSWORD)


def test_password_change_keeps_a_remembered_session_remembered(app, session, make_user):
    user = make_user("owner")
    laptop = browser(app)
    sign_in(laptop, user, remember="y")
    post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    cookie = laptop.get_cookie("remember_token")
    assert cookie is not None
    session.refresh(user)
    assert cookie.value.startswith(f"{user.id}:{user.session_version}:")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"current_password": "wrong", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            "Your current password is not correct",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "confirm": "other-phrase-1234",
            },
            "The two new passwords do not match",
        ),
        (
            {"current_password": PASSWORD, "new_password": "short", "confirm": "short"},
            "Password must be at least 12 characters",
        ),
        (
            {"current_password": PASSWORD, "new_password": PASSWORD, "confirm": PASSWORD},
            "different from your current one",
        ),
        (
            {"current_password": "", "new_password": "", "confirm": ""},
            "Enter your current password",
        ),
    ],
)
def test_bad_password_change_says_why_and_writes_nothing(app, session, make_user, fields, message):
    user = make_user("owner")
    laptop = browser(app)
    sign_in(laptop, user)
    before, version = table_counts(session), user.session_version
    page = post_form(laptop, "/account/password", fields)
    assert page.status_code == 200
    assert message in text_of(page) and "There is a problem" in text_of(page)
    session.rollback()
    if message == "Your current password is not correct":
        # a wrong guess is counted (and audited) like a failed sign-in, so guessing is limited
        before = before | {
            "login_throttle": before["login_throttle"] + 2,
            "audit_event": before["audit_event"] + 1,
        }
    assert table_counts(session) == before and user.session_version == version


def test_deactivation_ends_the_users_sessions(app, session, make_user):
    admin, user = make_user("admin"), make_user("owner")
    their_browser, admin_browser = browser(app), browser(app)
    sign_in(their_browser, user, remember="y")
    sign_in(admin_browser, admin)
    assert signed_in(their_browser)
    done = post_form(
        admin_browser, f"/admin/users/{user.id}/deactivate", {}, form_url=f"/admin/users/{user.id}"
    )
    assert done.status_code == 302
    assert not signed_in(their_browser)
    # the remember-me cookie carries the old session version, so it cannot sign them back in
    their_browser.delete_cookie("session")
    assert not signed_in(their_browser)


def test_remember_me_is_off_by_default(app, make_user):
    user = make_user("owner")
    client = browser(app)
    response = sign_in(client, user)
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token=") and "Max-Age=0" not in c for c in cookies)
    assert client.get_cookie("remember_token") is None
    assert client.get_cookie("session").expires is None  # ends when the browser closes


def test_remember_me_lasts_about_a_week(app, make_user):
    user = make_user("owner")
    client = browser(app)
    response = sign_in(client, user, remember="y")
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only
    assert "remember_token" in " ".join(response.headers.getlist("Set-Cookie"))
    lifetime = cookie.expires - datetime.now(UTC)
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_remembered_user_comes_back_without_a_session_cookie(app, make_user):
    user = make_user("owner")
    client = browser(app)
    sign_in(client, user, remember="y")
    client.delete_cookie("session")
    assert signed_in(client)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com",
        "http://evil.com/path",
        "/\\evil.com",
        "\\\\evil.com",
        "javascript:alert(1)",
        "/\t/evil.com",
        "evil.com",
        "",
        None,
    ],
)
def test_next_never_leaves_the_site(app, target):
    with app.test_request_context():
        assert safe_next(target) == url_for("home.home")


@pytest.mark.parametrize("target", ["/admin/users", "/actions/3?tab=evidence", "/my-actions"])
def test_next_within_the_site_is_followed(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/admin/users", "/admin/users"), ("//evil.com", "/"), ("https://evil.com", "/")],
)
def test_sign_in_follows_next_only_within_the_site(app, make_user, target, expected):
    user = make_user("owner")
    client = browser(app)
    token_page = f"/sign-in?next={target}"
    response = post_form(client, token_page, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == expected


def test_protected_page_sends_anonymous_users_to_sign_in_with_next(app):
    response = browser(app).get("/account/password")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")
