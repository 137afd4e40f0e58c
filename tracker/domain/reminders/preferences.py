"""A person's email preferences in one step: how often the digest comes, and whether they are
emailed when an action they own is completed or cancelled. Each change is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tracker.domain.audit import record
from tracker.domain.reminders.sweeps import set_digest_frequency
from tracker.models import User


def save_email_preferences(
    session: Session, user: User, *, digest_frequency: str, action_closed: bool, now: datetime
) -> bool:
    """Save both choices (a bad frequency is refused before anything changes); returns True
    when anything changed."""
    changed = set_digest_frequency(session, user, digest_frequency, now=now)
    if user.email_action_closed != action_closed:
        before = user.email_action_closed
        user.email_action_closed = action_closed
        record(session, user, "user", user.id, "action_closed_emails", at=now,
               before={"email_action_closed": before},
               after={"email_action_closed": action_closed})  # fmt: skip
        changed = True
    return changed
