"""Editing an assessment round's name and dates (admins only), and the rounds the admins'
pages list and open.

The next re-measurement date drives reminders and the readiness forecast, so it must come
after the date the round was held. A name is unique in the organisation ignoring case, accents
and runs of spaces. Status is not edited: it follows from the dates (the most recently held
round is the open, current one; see tracker.domain.rounds.current).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import DomainError, NotFound
from tracker.domain.rounds.current import settle_statuses
from tracker.models import AssessmentRound, User, round_name_key

FIELDS = ("name", "held_on", "next_round_on")
SAME_NAME_HINT = "names that differ only in capital letters, accents or spaces are the same name"


def name_clash(
    session: Session, organisation_id: int, name: str, *, other_than: int | None = None
) -> AssessmentRound | None:
    """The organisation's round whose name is `name` ignoring case, accents and spaces."""
    query = select(AssessmentRound).where(
        AssessmentRound.organisation_id == organisation_id,
        AssessmentRound.name_key == round_name_key(name),
    )
    if other_than is not None:
        query = query.where(AssessmentRound.id != other_than)
    return session.scalar(query)


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
    now: datetime,
) -> bool:
    """Apply the admin's edits after checking them; returns False when nothing changed.
    A change of date may change which round is current: the statuses follow."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter a name for the round", "name")
    if len(name) > 120:
        raise DomainError("The round's name must be 120 characters or fewer", "name")
    if next_round_on is not None and next_round_on <= held_on:
        raise DomainError(
            "The next round must be after the date this round was held", "next_round_on"
        )
    clash = name_clash(
        session, assessment_round.organisation_id, name, other_than=assessment_round.id
    )
    if clash is not None:
        message = f"Another round is already called {clash.name}"
        if clash.name != name:
            message += f": {SAME_NAME_HINT}"
        raise DomainError(message, "name")
    old = {field: getattr(assessment_round, field) for field in FIELDS}
    new = {"name": name, "held_on": held_on, "next_round_on": next_round_on}
    before, after = audit.changes(old, new)
    if not after:
        return False
    for field, value in after.items():
        setattr(assessment_round, field, value)
    audit.record(
        session, actor, "round", assessment_round.id, "updated", at=now, before=before, after=after
    )
    settle_statuses(session, actor, assessment_round.organisation_id, now=now)
    return True
