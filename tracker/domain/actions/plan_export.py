"""The action plan as rows for export: one row per action that is not deleted.

Five queries whatever the number of actions: actions with their question, component, target
and owner; the latest round's levels; milestone counts; evidence counts; the latest round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased

from tracker.models import (
    Action,
    AssessmentRound,
    Component,
    Evidence,
    MaturityLevel,
    Milestone,
    Question,
    Score,
    User,
)

HEADER = [
    "Component",
    "Question number",
    "Question",
    "Level now",
    "Target level",
    "Action",
    "Owner",
    "Status",
    "Due date",
    "Milestones done",
    "Milestones total",
    "Evidence items",
]


@dataclass(frozen=True)
class PlanRow:
    component: str
    question_number: int
    question: str
    level_now: str
    target_level: str
    title: str
    owner: str
    status: str
    due_on: date | None
    milestones_done: int
    milestones_total: int
    evidence: int

    def cells(self) -> list[object]:
        return [
            self.component, self.question_number, self.question, self.level_now,
            self.target_level, self.title, self.owner, self.status.replace("_", " "),
            self.due_on, self.milestones_done, self.milestones_total, self.evidence,
        ]  # fmt: skip


def action_plan_rows(
    session: Session, organisation_id: int, only: Select[int] | None = None
) -> list[PlanRow]:
    """Every non-deleted action of the organisation, ordered by component and question; with
    `only` (a query of action ids: the action list's filters), just those.

    "Level now" is the question's level in the organisation's latest round (by date)."""
    latest = session.scalar(
        select(AssessmentRound.id)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
        .limit(1)
    )
    now_levels = dict(
        session.execute(
            select(Score.question_id, MaturityLevel.name)
            .join(MaturityLevel, Score.level_id == MaturityLevel.id)
            .where(Score.round_id == latest)
        ).all()
    )
    target = aliased(MaturityLevel)
    owner = aliased(User)
    query = (
        select(Action, Question, Component.name, target.name, owner.name)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .join(Question, Action.question_id == Question.id)
        .join(Component, Question.component_id == Component.id)
        .join(target, Action.target_level_id == target.id)
        .outerjoin(owner, Action.owner_id == owner.id)
        .where(AssessmentRound.organisation_id == organisation_id, Action.deleted_at.is_(None))
        .order_by(Component.position, Question.number, Action.id)
    )
    if only is not None:
        query = query.where(Action.id.in_(only))
    actions = session.execute(query).all()
    ids = _action_ids(organisation_id) if only is None else only
    milestones = _milestone_counts(session, ids)
    evidence = _evidence_counts(session, ids)
    return [
        PlanRow(
            component=component_name,
            question_number=question.number,
            question=question.text,
            level_now=now_levels.get(question.id, "Not scored"),
            target_level=target_name,
            title=action.title,
            owner=owner_name or "Unassigned",
            status=action.status,
            due_on=action.due_on,
            milestones_done=milestones.get(action.id, (0, 0))[0],
            milestones_total=milestones.get(action.id, (0, 0))[1],
            evidence=evidence.get(action.id, 0),
        )
        for action, question, component_name, target_name, owner_name in actions
    ]


def _action_ids(organisation_id: int) -> Select[int]:
    """The organisation's action ids as a subquery (no long IN lists on big plans)."""
    return (
        select(Action.id)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(AssessmentRound.organisation_id == organisation_id, Action.deleted_at.is_(None))
    )


def _milestone_counts(session: Session, ids: Select[int]) -> dict[int, tuple[int, int]]:
    done = func.sum(case((Milestone.done_at.is_not(None), 1), else_=0))
    rows = session.execute(
        select(Milestone.action_id, done, func.count())
        .where(Milestone.action_id.in_(ids))
        .group_by(Milestone.action_id)
    ).all()
    return {action_id: (int(d or 0), int(total)) for action_id, d, total in rows}


def _evidence_counts(session: Session, ids: Select[int]) -> dict[int, int]:
    rows = session.execute(
        select(Evidence.action_id, func.count())
        .where(Evidence.action_id.in_(ids), Evidence.deleted_at.is_(None))
        .group_by(Evidence.action_id)
    ).all()
    return {action_id: int(count) for action_id, count in rows}
