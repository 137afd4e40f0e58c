"""The sender: claims (a slow run's later batches hold a fresh lease), sends once, backs off
(capped however many attempts), gives up after N attempts, re-claims stale claims."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.support.helpers import NOW
from tracker import clock
from tracker.domain.errors import NotFound
from tracker.domain.outbox.delivery import (
    BACKOFF_CAP,
    backoff,
    claim_batch,
    retry_failed,
    retry_one_failed,
)
from tracker.domain.outbox.queue import enqueue
from tracker.mailing import sender as mailer
from tracker.mailing.sender import deliver_outbox
from tracker.models import AuditEvent, Notification


class FakeTransport:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        if self.fail:
            raise ConnectionRefusedError("SMTP server is down")
        self.sent.append(message)


def queue(session, user, kind="digest", period="2026-12"):
    enqueue(
        session,
        user,
        kind=kind,
        period=period,
        subject="Your actions",
        body_text="Plain text",
        body_html="<p>HTML</p>",
        now=NOW,
    )
    session.commit()


def test_sends_each_row_once_with_its_fixed_message_id(session, make_user):
    owner = make_user("owner")
    queue(session, owner)
    transport = FakeTransport()
    first = deliver_outbox(now=NOW, transport=transport)
    second = deliver_outbox(now=NOW + timedelta(hours=1), transport=transport)
    row = session.scalars(select(Notification)).one()
    assert (first.sent, second.sent) == (1, 0)
    assert len(transport.sent) == 1
    assert transport.sent[0]["Message-ID"] == row.message_id
    assert transport.sent[0]["To"] == owner.email
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, NOW)


def test_failure_backs_off_then_marks_failed_after_max_attempts(app, session, make_user):
    owner = make_user("owner")
    queue(session, owner)
    down = FakeTransport(fail=True)
    now = NOW
    outcomes = []
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
        report = deliver_outbox(now=now, transport=down)
        outcomes.append((report.retrying, report.failed))
        row = session.scalars(select(Notification)).one()
        assert row.next_attempt_at > now or row.status == "failed"
        # a run before the back-off has passed does not try again
        assert deliver_outbox(now=now, transport=down).claimed == 0
        now = row.next_attempt_at
    assert outcomes[-1] == (0, 1)
    assert all(outcome == (1, 0) for outcome in outcomes[:-1])
    row = session.scalars(select(Notification)).one()
    assert row.status == "failed"
    assert "SMTP server is down" in row.last_error
    assert deliver_outbox(now=now + timedelta(days=1), transport=FakeTransport()).sent == 0


def test_backoff_grows_exponentially_with_bounded_jitter():
    assert backoff(1, lambda: 0.0) == timedelta(minutes=1)
    assert backoff(3, lambda: 0.0) == timedelta(minutes=4)
    assert backoff(3, lambda: 1.0) == timedelta(minutes=6)
    assert backoff(30, lambda: 0.0) == timedelta(hours=6)


def test_stale_claim_is_claimed_again_but_a_fresh_one_is_not(session, make_user):
    owner = make_user("owner")
    queue(session, owner)
    assert claim_batch(session, now=NOW, holder="dead:1:x", limit=10)
    session.commit()
    assert claim_batch(session, now=NOW + timedelta(minutes=5), holder="b", limit=10) == []
    session.commit()
    transport = FakeTransport()
    report = deliver_outbox(now=NOW + timedelta(minutes=16), transport=transport)
    assert report.sent == 1 and len(transport.sent) == 1


def test_retry_failed_requeues_and_audits(session, make_user):
    admin = make_user("admin")
    owner = make_user("owner")
    queue(session, owner)
    row = session.scalars(select(Notification)).one()
    row.status, row.attempts = "failed", 5
    session.commit()
    assert retry_failed(session, admin, now=NOW) == 1
    session.commit()
    assert (row.status, row.attempts) == ("pending", 0)
    assert session.scalars(
        select(AuditEvent.verb).where(AuditEvent.entity == "notification")
    ).all() == ["retry"]
    transport = FakeTransport()
    assert deliver_outbox(now=NOW, transport=transport).sent == 1


def test_without_mail_server_writes_eml_files(app, session, make_user):
    owner = make_user("owner")
    queue(session, owner)
    report = deliver_outbox(now=NOW)
    files = list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
    assert report.sent == 1
    assert len(files) == 1
    content = files[0].read_text()
    assert owner.email in content and "Your actions" in content
    for f in files:
        f.unlink()


def test_sending_can_be_limited_to_some_kinds(session, make_user):
    owner = make_user("owner")
    queue(session, owner, kind="digest")
    queue(session, owner, kind="invitation", period="once")
    transport = FakeTransport()
    report = deliver_outbox(now=NOW, transport=transport, kinds={"invitation"})
    assert report.sent == 1
    assert [m["X-Tracker-Kind"] for m in transport.sent] == ["invitation"]
    statuses = dict(session.execute(select(Notification.kind, Notification.status)).all())
    assert statuses == {"digest": "pending", "invitation": "sent"}


def test_retry_one_failed_refuses_an_unknown_or_unfailed_row(session, make_user):
    admin = make_user("admin")
    owner = make_user("owner")
    queue(session, owner)
    row = session.scalars(select(Notification)).one()
    session.commit()
    with pytest.raises(NotFound):
        retry_one_failed(session, admin, row.id, now=NOW)  # pending, not failed
    with pytest.raises(NotFound):
        retry_one_failed(session, admin, row.id + 1000, now=NOW)
    row.status, row.attempts = "failed", 5
    session.commit()
    assert retry_one_failed(session, admin, row.id, now=NOW) == 1
    session.commit()
    assert (row.status, row.attempts) == ("pending", 0)


class SlowTransport:
    """Each message takes 10 minutes (less than the 15-minute claim lease); while the first
    message of the second batch is being sent, a rival sender looks for abandoned claims."""

    def __init__(self, session, clock_now: list[datetime]) -> None:
        self.session, self.clock_now = session, clock_now
        self.sent: list[str] = []
        self.rival_claims: list[int] = []

    def send(self, message: EmailMessage) -> None:
        self.clock_now[0] += timedelta(minutes=10)
        if len(self.sent) == 2:
            self.rival_claims += claim_batch(
                self.session, now=self.clock_now[0], holder="rival", limit=10
            )
        self.sent.append(str(message["Message-ID"]))


def test_a_batch_claimed_late_in_a_slow_run_is_not_claimable_by_another_sender(
    session, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        queue(session, make_user("owner"))
    fake_now = [NOW]
    monkeypatch.setattr(clock, "now", lambda: fake_now[0])
    monkeypatch.setattr(mailer, "BATCH_SIZE", 2)
    transport = SlowTransport(session, fake_now)
    report = mailer.deliver_outbox(None, transport=transport)
    assert transport.rival_claims == []
    assert report.sent == 4
    rows = session.scalars(select(Notification)).all()
    assert {(row.status, row.claimed_by) for row in rows} == {("sent", None)}


def test_backoff_stays_capped_however_many_attempts() -> None:
    assert backoff(100, lambda: 0.0) == BACKOFF_CAP
    assert backoff(10_000, lambda: 1.0) == BACKOFF_CAP * 1.5


def test_after_a_crashed_sender_the_next_run_says_what_waits_and_until_when(
    app, session, make_user
):
    """A sender killed after claiming leaves its rows 'sending' until the lease runs out: the
    next run cannot send them yet, and says how many wait and when they go."""
    for n in range(3):
        queue(session, make_user("owner"), period=f"2026-{n + 1:02d}")
    claimed_at = clock.now()
    assert len(claim_batch(session, now=claimed_at, holder="killed:1:x", limit=10)) == 3
    session.commit()
    report = deliver_outbox(transport=FakeTransport())
    assert (report.sent, report.waiting_for_lease) == (0, 3)
    assert report.lease_ends_at is not None
    assert report.lease_ends_at > claimed_at + timedelta(minutes=14)
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "3 emails claimed by another sending run that has not finished" in result.output
    assert "sent by the first run after" in result.output
