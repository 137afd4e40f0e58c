"""Turning gaps into actions: each question scored at or below the organisation's gap rank
gets one spawned action, aimed at the next level of the scale — unless open work from an
earlier round already covers the question (it carries forward instead of being duplicated).

Spawning is idempotent (the partial unique index allows one spawned action per round and
question, and existing ones are skipped). A later round that scores a question at or above an
open action's target level moves that action to review: the question reached the target, so
its director decides whether the action is done; nothing is deleted.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tracker.domain import audit
from tracker.domain.actions import lifecycle
from tracker.models import (
    OPEN_STATUSES,
    Action,
    ActionOrigin,
    ActionStatus,
    AssessmentRound,
    DomainLead,
    LevelDescriptor,
    MaturityLevel,
    Question,
    Score,
    User,
)

TITLE_LIMIT = 300
OPEN_WORK = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def spawn_actions(
    session: Session, actor: User | None, assessment_round: AssessmentRound, *, now: datetime
) -> list[Action]:
    """Create the missing spawned actions for the round's gaps; returns the new ones.

    A round held before another round of the organisation (history imported late) spawns
    nothing: the latest round's scores say where the gaps are now, and a gap that a later
    round shows closed must not come back as new open work."""
    if _later_round_exists(session, assessment_round):
        return []
    up_to = assessment_round.organisation.spawn_up_to_rank
    levels = session.scalars(
        select(MaturityLevel)
        .where(MaturityLevel.framework_id == assessment_round.framework_id)
        .order_by(MaturityLevel.rank)
    ).all()
    next_level = {lv.rank: nxt for lv, nxt in pairwise(levels)}
    gaps = session.execute(
        select(Score, Question, MaturityLevel)
        .join(Question, Score.question_id == Question.id)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .where(Score.round_id == assessment_round.id, MaturityLevel.rank <= up_to)
        .order_by(Question.number)
    ).all()
    existing = _questions_already_covered(session, assessment_round)
    leads = _leads_by_component(session)
    descriptors = _descriptors(session, {q.id for _, q, _ in gaps})
    created = []
    for _score, question, level in gaps:
        target = next_level.get(level.rank)
        if target is None or question.id in existing:
            continue
        action = Action(
            question_id=question.id,
            round_id=assessment_round.id,
            origin=ActionOrigin.SPAWNED,
            title=gap_title(question, level, target),
            description=gap_description(
                assessment_round, question, level, target, descriptors.get((question.id, target.id))
            ),
            owner_id=None,
            lead_id=leads.get(question.component_id),
            status=ActionStatus.NOT_STARTED,
            target_level_id=target.id,
        )
        session.add(action)
        created.append(action)
    session.flush()
    for action in created:
        audit.record(
            session,
            actor,
            "action",
            action.id,
            "spawned",
            at=now,
            after={
                "title": action.title,
                "round": assessment_round.name,
                "lead_id": action.lead_id,
            },
        )
    return created


def _later_round_exists(session: Session, assessment_round: AssessmentRound) -> bool:
    return (
        session.scalar(
            select(AssessmentRound.id)
            .where(
                AssessmentRound.organisation_id == assessment_round.organisation_id,
                AssessmentRound.held_on > assessment_round.held_on,
            )
            .limit(1)
        )
        is not None
    )


def _questions_already_covered(session: Session, assessment_round: AssessmentRound) -> set[int]:
    """Questions that need no new spawned action: spawned in this round already, or still
    carrying open (not deleted) work from an earlier round of the same organisation — a trust
    still at "Starting" keeps working its existing action rather than getting a duplicate."""
    this_round = select(Action.question_id).where(
        Action.round_id == assessment_round.id, Action.origin == ActionOrigin.SPAWNED
    )
    carried = (
        select(Action.question_id)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(
            AssessmentRound.organisation_id == assessment_round.organisation_id,
            AssessmentRound.id != assessment_round.id,
            Action.status.in_(OPEN_STATUSES),
            Action.deleted_at.is_(None),
        )
    )
    return set(session.scalars(this_round.union(carried)))


def gap_title(question: Question, level: MaturityLevel, target: MaturityLevel) -> str:
    """'Q1: raise from Starting to Developing: Board and executives setting…'."""
    title = f"Q{question.number}: raise from {level.name} to {target.name}: {question.text}"
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"


def gap_description(
    assessment_round: AssessmentRound,
    question: Question,
    level: MaturityLevel,
    target: MaturityLevel,
    descriptor: str | None,
) -> str:
    """State the gap, the target and what the target looks like (descriptor, else the level)."""
    looks_like = descriptor or target.description
    lines = [
        f"The round '{assessment_round.name}' scored question {question.number} "
        f"({question.text.rstrip('.')}) at {level.name}.",
        f"Target for the next round: {target.name}.",
    ]
    if looks_like:
        lines.append(f"What {target.name} looks like: {looks_like}")
    return "\n\n".join(lines)


def _leads_by_component(session: Session) -> dict[int, int]:
    """The accountable director per component (the longest-serving active one when several)."""
    rows = session.execute(
        select(DomainLead.component_id, DomainLead.user_id)
        .join(User, DomainLead.user_id == User.id)
        .where(User.is_active.is_(True))
        .order_by(DomainLead.id)
    ).all()
    leads: dict[int, int] = {}
    for component_id, user_id in rows:
        leads.setdefault(component_id, user_id)
    return leads


def _descriptors(session: Session, question_ids: set[int]) -> dict[tuple[int, int], str]:
    if not question_ids:
        return {}
    rows = session.execute(
        select(LevelDescriptor.question_id, LevelDescriptor.level_id, LevelDescriptor.text).where(
            LevelDescriptor.question_id.in_(question_ids)
        )
    ).all()
    return {(q, lv): text for q, lv, text in rows}


def mark_improved_for_review(
    session: Session,
    actor: User | None,
    assessment_round: AssessmentRound,
    *,
    now: datetime,
    previous_ranks: dict[int, int] | None = None,
) -> int:
    """Open actions (not started, in progress) whose question this round scores at or above
    the action's own target level move to review: the re-measurement shows the question
    reached the target, so the lead director decides whether the action is done. A score that
    rose but is still below the target leaves the action open: the work is not finished.

    Only a re-measurement can do this: a round held after the action's own round, or a replace
    of the action's own round (`previous_ranks` given). A round imported late, held before the
    action's round, says nothing about whether the action worked. Returns how many moved."""
    target_level = aliased(MaturityLevel)
    new_ranks = dict(
        session.execute(
            select(Score.question_id, MaturityLevel.rank)
            .join(MaturityLevel, Score.level_id == MaturityLevel.id)
            .where(Score.round_id == assessment_round.id)
        ).all()
    )
    rows = session.execute(
        select(Action, target_level.rank, AssessmentRound.held_on)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .join(target_level, Action.target_level_id == target_level.id)
        .where(
            AssessmentRound.organisation_id == assessment_round.organisation_id,
            Action.deleted_at.is_(None),
            Action.status.in_(OPEN_WORK),
            Action.question_id.in_(new_ranks),
        )
    ).all()
    marked = 0
    for action, target_rank, action_round_held_on in rows:
        if action.round_id == assessment_round.id:
            remeasured = previous_ranks is not None
        else:
            remeasured = assessment_round.held_on > action_round_held_on
        if remeasured and new_ranks[action.question_id] >= target_rank:
            # The lifecycle audits it ("marked_for_review") and records why it is in review.
            lifecycle.automatic(
                session, actor, action, lifecycle.Move.MARK_FOR_REVIEW, now=now,
                details={"round": assessment_round.name},
            )  # fmt: skip
            marked += 1
    session.flush()
    return marked
