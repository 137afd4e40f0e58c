"""Read model for one domain (component) page: its questions with their level in the latest
round, and one page of its actions.

A component can hold thousands of actions, so the action list is paginated like the action
list (tracker.domain.actions.dashboard.list_actions): a count query plus a limited query, so the page
costs the same number of queries for five actions or five thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.actions.dashboard import (
    ActionPage,
    ActionRow,
    Scope,
    latest_round,
    list_actions,
)
from tracker.domain.errors import NotFound
from tracker.models import AssessmentRound, Component, MaturityLevel, Question, Score

PER_PAGE = 50


@dataclass
class DomainDetail:
    component: Component
    round: AssessmentRound | None
    questions: list[tuple[Question, MaturityLevel | None]]
    actions: ActionPage

    @property
    def rows(self) -> list[ActionRow]:
        """The actions on this page (the rows of `actions`)."""
        return self.actions.rows


def _questions(
    session: Session, component_id: int, current: AssessmentRound | None
) -> list[tuple[Question, MaturityLevel | None]]:
    """The component's questions in order, each with its level in `current` (None if unscored)."""
    if current is None:
        plain = select(Question).where(Question.component_id == component_id)
        return [(q, None) for q in session.scalars(plain.order_by(Question.number))]
    level_query = (
        select(Question, MaturityLevel)
        .where(Question.component_id == component_id)
        .outerjoin(Score, (Score.question_id == Question.id) & (Score.round_id == current.id))
        .outerjoin(MaturityLevel, Score.level_id == MaturityLevel.id)
        .order_by(Question.number)
    )
    return [(q, lv) for q, lv in session.execute(level_query).all()]


def load_component(session: Session, component_id: int) -> Component:
    """The component (domain) with this id; components are shared by every organisation."""
    component = session.get(Component, component_id)
    if component is None:
        raise NotFound("Component not found")
    return component


def domain_detail(
    session: Session,
    organisation_id: int,
    component_id: int,
    *,
    today: date,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> DomainDetail:
    """A component's questions with their level in the latest round, and one page of its
    actions (by question number, then id). A page past the end shows the last page, so an old
    link after actions were deleted still lands on real rows; a page below 1 shows page 1."""
    component = load_component(session, component_id)
    current = latest_round(session, organisation_id)
    actions = list_actions(
        session,
        Scope(organisation_id),
        today=today,
        component_id=component_id,
        page=page,
        per_page=per_page,
        clamp=True,
    )
    return DomainDetail(component, current, _questions(session, component_id, current), actions)
