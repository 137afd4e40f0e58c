"""Signing out ends that session server-side: copied cookies, remember-me and old CSRF tokens
stop working, and signing in or out starts a fresh session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.support.accounts import browser, csrf_token, post_form
from tests.support.signing_in import sign_in
from tracker import clock
from tracker.models import AuditEvent, LiveSession


def signed_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def sign_out(client) -> None:
    answer = post_form(client, "/sign-out", {}, form_url="/account/password")
    assert answer.status_code == 302 and answer.headers["Location"] == "/sign-in"


def copy_of(app, client, *names: str):
    """Another browser holding copies of `client`'s cookies, as someone who took them would."""
    other = browser(app)
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def test_a_session_cookie_kept_from_before_sign_out_is_refused(app, session, make_user):
    client = browser(app)
    sign_in(client, make_user("owner"))
    kept = copy_of(app, client, "session")
    assert signed_in(kept)
    sign_out(client)
    assert not signed_in(kept) and not signed_in(client)
    assert session.scalar(select(AuditEvent.verb).where(AuditEvent.verb == "signed_out"))


def test_a_remember_me_cookie_alone_is_refused_after_sign_out(app, make_user):
    client = browser(app)
    sign_in(client, make_user("owner"), remember="y")
    kept = copy_of(app, client, "remember_token")
    assert signed_in(copy_of(app, client, "remember_token"))  # it worked before
    sign_out(client)
    assert not signed_in(kept)
    assert client.get_cookie("remember_token") is None  # and the browser was told to drop it


def test_a_csrf_token_from_before_sign_out_is_refused(app, make_user):
    client = browser(app)
    user = make_user("owner")
    sign_in(client, user)
    old_token = csrf_token(client, "/account/password")
    sign_out(client)
    answer = client.post(
        "/sign-in", data={"email": user.email, "password": "x", "csrf_token": old_token}
    )
    assert answer.status_code == 400
    assert not signed_in(client)


def test_signing_in_starts_a_fresh_session_with_a_new_csrf_token(app, make_user):
    client = browser(app)
    before = csrf_token(client, "/sign-in")
    sign_in(client, make_user("owner"))
    assert csrf_token(client, "/account/password") != before


def test_signing_out_leaves_the_persons_other_devices_signed_in(app, make_user):
    user = make_user("owner")
    laptop, phone = browser(app), browser(app)
    sign_in(laptop, user)
    sign_in(phone, user)
    sign_out(laptop)
    assert signed_in(phone) and not signed_in(laptop)


def test_a_session_ends_server_side_when_its_lifetime_is_over(app, session, make_user, monkeypatch):
    client = browser(app)
    sign_in(client, make_user("owner"))
    live = session.scalar(select(LiveSession))
    assert live.expires_at - live.started_at == timedelta(hours=12)
    later = clock.now() + timedelta(hours=12, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert not signed_in(client)


def test_a_remembered_session_lasts_a_week_server_side(app, session, make_user):
    sign_in(browser(app), make_user("owner"), remember="y")
    live = session.scalar(select(LiveSession))
    assert live.expires_at - live.started_at == timedelta(days=7)
    assert live.method == "password"


def test_a_forged_session_id_signs_nobody_in(app, make_user):
    user = make_user("owner")
    client = browser(app)
    with client.session_transaction() as stored:
        stored["_user_id"] = f"{user.id}:{user.session_version}:made-up-token"
    assert not signed_in(client)
    with client.session_transaction() as stored:
        stored["_user_id"] = f"{user.id}:{user.session_version}"  # the old two-part form
    assert not signed_in(client)


def test_without_single_sign_on_nothing_changes(app, client, monkeypatch):
    """No OIDC_DISCOVERY_URL: passwords only, whatever PASSWORD_SIGN_IN says."""
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "off")
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with NHSmail" not in page and 'name="password"' in page
    assert client.get("/auth/oidc/start").status_code == 404
    assert client.get("/auth/oidc/callback?code=x&state=y").status_code == 404
