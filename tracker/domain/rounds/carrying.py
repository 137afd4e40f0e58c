"""Carrying open work forward into a new round.

When a re-measurement still scores a question as a gap and an earlier round's action on it is
still open (not started or in progress), the action carries forward instead of a duplicate
being spawned (see spawning). This module makes that visible: the action gets a history entry
naming the round it now serves, and the first paragraph of its description (the sentence the
spawner wrote, "The round 'Baseline' scored…") is rewritten to name that round. A description
a person rewrote keeps their words, with one paragraph put in front saying which round the
action serves. Carrying the same action into the same round twice records nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.rounds.spawning import OPEN_WORK
from tracker.models import (
    Action,
    AssessmentRound,
    AuditEvent,
    MaturityLevel,
    Question,
    Score,
    User,
)

GENERATED_START = "The round '"
VERB = "carried_forward"


def serving_paragraph(
    assessment_round: AssessmentRound, question: Question, level: MaturityLevel, first: str
) -> str:
    """The description's first paragraph for an action carried into `assessment_round`."""
    return (
        f"{GENERATED_START}{assessment_round.name}' scored question {question.number} "
        f"({question.text.rstrip('.')}) at {level.name}. This action was carried forward to "
        f"serve it; it was first created for the round '{first}'."
    )


def reworded(description: str, paragraph: str) -> str:
    """`description` with its generated first paragraph replaced by `paragraph` (put in front
    when a person rewrote the description)."""
    head, sep, rest = description.partition("\n\n")
    if head.startswith(GENERATED_START):
        return paragraph + sep + rest
    return f"{paragraph}\n\n{description}" if description else paragraph


def carry_forward(
    session: Session, actor: User | None, assessment_round: AssessmentRound, *, now: datetime
) -> list[Action]:
    """Open actions of earlier rounds whose question this round still scores as a gap: each
    gets a history entry naming this round and wording that says it serves it. Returns the
    actions carried by this call (none when a later round exists: it is the one served)."""
    later = session.scalar(
        select(AssessmentRound.id)
        .where(
            AssessmentRound.organisation_id == assessment_round.organisation_id,
            AssessmentRound.held_on > assessment_round.held_on,
        )
        .limit(1)
    )
    if later is not None:
        return []
    up_to = assessment_round.organisation.spawn_up_to_rank
    gaps = {
        question.id: (question, level)
        for question, level in session.execute(
            select(Question, MaturityLevel)
            .join(Score, Score.question_id == Question.id)
            .join(MaturityLevel, Score.level_id == MaturityLevel.id)
            .where(Score.round_id == assessment_round.id, MaturityLevel.rank <= up_to)
        ).all()
    }
    if not gaps:
        return []
    rows = session.execute(
        select(Action, AssessmentRound.name)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(
            AssessmentRound.organisation_id == assessment_round.organisation_id,
            AssessmentRound.id != assessment_round.id,
            Action.deleted_at.is_(None),
            Action.status.in_(OPEN_WORK),
            Action.question_id.in_(gaps),
        )
        .order_by(Action.id)
    ).all()
    already = _carried_into(session, [action.id for action, _ in rows], assessment_round.id)
    carried = []
    for action, first in rows:
        if action.id in already:
            continue
        question, level = gaps[action.question_id]
        action.description = reworded(
            action.description, serving_paragraph(assessment_round, question, level, first)
        )
        audit.record(
            session, actor, "action", action.id, "carried_forward", at=now,
            after={"round": assessment_round.name, "round_id": assessment_round.id},
        )  # fmt: skip
        carried.append(action)
    session.flush()
    return carried


def _carried_into(session: Session, action_ids: list[int], round_id: int) -> set[int]:
    """Of these actions, those already carried into the round."""
    if not action_ids:
        return set()
    events = session.execute(
        select(AuditEvent.entity_id, AuditEvent.after).where(
            AuditEvent.entity == "action",
            AuditEvent.verb == VERB,
            AuditEvent.entity_id.in_(action_ids),
        )
    ).all()
    return {entity_id for entity_id, after in events if (after or {}).get("round_id") == round_id}


def serve_again(
    session: Session,
    actor: User | None,
    deleted: AssessmentRound,
    current: AssessmentRound | None,
    *,
    now: datetime,
) -> list[Action]:
    """After `deleted` is deleted, the actions carried into it serve `current` again (their own
    round's wording when that is the current round). Call before the round's row goes."""
    carried_ids = [
        entity_id
        for entity_id, after in session.execute(
            select(AuditEvent.entity_id, AuditEvent.after).where(
                AuditEvent.entity == "action", AuditEvent.verb == VERB
            )
        ).all()
        if entity_id is not None and (after or {}).get("round_id") == deleted.id
    ]
    if not carried_ids or current is None:
        return []
    rows = session.execute(
        select(Action, AssessmentRound, Question)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .join(Question, Action.question_id == Question.id)
        .where(Action.id.in_(carried_ids), Action.round_id != deleted.id)
        .order_by(Action.id)
    ).all()
    levels = _levels_in(session, current.id)
    changed = []
    for action, own, question in rows:
        level = levels.get(question.id)
        if level is None:
            continue
        if own.id == current.id:
            paragraph = (
                f"{GENERATED_START}{own.name}' scored question {question.number} "
                f"({question.text.rstrip('.')}) at {level.name}."
            )
        else:
            paragraph = serving_paragraph(current, question, level, own.name)
        action.description = reworded(action.description, paragraph)
        audit.record(
            session, actor, "action", action.id, "serves_round_again", at=now,
            before={"round": deleted.name}, after={"round": current.name},
        )  # fmt: skip
        changed.append(action)
    session.flush()
    return changed


def _levels_in(session: Session, round_id: int) -> dict[int, MaturityLevel]:
    rows = session.execute(
        select(Score.question_id, MaturityLevel)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .where(Score.round_id == round_id)
    ).all()
    return {question_id: level for question_id, level in rows}
