"""The action list's filters: what the filter form (and the dashboard's links) can ask for, as
one set of conditions shared by the page and its CSV/XLSX export, so a download holds exactly
the actions the page listed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from tracker.models import (
    OPEN_STATUSES,
    Action,
    AssessmentRound,
    Evidence,
    Question,
    ReviewStatus,
    User,
)

NOBODY = 0  # the owner filter's "Not assigned"
OPEN_ONLY = "open"  # the status filter's "Open": not started, in progress or review
TEXT_MAX = 200  # longest search text; longer is refused by the form


@dataclass(frozen=True)
class ActionFilter:
    """Which actions a list shows. Every field left empty filters nothing.

    `status` OPEN_ONLY means any open status; `owner_id` NOBODY means actions with no owner; `component_ids` limits to several
    components at once (a director's "in the domains I lead"); `text` is found anywhere in the
    title or description, whatever its case."""

    status: str | None = None
    component_id: int | None = None
    component_ids: Collection[int] | None = None
    owner_id: int | None = None
    overdue: bool = False
    awaiting_review: bool = False
    text: str = ""


def escape_like(text: str) -> str:
    """The text as a LIKE pattern matching itself: % and _ are letters here, not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_clause(text: str) -> ColumnElement[bool]:
    """The words appear, in this order, in the title or the description (any case)."""
    pattern = f"%{escape_like(text.strip())}%"
    return or_(
        Action.title.ilike(pattern, escape="\\"), Action.description.ilike(pattern, escape="\\")
    )


def conditions(
    chosen: ActionFilter, *, overdue_clause: ColumnElement[bool]
) -> list[ColumnElement[bool]]:
    """The WHERE conditions for a query already joined to Question. `overdue_clause` is the
    dashboard's own definition of overdue, so the list and the dashboard count agree."""
    found: list[ColumnElement[bool]] = []
    if chosen.status == OPEN_ONLY:
        found.append(Action.status.in_([s.value for s in OPEN_STATUSES]))
    elif chosen.status:
        found.append(Action.status == chosen.status)
    if chosen.component_id:
        found.append(Question.component_id == chosen.component_id)
    if chosen.component_ids is not None:
        found.append(Question.component_id.in_(list(chosen.component_ids)))
    if chosen.owner_id == NOBODY:
        found.append(Action.owner_id.is_(None))
    elif chosen.owner_id is not None:
        found.append(Action.owner_id == chosen.owner_id)
    if chosen.overdue:
        found.append(overdue_clause)
    if chosen.awaiting_review:
        pending = select(Evidence.id).where(
            Evidence.action_id == Action.id,
            Evidence.review_status == ReviewStatus.PENDING,
            Evidence.deleted_at.is_(None),
        )
        found.append(pending.exists())
    if chosen.text.strip():
        found.append(text_clause(chosen.text))
    return found


def matching_ids(
    organisation_id: int,
    chosen: ActionFilter,
    *,
    owner_scope: int | None,
    review_component_ids: Collection[int] | None,
    overdue_clause: ColumnElement[bool],
) -> Select[int]:
    """The ids of the organisation's live actions the filter keeps, as a subquery (for the
    export), limited as the list is: `owner_scope` to one owner's actions, and a director's
    awaiting-review filter to the components they lead (`review_component_ids`)."""
    query = (
        select(Action.id)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .join(Question, Action.question_id == Question.id)
        .where(AssessmentRound.organisation_id == organisation_id, Action.deleted_at.is_(None))
    )
    if owner_scope is not None:
        query = query.where(Action.owner_id == owner_scope)
    parts = conditions(chosen, overdue_clause=overdue_clause)
    if chosen.awaiting_review and review_component_ids is not None:
        parts.append(Question.component_id.in_(list(review_component_ids)))
    return query.where(and_(*parts)) if parts else query


def owners_of_actions(session: Session, organisation_id: int) -> Sequence[User]:
    """Everyone who owns at least one live action of the organisation, by name: the owner
    filter's choices (someone who has left still owns what was never reassigned)."""
    owns = (
        select(Action.id)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(
            Action.owner_id == User.id,
            Action.deleted_at.is_(None),
            AssessmentRound.organisation_id == organisation_id,
        )
        .exists()
    )
    return session.scalars(
        select(User).where(User.organisation_id == organisation_id, owns).order_by(User.name)
    ).all()
