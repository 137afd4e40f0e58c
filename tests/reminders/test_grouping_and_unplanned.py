"""The digest lists each action once with all its reasons; directors hear of open actions in
their components that nobody owns or that have no milestones; the digest and escalation links
open the pages they name."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.support.factories import make_action, make_milestone, make_note_evidence
from tests.support.helpers import NOW
from tests.support.reminders import AS_OF
from tracker.domain.reminders.sweeps import queue_digests, queue_escalations
from tracker.mailing.rendering import EMAIL_TEMPLATES, EmailRenderer
from tracker.models import AssessmentRound, Notification, ReviewStatus

BASE = "https://tracker.example.nhs.uk"


def sweep(session, which) -> None:
    which(session, today=AS_OF, now=NOW, base_url=BASE, render=EmailRenderer(EMAIL_TEMPLATES))
    session.commit()


def baseline(session) -> AssessmentRound:
    return session.scalars(select(AssessmentRound)).one()


def email_to(session, user, kind: str) -> Notification:
    return session.scalars(
        select(Notification).where(Notification.recipient_id == user.id, Notification.kind == kind)
    ).one()


def test_an_action_with_four_reasons_is_one_entry_listing_them_all(session, org):
    """Two overdue milestones, no update for months and rejected evidence: one entry."""
    action = make_action(
        session, baseline(session), 4, owner=org.late_owner,
        title="Run the huddles", created_at=NOW.replace(month=6),
    )  # fmt: skip
    make_milestone(session, action, date(2026, 10, 1), title="Pilot on one ward")
    make_milestone(session, action, date(2026, 11, 1), title="Every ward")
    make_note_evidence(
        session, action, org.late_owner, title="Huddle notes", review_status=ReviewStatus.REJECTED,
        reviewed_at=NOW, review_note="Needs dates",
    )  # fmt: skip
    session.commit()
    sweep(session, queue_digests)
    digest = email_to(session, org.late_owner, "digest")
    text = digest.body_text.replace("\r\n", "\n")
    assert text.count("Run the huddles") == 1
    assert digest.body_html.count("Run the huddles</a>") == 1
    entry = text.split("Run the huddles\n", 1)[1].split(f"{BASE}/actions/{action.id}", 1)[0]
    assert "- Pilot on one ward: planned for 1 October 2026, 61 days ago" in entry
    assert "- Every ward: planned for 1 November 2026, 30 days ago" in entry
    idle = (AS_OF - date(2026, 6, 27)).days
    assert f"- No progress update for {idle} days" in entry
    assert "- Evidence not accepted yet: Huddle notes." in entry
    assert digest.subject == "Your improvement actions: 3 milestones past due"
    # the action with most overdue milestones comes first
    assert text.index("Run the huddles") < text.index("Publish the vision")
    assert digest.link == f"{BASE}/my-actions"


def test_unowned_and_unplanned_actions_reach_the_directors_of_their_component(
    session, org, make_user
):
    round_ = baseline(session)
    nobody = make_action(session, round_, 2, title="Nobody owns this")
    make_milestone(session, nobody, date(2027, 3, 1))
    make_action(session, round_, 4, owner=org.busy_owner, title="No plan yet")
    make_action(session, round_, 6, title="Neither owner nor plan")
    planned = make_action(session, round_, 7, owner=org.busy_owner, title="Planned and owned")
    make_milestone(session, planned, date(2027, 3, 1))
    make_action(session, round_, 10, title="Outside every led domain")
    session.commit()
    sweep(session, queue_escalations)

    director = email_to(session, org.director, "escalation").body_text.replace("\r\n", "\n")
    assert "Actions waiting for an owner or a plan" in director
    assert "- Nobody owns this (" in director
    assert f"Why it is listed: no owner\n  {BASE}/actions/{nobody.id}" in director
    assert "- No plan yet (" in director and "owned by Busy Owner" in director
    assert "Neither owner nor plan" not in director  # it is in component 2
    # the calm director had nothing to raise before; an unplanned action now reaches them
    calm = email_to(session, org.calm_director, "escalation")
    assert "Neither owner nor plan" in calm.body_text
    assert "Why it is listed: no owner and no milestones" in calm.body_text
    assert "Planned and owned" not in calm.body_text
    assert calm.subject == "1 action in your domains may need support"
    assert calm.link == f"{BASE}/dashboard"
    for body in (director, calm.body_text):
        assert "Outside every led domain" not in body


def test_escalation_and_digest_are_queued_once_per_month(session, org) -> None:
    make_action(session, baseline(session), 2, title="Nobody owns this")
    session.commit()
    sweep(session, queue_escalations)
    sweep(session, queue_escalations)
    sweep(session, queue_digests)
    sweep(session, queue_digests)
    rows = session.scalars(select(Notification).where(Notification.recipient_id == org.director.id))
    assert [(n.kind, n.period) for n in rows] == [("escalation", "2026-12")]
