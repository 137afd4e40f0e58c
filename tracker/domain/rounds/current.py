"""Which round is current, and the statuses that say so.

The current round is the organisation's most recently held round (by the date held, then by
the order rounds were added): the dashboard, readiness, reminders and the component pages all
choose it that way, and its `next_round_on` is the next re-measurement date. Status follows
from it and is never set by hand: the current round is open, every other round is closed.
After any import, edit or deletion, `settle_statuses` makes the statuses agree again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.models import AssessmentRound, RoundStatus, User


def rounds_in_order(session: Session, organisation_id: int) -> list[AssessmentRound]:
    """The organisation's rounds, oldest first (date held, then the order they were added)."""
    return list(
        session.scalars(
            select(AssessmentRound)
            .where(AssessmentRound.organisation_id == organisation_id)
            .order_by(AssessmentRound.held_on, AssessmentRound.id)
        )
    )


def current_round(session: Session, organisation_id: int) -> AssessmentRound | None:
    """The most recently held round: the organisation's current position (None before any)."""
    ordered = rounds_in_order(session, organisation_id)
    return ordered[-1] if ordered else None


def settle_statuses(
    session: Session, actor: User | None, organisation_id: int, *, now: datetime
) -> list[str]:
    """Open the current round and close every other one, auditing each change; returns the
    names of the rounds it closed. A round that becomes current again (its successor was deleted, or dates
    were corrected) is reopened."""
    ordered = rounds_in_order(session, organisation_id)
    closed = []
    for index, assessment_round in enumerate(ordered):
        wanted = RoundStatus.OPEN if index == len(ordered) - 1 else RoundStatus.CLOSED
        if assessment_round.status == wanted:
            continue
        audit.record(
            session, actor, "assessment_round", assessment_round.id,
            "made_current" if wanted == RoundStatus.OPEN else "closed", at=now,
            before={"status": assessment_round.status}, after={"status": wanted.value},
        )  # fmt: skip
        assessment_round.status = wanted
        if wanted == RoundStatus.CLOSED:
            closed.append(assessment_round.name)
    session.flush()
    return closed
