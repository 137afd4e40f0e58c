"""Whose account a single sign-on opens: subjects, changed and reused emails, and signing out."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import RSAKey
from sqlalchemy import select

from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import table_counts
from tests.support.oidc_provider import Provider, query, round_trip
from tests.support.signing_in import sign_in
from tracker.core import openid_client
from tracker.models import AuditEvent, LiveSession


def refusal(session) -> dict:
    return session.scalar(select(AuditEvent.after).where(AuditEvent.verb == "sso_sign_in_refused"))


def test_a_changed_email_at_the_provider_still_opens_the_linked_account(
    client, session, make_user, oidc_provider: Provider
):
    user = make_user("owner", email="old-address@example.nhs.uk", password=None)
    user.sso_issuer, user.sso_subject = oidc_provider.issuer, "moved-sub"
    session.commit()
    assert round_trip(client, "moved-sub").status_code == 302
    assert client.get("/dashboard").status_code == 200
    session.refresh(user)
    assert user.email == "old-address@example.nhs.uk"


def test_a_reused_email_cannot_take_over_another_subjects_account(
    client, session, make_user, oidc_provider: Provider
):
    user = make_user("owner", email="linked@example.nhs.uk", password=None)
    user.sso_issuer, user.sso_subject = oidc_provider.issuer, "owner-sub"
    session.commit()
    before = table_counts(session)
    answer = round_trip(client, "imposter-sub")  # the provider says linked@example.nhs.uk
    assert answer.status_code == 400
    assert "This email address belongs to another account" in answer.get_data(as_text=True)
    session.refresh(user)
    assert user.sso_subject == "owner-sub"
    assert table_counts(session)["live_session"] == before["live_session"]
    assert refusal(session)["reason"] == "email_linked_elsewhere"


def test_an_unverified_email_is_refused(client, session, make_user):
    user = make_user("owner", email="unverified@example.nhs.uk", password=None)
    answer = round_trip(client, "unverified-sub")
    assert answer.status_code == 400
    assert "has not confirmed your email address" in answer.get_data(as_text=True)
    session.refresh(user)
    assert user.sso_subject is None
    assert client.get("/dashboard").status_code == 302


def test_a_deactivated_user_is_refused(client, session, make_user):
    make_user("owner", email="owner@example.nhs.uk", password=None, is_active=False)
    answer = round_trip(client, "owner-sub")
    assert answer.status_code == 403
    assert "Your account is not active" in answer.get_data(as_text=True)


def test_a_rotated_signing_key_is_fetched_again(app, client, session, make_user):
    """The app holds the provider's keys from an earlier sign-in; the provider now signs with a
    key the app has not seen (as after a rotation): the app fetches the JWKS again."""
    make_user("owner", email="owner@example.nhs.uk", password=None)
    sso = app.extensions[openid_client.EXTENSION]
    sso.load_server_metadata()
    stale = RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    sso.server_metadata["jwks"] = {"keys": [stale.as_dict(private=False, kid="retired")]}
    assert round_trip(client, "owner-sub").status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert "retired" not in str(sso.server_metadata["jwks"])


def test_signing_out_after_sso_ends_the_session_and_signs_out_at_the_provider(
    app, client, session, make_user, oidc_provider: Provider
):
    make_user("owner", email="owner@example.nhs.uk", password=None)
    assert round_trip(client, "owner-sub").status_code == 302
    kept = client.get_cookie("session")
    page = client.get("/dashboard").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/sign-out", data={"csrf_token": token})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(oidc_provider.issuer + "/session/end")
    assert query(location)["post_logout_redirect_uri"] == "http://127.0.0.1:5000/sign-in"
    assert query(location)["client_id"] == "tracker"
    assert session.scalar(select(LiveSession.ended_at)) is not None
    thief = app.test_client()
    thief.set_cookie("session", kept.value)
    assert thief.get("/dashboard").status_code == 302  # the copied cookie no longer works


def test_an_admin_unlinks_an_identity_and_the_next_sign_in_links_afresh(
    app, client, session, make_user, oidc_provider: Provider
):
    person = make_user("owner", email="linked@example.nhs.uk", password=None)
    person.sso_issuer, person.sso_subject = oidc_provider.issuer, "owner-sub"
    session.commit()
    admin_browser = browser(app)
    sign_in(admin_browser, make_user("admin"))
    page = text_of(admin_browser.get(f"/admin/users/{person.id}"))
    assert "Unlink single sign-on" in page
    answer = post_form(
        admin_browser,
        f"/admin/users/{person.id}/single-sign-on/unlink",
        {},
        form_url=f"/admin/users/{person.id}",
    )
    assert answer.status_code == 302
    session.refresh(person)
    assert person.sso_subject is None and person.session_version == 2
    assert session.scalar(select(AuditEvent.before).where(AuditEvent.verb == "sso_unlinked")) == {
        "issuer": oidc_provider.issuer,
        "subject": "owner-sub",
    }
    assert round_trip(client, "imposter-sub").status_code == 302  # linked@… now links afresh
    session.refresh(person)
    assert person.sso_subject == "imposter-sub"
