"""Deleting a round imported by mistake (admins only, after a confirmation page).

Deleting removes the round, its scores, its readiness snapshots, a withdrawn share record, and
the actions it spawned that have no progress. An action has **no progress** when all of these
hold:

- it was spawned by the round (an action a person added is work: it is never removed);
- it is still not started (or in review only because a re-import showed its question reached
  the target) and no outcome was recorded;
- nobody recorded a progress update on it;
- none of its milestones is ticked or was re-planned (a re-plan carries a written reason);
- no evidence was added to it (in any review state, withdrawn included).

An owner assigned, edits to its wording and milestones planned but not started are not
progress: they go with the action. Anything else refuses the deletion with the reasons, and
nothing is written. A round whose actions carry on into a later round, or whose results are
shared with system partners, is refused too. Once deleted, the previous round becomes
current again (its status and the next-round date it holds) and actions that had been carried
forward into the deleted round say they serve the current round again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import DomainError
from tracker.domain.rounds.carrying import serve_again
from tracker.domain.rounds.current import rounds_in_order, settle_statuses
from tracker.models import (
    Action,
    ActionOrigin,
    ActionStatus,
    AssessmentRound,
    Evidence,
    Milestone,
    MilestoneReplan,
    ProgressUpdate,
    ReadinessSnapshot,
    RoundShare,
    Score,
    User,
)

UNTOUCHED = (ActionStatus.NOT_STARTED, ActionStatus.REVIEW)


@dataclass
class DeletionPlan:
    """What deleting the round would remove, or the reasons it may not be deleted."""

    round_name: str
    scores: int = 0
    actions: int = 0
    snapshots: int = 0
    is_current: bool = False
    # The round that becomes current when this (current) one goes; None when none is left.
    next_current: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.reasons


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def _worked_on(session: Session, action_ids: list[int]) -> set[int]:
    """Of these actions, those with progress (see the module's definition)."""
    if not action_ids:
        return set()
    ticked_or_replanned = (
        select(Milestone.action_id)
        .outerjoin(MilestoneReplan, MilestoneReplan.milestone_id == Milestone.id)
        .where(
            Milestone.action_id.in_(action_ids),
            Milestone.done_at.is_not(None) | MilestoneReplan.id.is_not(None),
        )
    )
    updated = select(ProgressUpdate.action_id).where(ProgressUpdate.action_id.in_(action_ids))
    evidenced = select(Evidence.action_id).where(Evidence.action_id.in_(action_ids))
    return set(session.scalars(ticked_or_replanned.union(updated, evidenced)))


def plan_deletion(session: Session, assessment_round: AssessmentRound) -> DeletionPlan:
    """What deleting `assessment_round` would remove, or why it may not be deleted."""
    plan = DeletionPlan(assessment_round.name)
    plan.scores = _count(
        session,
        select(func.count()).select_from(Score).where(Score.round_id == assessment_round.id),
    )
    plan.snapshots = _count(
        session,
        select(func.count())
        .select_from(ReadinessSnapshot)
        .where(ReadinessSnapshot.round_id == assessment_round.id),
    )
    actions = session.scalars(
        select(Action).where(Action.round_id == assessment_round.id).order_by(Action.id)
    ).all()
    plan.actions = len(actions)
    by_hand = [a for a in actions if a.origin != ActionOrigin.SPAWNED and a.deleted_at is None]
    decided = [
        a
        for a in actions
        if a.origin == ActionOrigin.SPAWNED
        and (a.status not in UNTOUCHED or a.outcome is not None)
        and a.deleted_at is None
    ]
    worked = _worked_on(session, [a.id for a in actions])
    if by_hand:
        plan.reasons.append(
            f"{_plural(len(by_hand), 'action was', 'actions were')} added by hand to this round"
        )
    if decided:
        plan.reasons.append(
            f"{_plural(len(decided), 'action has', 'actions have')} been started or decided"
        )
    if worked:
        plan.reasons.append(
            f"{_plural(len(worked), 'action has', 'actions have')} progress updates, ticked or "
            "re-planned milestones, or evidence"
        )
    ordered = rounds_in_order(session, assessment_round.organisation_id)
    later = ordered[-1] if ordered else None
    plan.is_current = later is not None and later.id == assessment_round.id
    if plan.is_current and len(ordered) > 1:
        plan.next_current = ordered[-2].name
    if actions and later is not None and later.id != assessment_round.id:
        plan.reasons.append(
            f"its actions carry on into the later round {later.name}: delete that round first"
        )
    share = session.scalar(select(RoundShare).where(RoundShare.round_id == assessment_round.id))
    if share is not None and share.withdrawn_at is None:
        plan.reasons.append(
            "its results are shared with system partners: withdraw the sharing first"
        )
    return plan


def refusal(plan: DeletionPlan) -> str:
    """The message that says why the round may not be deleted."""
    return (
        f"{plan.round_name} cannot be deleted because "
        + "; ".join(plan.reasons)
        + ". Nothing was deleted."
    )


def delete_round(
    session: Session, actor: User | None, assessment_round: AssessmentRound, *, now: datetime
) -> DeletionPlan:
    """Delete the round and what hangs off it without progress, or refuse (DomainError, with
    every reason) and write nothing. Audited; the previous round becomes current again."""
    plan = plan_deletion(session, assessment_round)
    if not plan.allowed:
        raise DomainError(refusal(plan))
    organisation_id = assessment_round.organisation_id
    actions = session.scalars(select(Action).where(Action.round_id == assessment_round.id)).all()
    for action in actions:
        audit.record(
            session, actor, "action", action.id, "removed_with_round", at=now,
            before={"title": action.title, "round": assessment_round.name},
        )  # fmt: skip
    action_ids = [a.id for a in actions]
    remaining = [
        r
        for r in session.scalars(
            select(AssessmentRound)
            .where(
                AssessmentRound.organisation_id == organisation_id,
                AssessmentRound.id != assessment_round.id,
            )
            .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
            .limit(1)
        )
    ]
    serve_again(session, actor, assessment_round, remaining[0] if remaining else None, now=now)
    audit.record(
        session, actor, "assessment_round", assessment_round.id, "deleted", at=now,
        before={
            "name": assessment_round.name, "held_on": assessment_round.held_on,
            "next_round_on": assessment_round.next_round_on, "scores": plan.scores,
            "actions": plan.actions, "snapshots": plan.snapshots,
        },
    )  # fmt: skip
    session.flush()
    if action_ids:
        session.execute(delete(Milestone).where(Milestone.action_id.in_(action_ids)))
        session.execute(delete(Action).where(Action.id.in_(action_ids)))
    session.execute(delete(Score).where(Score.round_id == assessment_round.id))
    session.execute(
        delete(ReadinessSnapshot).where(ReadinessSnapshot.round_id == assessment_round.id)
    )
    session.execute(delete(RoundShare).where(RoundShare.round_id == assessment_round.id))
    session.execute(delete(AssessmentRound).where(AssessmentRound.id == assessment_round.id))
    session.flush()
    settle_statuses(session, actor, organisation_id, now=now)
    return plan
