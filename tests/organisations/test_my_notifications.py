"""Each person's notifications page lists the emails addressed to them (subject, UK time,
state in words, a link to the thing) and nobody else's, in their organisation or another."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

from tests.support.signing_in import sign_in
from tracker.domain.outbox.queue import enqueue
from tracker.models import Notification

SUMMER = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)  # 13:30 in the UK (BST)


def queue(session, person, subject: str, link: str | None) -> Notification:
    # The period is the event's key (at most 40 characters); one per subject here.
    period = "event-" + hashlib.sha256(subject.encode()).hexdigest()[:12]
    enqueue(
        session, person, kind="assignment", period=period, subject=subject,
        body_text=subject, body_html=subject, now=SUMMER, link=link,
    )  # fmt: skip
    session.flush()
    return session.query(Notification).filter_by(subject=subject).one()


def test_a_person_sees_only_their_own_emails(app, session, trusts):
    first, second = trusts
    base = app.config["BASE_URL"]
    owner = first.people["owner"]
    sent = queue(
        session, owner, "Action assigned to you: Vision work", f"{base}/actions/{first.action_id}"
    )
    sent.status, sent.sent_at = "sent", SUMMER
    failed = queue(session, owner, "Evidence not accepted: Vision work", None)
    failed.status = "failed"
    queue(session, owner, "Your improvement actions: this period's summary", f"{base}/my-actions")
    queue(session, first.people["director"], "Colleague's email", None)
    queue(
        session, second.people["owner"], "Other trust's email", f"{base}/actions/{second.action_id}"
    )
    session.commit()

    client = app.test_client()
    sign_in(client, owner)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your notifications" in page
    assert 'href="/notifications"' in page  # linked from the header on every page
    assert "Action assigned to you: Vision work" in page
    assert "1 July 2026 at 13:30" in page
    assert "Sent" in page and "Waiting to be sent" in page
    assert "Could not be sent: an administrator can try again" in page
    assert "Nothing to open" in page
    assert "Colleague&#39;s email" not in page and "Colleague's email" not in page
    assert "Other trust" not in page
    link = f"{base}/actions/{first.action_id}"
    assert f'href="{link}"' in page
    assert client.get(urlsplit(link).path).status_code == 200

    other = app.test_client()
    sign_in(other, second.people["owner"])
    theirs = other.get("/notifications").get_data(as_text=True)
    assert "Other trust&#39;s email" in theirs
    assert "Vision work" not in theirs
    # and the first trust's action behind the first owner's link is not theirs to open
    assert other.get(urlsplit(link).path).status_code == 404


def test_someone_never_emailed_is_told_so(app, session, trusts):
    client = app.test_client()
    sign_in(client, trusts[0].people["viewer"])
    page = client.get("/notifications").get_data(as_text=True)
    assert "The tracker has not emailed you yet." in page
