"""An organisation's per-round choice to share that round's results with its system partners.

What is shared: the round's question levels, its component means and the readiness summary
computed from them — never actions, people, notes or evidence. The choice is recorded with who
and when (on the share row and in the audit trail), can be withdrawn, and takes effect at once:
the system view reads the share rows on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import DomainError, NotFound
from tracker.models import AssessmentRound, RoundShare, User


@dataclass(frozen=True)
class RoundSharing:
    """One of the organisation's rounds and whether (and by whom) it is shared."""

    round_id: int
    round_name: str
    held_on: object
    shared: bool
    changed_by: str | None
    changed_at: datetime | None


def _round(session: Session, actor: User, round_id: int) -> AssessmentRound:
    found = session.get(AssessmentRound, round_id)
    if found is None or found.organisation_id != actor.organisation_id:
        raise NotFound("There is no such round")
    return found


def _share_row(session: Session, round_id: int) -> RoundShare | None:
    return session.scalar(select(RoundShare).where(RoundShare.round_id == round_id))


def share_round(session: Session, actor: User, round_id: int, *, now: datetime) -> RoundShare:
    """Share a round's results with the organisation's system (again, after a withdrawal)."""
    assessment_round = _round(session, actor, round_id)
    organisation = assessment_round.organisation
    if organisation.system_id is None:
        raise DomainError(
            f"{organisation.name} is not in a system yet, so there is nobody to share with. "
            "Ask the platform admin to add it to its integrated care system."
        )
    share = _share_row(session, round_id)
    if share is not None and share.withdrawn_at is None:
        raise DomainError(f"'{assessment_round.name}' is already shared")
    if share is None:
        share = RoundShare(
            organisation_id=organisation.id, round_id=round_id, shared_by=actor, shared_at=now
        )
        session.add(share)
    else:
        share.shared_by, share.shared_at = actor, now
        share.withdrawn_by, share.withdrawn_at = None, None
    session.flush()
    audit.record(
        session,
        actor,
        "round",
        round_id,
        "shared",
        at=now,
        after={"system": organisation.system_id},
    )
    return share


def withdraw_share(session: Session, actor: User, round_id: int, *, now: datetime) -> RoundShare:
    """Stop sharing a round: partners see "not shared" for it from the next page they open."""
    assessment_round = _round(session, actor, round_id)
    share = _share_row(session, round_id)
    if share is None or share.withdrawn_at is not None:
        raise DomainError(f"'{assessment_round.name}' is not shared")
    share.withdrawn_by, share.withdrawn_at = actor, now
    session.flush()
    audit.record(session, actor, "round", round_id, "share_withdrawn", at=now)
    return share


def sharing_choices(session: Session, organisation_id: int) -> list[RoundSharing]:
    """Every round of the organisation, newest first, with its sharing state."""
    rows = session.execute(
        select(AssessmentRound, RoundShare)
        .outerjoin(RoundShare, RoundShare.round_id == AssessmentRound.id)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
    ).all()
    choices = []
    for assessment_round, share in rows:
        shared = share is not None and share.withdrawn_at is None
        changed_by = None
        changed_at = None
        if share is not None:
            who = share.shared_by if shared else share.withdrawn_by
            changed_by = who.name if who else None
            changed_at = share.shared_at if shared else share.withdrawn_at
        choices.append(
            RoundSharing(
                assessment_round.id,
                assessment_round.name,
                assessment_round.held_on,
                shared,
                changed_by,
                changed_at,
            )
        )
    return choices
