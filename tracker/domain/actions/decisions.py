"""A director's decisions queue: what waits for them in the components they lead.

Actions in review (with why they are there) to sign off with an outcome, and evidence awaiting
review to accept or reject, several at once (a rejection needs a note). Admins see every
component. Two queries for the page, whatever the size of the queue.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.errors import DomainError, PermissionDenied
from tracker.domain.evidence.submissions import review
from tracker.domain.permissions import Actor
from tracker.models import (
    Action,
    ActionStatus,
    Evidence,
    Question,
    ReviewReason,
    ReviewStatus,
    User,
)

T = TypeVar("T", bound=Any)

WHY = {
    ReviewReason.OWNER_PROPOSED: "The owner says it is done",
    ReviewReason.SCORE_ROSE: "A re-measurement shows its question reached the target",
}
NO_REASON = "Waiting for a decision"


def decision_scope(actor: Actor) -> frozenset[int] | None:
    """The components whose decisions the actor takes: every one for an admin (None), those
    a director leads; anyone else takes none (PermissionDenied)."""
    if actor.is_admin:
        return None
    if actor.role != "director":
        raise PermissionDenied("Only directors and admins take decisions.")
    return actor.led_component_ids


def why_in_review(action: Action) -> str:
    """Why the action is in review, in words (with the owner's note when they gave one)."""
    words = (
        WHY.get(ReviewReason(action.review_reason), NO_REASON)
        if action.review_reason
        else NO_REASON
    )
    if action.review_reason == ReviewReason.OWNER_PROPOSED and action.status_note:
        return f"{words}: “{action.status_note}”"
    return words


@dataclass(frozen=True)
class Queue:
    """The two lists of the page; `empty` when nothing waits."""

    actions: Sequence[Action]
    evidence: Sequence[Evidence]

    @property
    def empty(self) -> bool:
        return not self.actions and not self.evidence

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.evidence)


def _in_components(query: Select[T], component_ids: Collection[int] | None) -> Select[T]:
    if component_ids is None:
        return query
    return query.where(Question.component_id.in_(list(component_ids)))


def load_queue(session: Session, component_ids: Collection[int] | None) -> Queue:
    """What waits in these components (None: every component, for admins)."""
    actions = session.scalars(
        _in_components(
            select(Action)
            .join(Question, Action.question_id == Question.id)
            .options(
                joinedload(Action.question).joinedload(Question.component),
                joinedload(Action.owner),
            )
            .where(Action.status == ActionStatus.REVIEW, Action.deleted_at.is_(None)),
            component_ids,
        ).order_by(Question.component_id, Question.number, Action.id)
    ).all()
    evidence = session.scalars(
        _in_components(
            select(Evidence)
            .join(Action, Evidence.action_id == Action.id)
            .join(Question, Action.question_id == Question.id)
            .options(
                joinedload(Evidence.action).joinedload(Action.question),
                joinedload(Evidence.uploaded_by),
            )
            .where(
                Evidence.review_status == ReviewStatus.PENDING,
                Evidence.deleted_at.is_(None),
                Action.deleted_at.is_(None),
            ),
            component_ids,
        ).order_by(Evidence.uploaded_at, Evidence.id)
    ).all()
    return Queue(actions, evidence)


def review_many(
    session: Session,
    actor: User,
    component_ids: Collection[int] | None,
    evidence_ids: Sequence[int],
    *,
    decision: str,
    note: str,
    now: datetime,
) -> int:
    """Accept or reject several pieces of evidence at once, with one note (required to
    reject), each through the one review function. Evidence outside these components, already
    reviewed or withdrawn is refused, and then none is reviewed. Returns how many."""
    ids = sorted(set(evidence_ids))
    if not ids:
        raise DomainError("Select at least one piece of evidence", "evidence_ids")
    waiting = {e.id: e for e in load_queue(session, component_ids).evidence}
    if any(evidence_id not in waiting for evidence_id in ids):
        raise DomainError("Select evidence that is waiting for your review", "evidence_ids")
    for evidence_id in ids:
        review(session, actor, waiting[evidence_id], decision=decision, note=note, now=now)
    return len(ids)
