"""Building the model's inputs from the database in a constant number of queries.

Seven column-only queries whatever the size: the latest round, the framework's levels, its
questions (with components), the round's scores, the actions, their milestones, their evidence
and the last progress update per action (grouped). No ORM objects are built for the rows, so
2,000 actions and 10,000 milestones load in a fraction of a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import Session

from tracker.domain.dates import LONDON
from tracker.domain.readiness.model import (
    ActionInput,
    ComponentInput,
    MilestoneInput,
    ModelInputs,
    QuestionInput,
)
from tracker.domain.readiness.raw_days import Days, driver_rows, raw
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
# milestones still count in the organisation's on-time record (ModelInputs.closed_milestones).
CLOSED = [s.value for s in CLOSED_STATUSES]


@dataclass(slots=True)
class ActionFacts:
    """What the at-risk list needs to know about an action besides its milestones
    (read-only by convention: one is built per action on the hot path)."""

    id: int
    title: str
    question_id: int
    status: str
    owner_name: str | None
    last_activity_on: date
    has_rejected_evidence: bool


@dataclass(frozen=True)
class Loaded:
    round_id: int
    round_name: str
    held_on: date
    next_round_on: date | None
    level_names: dict[int, str]
    question_text: dict[int, str]
    inputs: ModelInputs
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
    action_rows = _load_actions(session, scope, current.framework_id)
    milestones, rejected, last_update = _load_action_details(session, scope)
    uk_day = Days().uk
    no_milestones: tuple[MilestoneInput, ...] = ()
    actions_list = []
    facts = {}
    for action_id, question_id, title, status, created_at, rank, owner_name in action_rows:
        mine = milestones.get(action_id)
        actions_list.append(
            ActionInput(action_id, question_id, rank, tuple(mine) if mine else no_milestones, title)
        )
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
    actions = tuple(actions_list)
    live_ids = {row[0] for row in action_rows}
    closed_milestones = tuple(
        m for action_id, ms in milestones.items() if action_id not in live_ids for m in ms
    )
    return Loaded(
        round_id=current.id,
        round_name=current.name,
        held_on=current.held_on,
        next_round_on=current.next_round_on if replay is None else replay[1],
        level_names=levels,
        question_text={row[0]: row[2] for row in question_rows},
        inputs=ModelInputs(
            as_of=as_of,
            round_on=current.next_round_on if replay is None else replay[1],
            components=tuple(components.values()),
            questions=questions,
            actions=actions,
            closed_milestones=closed_milestones,
        ),
        facts=facts,
    )


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
    query = (
        select(Action.id)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
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
    return driver_rows(
        session,
        select(
            Action.id,
            Action.question_id,
            Action.title,
            Action.status,
            raw(Action.created_at).label("created_at"),
            MaturityLevel.rank,
            User.name,
        )
        .join(MaturityLevel, Action.target_level_id == MaturityLevel.id)
        .outerjoin(User, Action.owner_id == User.id)
        .where(Action.id.in_(_org_actions(scope)))
        .where(MaturityLevel.framework_id == framework_id)
        .order_by(Action.id),
    )


def _load_action_details(
    session: Session, scope: Scope
) -> tuple[dict[int, list[MilestoneInput]], set[int], dict[int, date]]:
    """Milestones with their assurance date, actions with rejected evidence, last updates.
    Milestones of closed actions come too (for the on-time record); withdrawn ones never."""
    live = _org_actions(scope)
    with_closed = _org_actions(scope, closed=True)
    born = Milestone.created_at < scope.created_before if scope.created_before else true()
    evidence_rows = session.connection().execute(
        select(
            Evidence.action_id,
            Evidence.milestone_id,
            Evidence.review_status,
            Evidence.reviewed_at,
        ).where(Evidence.action_id.in_(live), Evidence.deleted_at.is_(None))
    )
    accepted_on_milestone: dict[int, date] = {}
    accepted_on_action: dict[int, date] = {}
    milestones_with_evidence: set[int] = set()
    rejected_keys: set[tuple[int, int | None]] = set()
    accepted_keys: set[tuple[int, int | None]] = set()
    for action_id, milestone_id, status, reviewed_at in evidence_rows:
        if milestone_id is not None:
            milestones_with_evidence.add(milestone_id)
        if status == ReviewStatus.REJECTED.value:
            rejected_keys.add((action_id, milestone_id))
        if status != ReviewStatus.ACCEPTED.value or reviewed_at is None:
            continue
        accepted_keys.add((action_id, milestone_id))
        on = reviewed_at.astimezone(LONDON).date()
        target = accepted_on_milestone if milestone_id is not None else accepted_on_action
        key = milestone_id if milestone_id is not None else action_id
        target[key] = min(on, target.get(key, on))
    # Rejected evidence stops being a risk once evidence for the same thing is accepted.
    rejected = {action_id for action_id, m in rejected_keys - accepted_keys}
    milestones: dict[int, list[MilestoneInput]] = defaultdict(list)
    days = Days()
    day, uk_day = days.dates, days.uk
    rows = driver_rows(
        session,
        select(
            Milestone.id,
            Milestone.action_id,
            Milestone.weight,
            raw(Milestone.due_on),
            raw(Milestone.original_due_on),
            raw(Milestone.done_at),
            Milestone.title,
        )
        .where(Milestone.action_id.in_(with_closed), born)
        .where(Milestone.withdrawn_at.is_(None)),
    )
    with_evidence, on_milestone, on_action = (
        milestones_with_evidence,
        accepted_on_milestone.get,
        accepted_on_action.get,
    )
    build = MilestoneInput
    for mid, action_id, weight, due_on, original_due_on, done_at, title in rows:
        assured_on = on_milestone(mid) if mid in with_evidence else on_action(action_id)
        milestones[action_id].append(
            build(
                mid, weight, day[due_on], day[original_due_on], uk_day[done_at], assured_on, title
            )
        )
    last_update = {
        action_id: last
        for action_id, at in session.connection().execute(
            select(ProgressUpdate.action_id, raw(func.max(ProgressUpdate.created_at)))
            .where(ProgressUpdate.action_id.in_(live))
            .group_by(ProgressUpdate.action_id)
        )
        if (last := uk_day[at]) is not None
    }
    return milestones, rejected, last_update
