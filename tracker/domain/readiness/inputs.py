"""Building the model's inputs from the database in a constant number of queries.

Eight column-only queries whatever the size: the latest round, the framework's levels, its
questions (with components), the round's scores, the actions, their evidence, their milestones
and the last progress update per action (grouped). No ORM object, and no object per milestone,
is built: the milestone rows are fetched as the driver's tuples and tallied into their actions
as they are read (`tally.tally_rows`), so 50,000 milestones cost little more than reading them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import Session

from tracker.domain.dates import LONDON
from tracker.domain.readiness.model_inputs import ComponentInput, QuestionInput
from tracker.domain.readiness.raw_days import Days, driver_rows, raw, uk_day_of
from tracker.domain.readiness.risks import ActionFacts
from tracker.domain.readiness.tally import ActionTally, Record, Tallied, tally_rows
from tracker.models import (
    CLOSED_STATUSES,
    Action,
    AssessmentRound,
    Component,
    Evidence,
    MaturityLevel,
    Milestone,
    ProgressUpdate,
    Question,
    ReviewStatus,
    Score,
    User,
)

# Actions that no longer carry a question: completed (signed off) or cancelled. Their
# milestones still count in the organisation's record (on time, and lateness).
CLOSED = [s.value for s in CLOSED_STATUSES]


@dataclass(frozen=True)
class Loaded:
    round_id: int
    round_name: str
    held_on: date
    next_round_on: date | None
    level_names: dict[int, str]
    question_text: dict[int, str]
    inputs: Tallied
    facts: dict[int, ActionFacts]


def uk_date(moment: datetime | None) -> date | None:
    return moment.astimezone(LONDON).date() if moment is not None else None


def latest_round(session: Session, organisation_id: int) -> AssessmentRound | None:
    """The organisation's most recent round (by date held, then by id)."""
    return session.scalars(
        select(AssessmentRound)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
        .limit(1)
    ).first()


def load_inputs(
    session: Session,
    organisation_id: int,
    as_of: date,
    *,
    replay: tuple[int, date] | None = None,
) -> Loaded | None:
    """Read everything the model needs for the organisation's latest round (None if none).

    `replay=(round_id, round_on)` rebuilds the forecast one of its past rounds had on the
    as-of date for a round held on `round_on` (the backtest): that round's levels, and only
    the actions and milestones that existed by then (ticks after it are ignored by the model)."""
    scope = Scope(organisation_id)
    if replay is None:
        current = latest_round(session, organisation_id)
    else:
        current = session.scalars(
            select(AssessmentRound).where(
                AssessmentRound.id == replay[0],
                AssessmentRound.organisation_id == organisation_id,
            )
        ).first()
        if current is not None:
            scope = Scope(organisation_id, current.held_on, day_end(as_of))
    if current is None:
        return None
    levels = dict(
        session.execute(
            select(MaturityLevel.rank, MaturityLevel.name).where(
                MaturityLevel.framework_id == current.framework_id
            )
        ).all()
    )
    question_rows = session.execute(
        select(Question.id, Question.number, Question.text, Component.id, Component.position)
        .add_columns(Component.name)
        .join(Component, Question.component_id == Component.id)
        .where(Question.framework_id == current.framework_id)
    ).all()
    ranks = dict(
        session.execute(
            select(Score.question_id, MaturityLevel.rank)
            .join(MaturityLevel, Score.level_id == MaturityLevel.id)
            .where(Score.round_id == current.id)
        ).all()
    )
    # A partial round leaves some questions unscored: they have no level now, so they are left
    # out of the forecast rather than being counted as "Starting".
    scored_rows = [row for row in question_rows if row[0] in ranks]
    components = {
        row[3]: ComponentInput(id=row[3], position=row[4], name=row[5]) for row in scored_rows
    }
    questions = tuple(
        QuestionInput(id=row[0], number=row[1], component_id=row[3], rank_now=ranks[row[0]])
        for row in scored_rows
    )
    round_on = current.next_round_on if replay is None else replay[1]
    action_rows = _load_actions(session, scope, current.framework_id)
    tallies = {
        action_id: ActionTally(action_id, question_id, rank, title)
        for action_id, question_id, title, _status, _created, rank, _owner in action_rows
    }
    record, rejected, last_update = _load_action_details(session, scope, tallies, as_of, round_on)
    uk_day = Days().uk
    facts = {}
    for action_id, question_id, title, status, created_at, _rank, owner_name in action_rows:
        created = uk_day[created_at] or as_of  # never null: created_at is required
        updated = last_update.get(action_id)
        facts[action_id] = ActionFacts(
            action_id,
            title,
            question_id,
            status,
            owner_name,
            updated if updated is not None and updated > created else created,
            action_id in rejected,
        )
    return Loaded(
        round_id=current.id,
        round_name=current.name,
        held_on=current.held_on,
        next_round_on=round_on,
        level_names=levels,
        question_text={row[0]: row[2] for row in question_rows},
        inputs=Tallied(
            as_of=as_of,
            round_on=round_on,
            components=tuple(components.values()),
            questions=questions,
            actions=tuple(tallies.values()),
            record=record,
        ),
        facts=facts,
    )


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class Scope:
    """Whose actions count: the organisation's, and in a replay only those of rounds held by
    `held_by` that existed before `created_before`."""

    organisation_id: int
    held_by: date | None = None
    created_before: datetime | None = None


def day_end(day: date) -> datetime:
    """The first moment after a UK day, as an aware datetime."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)


def _org_actions(scope: Scope, *, closed: bool = False) -> Select[int]:
    """Live actions of the organisation's rounds (not deleted; not closed unless `closed`)."""
    return _in_scope(select(Action.id), scope, closed=closed)


def _in_scope(query: _Query, scope: Scope, *, closed: bool = False) -> _Query:
    """`query` over Action joined to its round, kept to the scope's actions."""
    query = (
        query.join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(AssessmentRound.organisation_id == scope.organisation_id)
        .where(Action.deleted_at.is_(None))
    )
    if not closed:
        query = query.where(Action.status.not_in(CLOSED))
    if scope.held_by is not None:
        query = query.where(AssessmentRound.held_on <= scope.held_by)
    if scope.created_before is not None:
        query = query.where(Action.created_at < scope.created_before)
    return query


def _load_actions(session: Session, scope: Scope, framework_id: int) -> Sequence[Any]:
    """The scope's open actions with what the model and the at-risk list need (joined
    directly, not through an IN list of themselves: PostgreSQL plans that badly)."""
    columns = select(
        Action.id,
        Action.question_id,
        Action.title,
        Action.status,
        uk_day_of(Action.created_at).label("created_at"),
        MaturityLevel.rank,
        User.name,
    ).select_from(Action)
    return driver_rows(
        session,
        _in_scope(columns, scope)
        .join(MaturityLevel, Action.target_level_id == MaturityLevel.id)
        .outerjoin(User, Action.owner_id == User.id)
        .where(MaturityLevel.framework_id == framework_id)
        .order_by(Action.id),
    )


def _load_action_details(
    session: Session,
    scope: Scope,
    tallies: dict[int, ActionTally],
    as_of: date,
    round_on: date | None,
) -> tuple[Record, set[int], dict[int, date]]:
    """Tally the milestones into their actions (closed actions' count in the record only;
    withdrawn ones never), and find the actions with rejected evidence and their last update."""
    born = Milestone.created_at < scope.created_before if scope.created_before else true()
    days = Days()
    # Evidence and updates are joined to the open actions (SQLite otherwise probes its index
    # once per open action, though only some have any).
    evidence = select(
        Evidence.action_id,
        Evidence.milestone_id,
        Evidence.review_status,
        uk_day_of(Evidence.reviewed_at),
    ).join(Action, Evidence.action_id == Action.id)
    evidence_rows = driver_rows(
        session, _in_scope(evidence, scope).where(Evidence.deleted_at.is_(None))
    )
    accepted_on_milestone: dict[int, date] = {}
    accepted_on_action: dict[int, date] = {}
    milestones_with_evidence: set[int] = set()
    rejected_keys: set[tuple[int, int | None]] = set()
    accepted_keys: set[tuple[int, int | None]] = set()
    accepted, refused = ReviewStatus.ACCEPTED.value, ReviewStatus.REJECTED.value
    for action_id, milestone_id, status, reviewed_at in evidence_rows:
        if milestone_id is not None:
            milestones_with_evidence.add(milestone_id)
        if status == refused:
            rejected_keys.add((action_id, milestone_id))
        on = days.uk[reviewed_at]
        if status != accepted or on is None:
            continue
        accepted_keys.add((action_id, milestone_id))
        target = accepted_on_milestone if milestone_id is not None else accepted_on_action
        key = milestone_id if milestone_id is not None else action_id
        target[key] = min(on, target.get(key, on))
    # Rejected evidence stops being a risk once evidence for the same thing is accepted.
    rejected = {action_id for action_id, m in rejected_keys - accepted_keys}
    with_evidence, on_milestone, on_action = (
        milestones_with_evidence,
        accepted_on_milestone.get,
        accepted_on_action.get,
    )

    def assured_on(milestone_id: int, action_id: int) -> date | None:
        return on_milestone(milestone_id) if milestone_id in with_evidence else on_action(action_id)

    # "IN (the organisation's actions)" rather than a join: measured a little faster on both
    # databases (PostgreSQL hashes the list; SQLite does less work per row).
    rows = driver_rows(
        session,
        select(
            Milestone.id,
            Milestone.action_id,
            Milestone.weight,
            raw(Milestone.due_on),
            raw(Milestone.original_due_on),
            uk_day_of(Milestone.done_at),
        )
        .where(Milestone.action_id.in_(_org_actions(scope, closed=True)), born)
        .where(Milestone.withdrawn_at.is_(None)),
    )
    record = tally_rows(
        rows,
        tallies,
        as_of=as_of,
        round_on=round_on,
        day=days.dates,
        uk_day=days.uk,
        assured_on=assured_on,
    )
    updates = (
        select(ProgressUpdate.action_id, uk_day_of(func.max(ProgressUpdate.created_at)))
        .join(Action, ProgressUpdate.action_id == Action.id)
        .group_by(ProgressUpdate.action_id)
    )
    last_update = {
        action_id: last
        for action_id, at in driver_rows(session, _in_scope(updates, scope))
        if (last := days.uk[at]) is not None
    }
    return record, rejected, last_update


def milestone_titles(
    session: Session, organisation_id: int, milestone_ids: Iterable[int]
) -> dict[int, str]:
    """The titles of a few of the organisation's milestones (those a report shows): read
    apart, so the milestones the model tallies are fetched without theirs."""
    ids = list(milestone_ids)
    if not ids:
        return {}
    return dict(
        session.execute(
            select(Milestone.id, Milestone.title)
            .join(Action, Milestone.action_id == Action.id)
            .join(AssessmentRound, Action.round_id == AssessmentRound.id)
            .where(AssessmentRound.organisation_id == organisation_id, Milestone.id.in_(ids))
        ).all()
    )
