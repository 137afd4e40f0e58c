"""Read models for the dashboard, the domain overview and the action lists.

Every function runs a fixed number of queries whatever the number of rows (grouped counts,
joined loads), so the pages cost the same for five actions or five thousand. Who sees what is
given as a Scope: owners see only their own actions, directors' review queues are limited to
the components they lead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Exists, Select, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.actions.listing import ActionFilter, conditions
from tracker.models import (
    OPEN_STATUSES,
    Action,
    AssessmentRound,
    Component,
    Evidence,
    Milestone,
    Question,
    ReviewStatus,
)

OPEN = [s.value for s in OPEN_STATUSES]

_Row = TypeVarTuple("_Row")


@dataclass(frozen=True)
class Scope:
    """What one person's lists cover: their organisation, only their own actions (owners), and
    the components a director leads (None means all): their dashboard's overdue, unassigned and
    awaiting-review counts, and their review queue, cover only those."""

    organisation_id: int
    owner_id: int | None = None
    review_component_ids: Collection[int] | None = None


@dataclass
class MilestoneStats:
    done: int = 0
    total: int = 0
    next_due_on: date | None = None


@dataclass
class ActionRow:
    action: Action
    milestones: MilestoneStats
    overdue: bool


@dataclass
class Summary:
    by_status: dict[str, int]
    by_component: list[tuple[Component, int]]
    overdue_milestones: int
    awaiting_review: int
    next_round_on: date | None
    round_name: str | None
    unassigned: int = 0  # open actions with no owner (in a director's components)


@dataclass
class ActionPage:
    rows: list[ActionRow]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = page_count(self.total, self.per_page)


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill (at least one, so an empty list still has page 1)."""
    return max(1, -(-total // per_page))


def latest_round(session: Session, organisation_id: int) -> AssessmentRound | None:
    """The most recent round (by the date it was held): the current position."""
    return session.scalar(
        select(AssessmentRound)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
        .limit(1)
    )


def _visible(query: Select[*_Row], scope: Scope) -> Select[*_Row]:
    query = query.join(AssessmentRound, Action.round_id == AssessmentRound.id).where(
        AssessmentRound.organisation_id == scope.organisation_id, Action.deleted_at.is_(None)
    )
    if scope.owner_id is not None:
        query = query.where(Action.owner_id == scope.owner_id)
    return query


def _overdue_milestone_clause(today: date) -> Exists:
    return (
        select(Milestone.id)
        .where(
            Milestone.action_id == Action.id,
            Milestone.done_at.is_(None),
            Milestone.due_on < today,
            Milestone.withdrawn_at.is_(None),
        )
        .exists()
    )


def _overdue_clause(today: date) -> ColumnElement[bool]:
    """Open, and either past its due date or with an unticked milestone past its date."""
    return Action.status.in_(OPEN) & or_(Action.due_on < today, _overdue_milestone_clause(today))


def summary(session: Session, scope: Scope, *, today: date) -> Summary:
    """Counts by status and component for everything the person sees; overdue milestones,
    evidence awaiting review and unassigned open actions (in a director's components); and
    the next round."""
    by_status = dict(
        session.execute(
            _visible(select(Action.status, func.count(Action.id)), scope).group_by(Action.status)
        ).all()
    )
    counts = dict(
        session.execute(
            _visible(select(Question.component_id, func.count(Action.id)), scope)
            .join(Question, Action.question_id == Question.id)
            .group_by(Question.component_id)
        ).all()
    )
    components = session.scalars(select(Component).order_by(Component.position)).all()
    led = scope.review_component_ids
    overdue_query = (
        _visible(
            select(func.count(Milestone.id)).join(Action, Milestone.action_id == Action.id), scope
        )
        .where(Milestone.done_at.is_(None), Milestone.due_on < today, Action.status.in_(OPEN))
        .where(Milestone.withdrawn_at.is_(None))
    )
    review_query = _visible(
        select(func.count(Evidence.id)).join(Action, Evidence.action_id == Action.id), scope
    ).where(Evidence.review_status == ReviewStatus.PENDING, Evidence.deleted_at.is_(None))
    unassigned_query = _visible(select(func.count(Action.id)), scope).where(
        Action.status.in_(OPEN), Action.owner_id.is_(None)
    )
    if led is not None:
        overdue_query, review_query, unassigned_query = (
            query.join(Question, Action.question_id == Question.id).where(
                Question.component_id.in_(list(led))
            )
            for query in (overdue_query, review_query, unassigned_query)
        )
    current = latest_round(session, scope.organisation_id)
    return Summary(
        by_status=by_status,
        by_component=[(c, counts.get(c.id, 0)) for c in components],
        overdue_milestones=session.scalar(overdue_query) or 0,
        awaiting_review=session.scalar(review_query) or 0,
        next_round_on=current.next_round_on if current else None,
        round_name=current.name if current else None,
        unassigned=session.scalar(unassigned_query) or 0,
    )


def milestone_stats(session: Session, action_ids: Sequence[int]) -> dict[int, MilestoneStats]:
    """Done/total and the next open milestone date per action, in one grouped query."""
    if not action_ids:
        return {}
    rows = session.execute(
        select(
            Milestone.action_id,
            func.count(Milestone.id),
            func.sum(case((Milestone.done_at.is_not(None), 1), else_=0)),
            func.min(case((Milestone.done_at.is_(None), Milestone.due_on), else_=None)),
        )
        .where(Milestone.action_id.in_(list(action_ids)), Milestone.withdrawn_at.is_(None))
        .group_by(Milestone.action_id)
    ).all()
    return {row[0]: MilestoneStats(int(row[2] or 0), row[1], row[3]) for row in rows}


def _rows(session: Session, actions: Sequence[Action], today: date) -> list[ActionRow]:
    stats = milestone_stats(session, [a.id for a in actions])
    rows = []
    for action in actions:
        s = stats.get(action.id, MilestoneStats())
        late = any(d is not None and d < today for d in (action.due_on, s.next_due_on))
        rows.append(ActionRow(action, s, late and action.status in OPEN))
    return rows


def _with_details(query: Select[Action]) -> Select[Action]:
    return query.options(
        joinedload(Action.question).joinedload(Question.component),
        joinedload(Action.owner),
        joinedload(Action.target_level),
    )


def list_actions(
    session: Session,
    scope: Scope,
    *,
    today: date,
    status: str | None = None,
    component_id: int | None = None,
    overdue: bool = False,
    awaiting_review: bool = False,
    page: int = 1,
    per_page: int = 25,
    clamp: bool = False,
    chosen: ActionFilter | None = None,
) -> ActionPage:
    """One page of actions matching the filters (two queries for the page, one for the count):
    `chosen` (the action list's filter form), else the separate filters. A director's
    awaiting-review list covers only the components they lead. With `clamp`, a page past the
    end gives the last page rather than an empty one."""
    chosen = chosen or ActionFilter(
        status=status, component_id=component_id, overdue=overdue, awaiting_review=awaiting_review
    )
    query = _visible(select(Action), scope).join(Question, Action.question_id == Question.id)
    for condition in conditions(chosen, overdue_clause=_overdue_clause(today)):
        query = query.where(condition)
    if chosen.awaiting_review and scope.review_component_ids is not None:
        query = query.where(Question.component_id.in_(list(scope.review_component_ids)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(page, page_count(total, per_page)) if clamp else page
    page = max(1, page)
    actions = session.scalars(
        _with_details(query)
        .order_by(Question.number, Action.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return ActionPage(_rows(session, actions, today), total, page, per_page)


def overdue_clause(today: date) -> ColumnElement[bool]:
    """What "overdue" means on every list (for the export's filter)."""
    return _overdue_clause(today)


def my_actions(session: Session, scope: Scope, *, today: date) -> list[ActionRow]:
    """The owner's open actions: overdue first, then by the next milestone (or due) date."""
    actions = session.scalars(
        _with_details(_visible(select(Action), scope)).where(Action.status.in_(OPEN))
    ).all()
    rows = _rows(session, actions, today)
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.milestones.next_due_on or r.action.due_on or date.max,
            r.action.id,
        )
    )
    return rows


def domain_overview(
    session: Session, organisation_id: int
) -> list[tuple[Component, int, int, int]]:
    """Each component with its open, unassigned open and total action counts."""
    scope = Scope(organisation_id)
    counts = {
        row[0]: row[1:]
        for row in session.execute(
            _visible(
                select(
                    Question.component_id,
                    func.count(Action.id),
                    func.sum(case((Action.status.in_(OPEN), 1), else_=0)),
                    func.sum(
                        case((Action.status.in_(OPEN) & Action.owner_id.is_(None), 1), else_=0)
                    ),
                ),
                scope,
            )
            .join(Question, Action.question_id == Question.id)
            .group_by(Question.component_id)
        ).all()
    }
    components = session.scalars(select(Component).order_by(Component.position)).all()
    result = []
    for component in components:
        total, open_count, unassigned = counts.get(component.id, (0, 0, 0))
        result.append((component, int(open_count or 0), int(unassigned or 0), total))
    return result
