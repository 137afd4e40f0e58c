"""Signing in with single sign-on, whole round trips through the real provider."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.helpers import table_counts
from tests.support.oidc_provider import round_trip
from tracker.models import AuditEvent, LiveSession, User


def events(session, verb: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.verb == verb)))


def test_an_invited_user_signs_in_and_their_subject_is_linked(client, session, make_user):
    user = make_user("owner", email="owner@example.nhs.uk", password=None)
    answer = round_trip(client, "owner-sub")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/dashboard").status_code == 200
    session.refresh(user)
    assert (user.sso_subject, user.sso_issuer.startswith("http://127.0.0.1:")) == ("owner-sub", True)
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
