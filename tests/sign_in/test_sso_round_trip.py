"""Signing in with single sign-on, whole round trips through the real provider."""

from __future__ import annotations

import socket

import pytest
from joserfc.errors import InvalidClaimError
from sqlalchemy import select

from tests.sign_in.conftest import provider_settings, sso_app
from tests.support.helpers import table_counts
from tests.support.oidc_provider import (
    OTHER_CLIENT_ID,
    Provider,
    app_path,
    at_provider,
    query,
    round_trip,
    start,
    token_for_other_client,
    with_params,
)
from tracker import clock
from tracker.core import openid_client
from tracker.domain.accounts.invitations import INVITATION, issue_token
from tracker.models import AuditEvent, LiveSession


def events(session, verb: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.verb == verb)))


def test_an_invited_user_signs_in_and_their_subject_is_linked(client, session, make_user):
    user = make_user("owner", email="owner@example.nhs.uk", password=None)
    answer = round_trip(client, "owner-sub")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/dashboard").status_code == 200
    session.refresh(user)
    assert (user.sso_subject, user.sso_issuer.startswith("http://127.0.0.1:")) == (
        "owner-sub",
        True,
    )
    assert session.scalar(select(LiveSession.method)) == "sso"
    assert [e.after["method"] for e in events(session, "signed_in")] == ["sso"]


def test_someone_not_invited_is_refused_and_only_an_audit_event_is_written(
    client, session, make_user
):
    make_user("admin")
    before = table_counts(session)
    answer = round_trip(client, "stranger-sub")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 403
    assert "You do not have an account yet" in page
    assert "Ask your improvement lead for an invitation" in page
    after = table_counts(session)
    assert after.pop("audit_event") == before.pop("audit_event") + 1 and after == before
    (event,) = events(session, "sso_sign_in_refused")
    assert event.after["reason"] == "unknown_person"
    assert event.after["email"] == "stranger@nhs.net"
    assert client.get("/dashboard").status_code == 302  # not signed in


def test_an_invitation_is_accepted_by_signing_in_and_the_link_is_spent(
    app, client, session, make_user
):
    invitee = make_user("owner", email="invitee@example.nhs.uk", password=None)
    token = issue_token(
        invitee, purpose=INVITATION, secret_key=app.config["SECRET_KEY"], now=clock.now()
    )
    page = client.get(f"/invitation/{token}").get_data(as_text=True)
    assert "Accept with NHSmail" in page
    answer = round_trip(client, "invitee-sub", path=f"/auth/oidc/start?invitation={token}")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200
    session.refresh(invitee)
    assert invitee.sso_subject == "invitee-sub" and invitee.password_hash is None
    assert [e.after for e in events(session, "invitation_accepted")] == [{"method": "sso"}]
    assert app.test_client().get(f"/invitation/{token}").status_code == 400  # spent


def test_an_invitation_cannot_be_accepted_as_someone_else(app, client, session, make_user):
    invitee = make_user("owner", email="invitee@example.nhs.uk", password=None)
    owner = make_user("owner", email="owner@example.nhs.uk", password=None)
    token = issue_token(
        invitee, purpose=INVITATION, secret_key=app.config["SECRET_KEY"], now=clock.now()
    )
    answer = round_trip(client, "owner-sub", path=f"/auth/oidc/start?invitation={token}")
    assert answer.status_code == 400
    assert "This invitation is for someone else" in answer.get_data(as_text=True)
    session.refresh(invitee), session.refresh(owner)
    assert invitee.sso_subject is None and owner.sso_subject is None
    assert client.get("/dashboard").status_code == 302


def test_a_tampered_state_is_refused(client, session, make_user):
    make_user("owner", email="owner@example.nhs.uk", password=None)
    before = table_counts(session)
    answer = round_trip(client, "owner-sub", tamper=lambda url: with_params(url, state="forged"))
    assert answer.status_code == 400
    assert "Your sign-in could not be checked" in answer.get_data(as_text=True)
    assert table_counts(session)["live_session"] == before["live_session"] == 0
    assert events(session, "sso_sign_in_refused")[0].after["reason"] == "state_mismatch"
    assert client.get("/dashboard").status_code == 302


def test_a_callback_used_twice_is_refused(app, client, make_user):
    make_user("owner", email="owner@example.nhs.uk", password=None)
    callback = app_path(at_provider(start(client), "owner-sub"))
    assert client.get(callback).status_code == 302
    other = app.test_client()
    assert other.get(callback).status_code == 400  # another browser: no state of its own
    assert other.get("/dashboard").status_code == 302


def test_a_replayed_nonce_is_refused(app, client, session, make_user):
    make_user("owner", email="owner@example.nhs.uk", password=None)
    first = start(client)
    assert client.get(app_path(at_provider(first, "owner-sub"))).status_code == 302
    later = app.test_client()
    replayed = lambda url: with_params(url, nonce=query(first)["nonce"])  # noqa: E731
    answer = round_trip(later, "owner-sub", tamper=replayed)
    assert answer.status_code == 400
    (event,) = events(session, "sso_sign_in_refused")
    assert event.after["reason"] == "bad_token"
    assert event.after["detail"] == "ID token refused: InvalidClaimError"  # the nonce
    assert later.get("/dashboard").status_code == 302


def test_a_code_issued_to_another_client_is_refused(client, session, make_user):
    make_user("owner", email="owner@example.nhs.uk", password=None)
    other = lambda url: with_params(url, client_id=OTHER_CLIENT_ID)  # noqa: E731
    answer = round_trip(client, "owner-sub", tamper=other)
    assert answer.status_code == 400
    assert "could not confirm the answer from NHSmail" in answer.get_data(as_text=True)
    (event,) = events(session, "sso_sign_in_refused")
    assert event.after["detail"] == "provider error invalid_grant"
    assert client.get("/dashboard").status_code == 302


def test_an_id_token_for_another_client_fails_validation(app, oidc_provider):
    """A real ID token the provider issued to another application, handed to the app's own
    validation with the right nonce: refused on its audience."""
    token, nonce = token_for_other_client(oidc_provider)
    client = app.extensions[openid_client.EXTENSION]
    with pytest.raises(InvalidClaimError, match="aud"):
        client.parse_id_token(token, nonce=nonce, claims_options=openid_client.claims_options())


def test_cancelling_at_the_provider_is_refused_with_its_page(client, session, make_user):
    make_user("owner", email="owner@example.nhs.uk", password=None)
    answer = round_trip(client, "owner-sub", approve=False)
    assert answer.status_code == 400
    assert "You did not allow the tracker to sign you in" in answer.get_data(as_text=True)
    assert events(session, "sso_sign_in_refused")[0].after["reason"] == "denied"


def test_a_provider_that_is_down_is_refused_with_its_page(
    tmp_path_factory, database_url, client, session, make_user
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    down = sso_app(tmp_path_factory, database_url, **provider_settings(
        Provider(f"http://127.0.0.1:{port}"), OIDC_TIMEOUT_SECONDS=2,
    ))  # fmt: skip
    with down.app_context():
        answer = down.test_client().get("/auth/oidc/start")
        assert answer.status_code == 502
        assert "NHSmail is not responding" in answer.get_data(as_text=True)
        assert "did not answer. Try again in a few minutes" in answer.get_data(as_text=True)
    assert events(session, "sso_sign_in_refused")[0].after["reason"] == "provider_down"
