"""A person's email preferences: how often the digest comes, and whether they want the emails
about one change each (an action assigned to them or taken from them, evidence not accepted,
an action they own completed or cancelled)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.reminders.sweeps import set_digest_frequency
from tracker.models import User


def save_preferences(
    session: Session,
    user: User,
    *,
    digest_frequency: str,
    email_on_assignment: bool,
    email_on_evidence_rejected: bool,
    email_action_closed: bool,
    now: datetime,
) -> bool:
    """Save the preferences page in one step: the digest frequency (refused unless monthly or
    weekly) and the three change emails. Each change is audited; returns True when anything
    changed."""
    changed = set_digest_frequency(session, user, digest_frequency, now=now)
    before = {
        "email_on_assignment": user.email_on_assignment,
        "email_on_evidence_rejected": user.email_on_evidence_rejected,
        "email_action_closed": user.email_action_closed,
    }
    user.email_on_assignment = bool(email_on_assignment)
    user.email_on_evidence_rejected = bool(email_on_evidence_rejected)
    user.email_action_closed = bool(email_action_closed)
    old, new = audit.changes(
        before,
        {
            "email_on_assignment": user.email_on_assignment,
            "email_on_evidence_rejected": user.email_on_evidence_rejected,
            "email_action_closed": user.email_action_closed,
        },
    )
    if new:
        audit.record(
            session, user, "user", user.id, "email_preferences", at=now, before=old, after=new
        )
    return changed or bool(new)
