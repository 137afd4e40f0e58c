"""Defects found in review of the sender: a slow run's later batches must hold a fresh claim
lease (or another sender re-sends them), and the back-off must not overflow."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from tests.reminders.test_delivery import queue
from tests.support.helpers import NOW
from tracker import clock
from tracker.domain.outbox.delivery import BACKOFF_CAP, backoff, claim_batch
from tracker.mailing import sender as mailer
from tracker.models import Notification


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
