"""Choices for form fields that several features' forms offer."""

from __future__ import annotations

from flask_login import current_user

from tracker.database import db_session
from tracker.domain.actions import updates as actions


def owner_choices() -> list[tuple[int, str]]:
    """People who can own actions, after a blank first choice (nobody is chosen by default)."""
    people = actions.eligible_owners(db_session(), current_user.organisation_id)
    return [(0, "Choose a person")] + [(p.id, f"{p.name} ({p.email})") for p in people]
