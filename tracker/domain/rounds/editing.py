"""Editing an assessment round's name, dates and status (admins only), and the rounds
the admins' pages list and open.

The next re-measurement date drives reminders and the readiness forecast, so it must come
after the date the round was held.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import DomainError, NotFound
from tracker.models import AssessmentRound, RoundStatus, User

FIELDS = ("name", "held_on", "next_round_on", "status")


def rounds_newest_first(session: Session) -> list[AssessmentRound]:
    """Every round, the most recently held first, for the admins' list of rounds."""
    return list(
        session.scalars(
            select(AssessmentRound).order_by(AssessmentRound.held_on.desc(), AssessmentRound.id)
        )
    )


def load_round(session: Session, round_id: int) -> AssessmentRound:
    """The round with this id; NotFound when there is none."""
    assessment_round = session.get(AssessmentRound, round_id)
    if assessment_round is None:
        raise NotFound("There is no round with this id")
    return assessment_round


def update_round(
    session: Session,
    actor: User,
    assessment_round: AssessmentRound,
    *,
    name: str,
    held_on: date,
    next_round_on: date | None,
    status: str,
    now: datetime,
) -> bool:
    """Apply the admin's edits after checking them; returns False when nothing changed."""
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the round", "name")
    if len(name) > 120:
        raise DomainError("The round's name must be 120 characters or fewer", "name")
    if status not in {s.value for s in RoundStatus}:
        raise DomainError("Choose whether the round is open or closed", "status")
    if next_round_on is not None and next_round_on <= held_on:
        raise DomainError(
            "The next round must be after the date this round was held", "next_round_on"
        )
    clash = session.scalar(
        select(func.count())
        .select_from(AssessmentRound)
        .where(
            AssessmentRound.organisation_id == assessment_round.organisation_id,
            AssessmentRound.name == name,
            AssessmentRound.id != assessment_round.id,
        )
    )
    if clash:
        raise DomainError(f"Another round is already called {name}", "name")
    old = {field: getattr(assessment_round, field) for field in FIELDS}
    new = {"name": name, "held_on": held_on, "next_round_on": next_round_on, "status": status}
    before, after = audit.changes(old, new)
    if not after:
        return False
    for field, value in after.items():
        setattr(assessment_round, field, value)
    audit.record(
        session, actor, "round", assessment_round.id, "updated", at=now, before=before, after=after
    )
    return True
