"""Passwords as break-glass once single sign-on is on, and the admin's sign-in settings page."""

from __future__ import annotations

import pytest

from tests.sign_in.conftest import provider_settings, sso_app
from tests.support.accounts import post_form, text_of
from tests.support.helpers import PASSWORD, table_counts
from tests.support.oidc_provider import CLIENT_SECRET, Provider
from tests.support.signing_in import sign_in


def test_the_sign_in_page_offers_single_sign_on_first(client):
    page = text_of(client.get("/sign-in"))
    assert page.index("Sign in with NHSmail") < page.index('name="password"')
    assert "Or sign in with a password" in page


def test_admins_only_refuses_other_people_with_a_password(app, client, session, make_user,
                                                          monkeypatch):  # fmt: skip
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "admins")
    owner, admin = make_user("owner"), make_user("admin")
    page = text_of(client.get("/sign-in"))
    assert "Admins: sign in with a password" in page
    before = table_counts(session)
    answer = post_form(client, "/sign-in", {"email": owner.email, "password": PASSWORD})
    assert answer.status_code == 200
    assert "Password sign-in is only for admins. Sign in with NHSmail" in text_of(answer)
    assert table_counts(session) == before  # not signed in, nothing recorded as signed in
    assert client.get("/dashboard").status_code == 302
    sign_in(client, admin)
    assert client.get("/admin").status_code == 200


def test_passwords_off_leaves_single_sign_on_only(
    app, client, session, make_user, monkeypatch, csrf_off
):
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "off")
    admin = make_user("admin")
    page = text_of(client.get("/sign-in"))
    assert "Sign in with NHSmail" in page and 'name="password"' not in page
    before = table_counts(session)
    answer = client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    assert "Password sign-in is turned off. Sign in with NHSmail" in text_of(answer)
    assert table_counts(session) == before
    assert "Passwords are not used here" in text_of(client.get("/forgotten-password"))


def test_the_settings_page_shows_the_provider_working_without_secrets(
    client, make_user, oidc_provider: Provider
):
    sign_in(client, make_user("admin"))
    page = text_of(client.get("/admin/sign-in"))
    assert f"Reachable. Issuer: {oidc_provider.issuer}" in page
    assert "Accepted by the provider" in page
    assert "Offered: signing out of the tracker" in page
    assert "http://127.0.0.1:5000/auth/oidc/callback" in page
    assert "Set (not shown)" in page and CLIENT_SECRET not in page


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"OIDC_CLIENT_SECRET": "not-the-secret"}, "Refused: The provider refused the client ID"),
        ({"OIDC_DISCOVERY_URL": "http://127.0.0.1:9/.well-known/openid-configuration"},
         "Not reachable: The discovery document could not be read"),
    ],
)  # fmt: skip
def test_the_settings_page_shows_what_is_wrong(
    tmp_path_factory, database_url, make_user, oidc_provider, settings, expected
):
    admin = make_user("admin")
    broken = sso_app(tmp_path_factory, database_url, **provider_settings(oidc_provider, **settings))
    with broken.app_context():
        client = broken.test_client()
        sign_in(client, admin)
        page = text_of(client.get("/admin/sign-in"))
    assert expected in page
    assert "not-the-secret" not in page
