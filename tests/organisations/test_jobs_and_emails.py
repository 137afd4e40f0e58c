"""Scheduled jobs run once per organisation, so every email carries only its own organisation's
actions, people and files: directors leading the same component in two organisations get their
own escalations; the integrity report goes to the affected organisation's admins only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.support.helpers import NOW
from tracker.models import Evidence, Notification, User
from tracker.scheduling.jobs import run_job


def emails(session, kind: str) -> dict[str, str]:
    rows = session.execute(
        select(User.email, Notification.body_text)
        .join(User, User.id == Notification.recipient_id)
        .where(Notification.kind == kind)
    ).all()
    return dict(rows)


def test_escalations_name_only_the_directors_own_organisations_actions(app, session, trusts):
    first, second = trusts
    outcome = run_job("reminders", as_of=date(2027, 1, 4), deliver=False)
    assert outcome.ran
    sent = emails(session, "escalation")
    assert set(sent) == {first.people["director"].email, second.people["director"].email}
    mine, theirs = sent[first.people["director"].email], sent[second.people["director"].email]
    assert "Vision work at RX1" in mine and "Vision work at RHA" not in mine
    assert "Vision work at RHA" in theirs and "Vision work at RX1" not in theirs
    assert second.people["owner"].name not in mine


def test_the_integrity_report_goes_only_to_the_affected_organisations_admins(app, session, trusts):
    first = trusts[0]
    session.add(
        Evidence(
            action_id=first.action_id,
            kind="file",
            title="Board minutes",
            original_filename="rx1-board-minutes.pdf",
            stored_name="0" * 32,
            content_type="application/pdf",
            size_bytes=10,
            sha256="0" * 64,
            uploaded_by_id=first.people["owner"].id,
            uploaded_at=NOW,
        )
    )
    session.commit()
    assert run_job("integrity", as_of=date(2027, 1, 4), deliver=False).ran
    sent = emails(session, "integrity")
    assert list(sent) == [first.people["admin"].email]
    assert "rx1-board-minutes.pdf" in sent[first.people["admin"].email]
