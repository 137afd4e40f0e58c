"""Changing actions: assignment (with optimistic locking) and progress updates (status moves
live in tracker.domain.actions.lifecycle).

Every function takes the session, the acting user and `now`, records an audit event with
before/after, and leaves committing to the caller (one transaction per request or command).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.domain import audit
from tracker.domain.actions import lifecycle
from tracker.domain.errors import CONFLICT_MESSAGE, Conflict, DomainError, NotFound
from tracker.domain.notices import Notifier, queue_assignment_notices
from tracker.models import (
    OPEN_STATUSES,
    Action,
    AssessmentRound,
    AuditEvent,
    Evidence,
    Milestone,
    MilestoneReplan,
    Priority,
    ProgressUpdate,
    Question,
    Role,
    User,
)

# Who can be given an action: action owners. Admins run the service and directors assign and
# sign off the work, so neither is offered as an owner; viewers only read, and people who have
# left (deactivated) cannot sign in. Actions a director already owns stay theirs.
ASSIGNABLE_ROLES = (Role.OWNER,)


def load_action(session: Session, action_id: int) -> Action:
    """The live (not deleted) action with its question loaded, for permission checks."""
    action = session.scalar(
        select(Action)
        .options(joinedload(Action.question), joinedload(Action.round))
        .where(Action.id == action_id, Action.deleted_at.is_(None))
    )
    if action is None:
        raise NotFound("Action not found")
    return action


def eligible_owners(session: Session, organisation_id: int) -> Sequence[User]:
    """Active action owners of the organisation, by name: whom an owner picker offers (not
    admins, directors, viewers or people who have left)."""
    return session.scalars(
        select(User)
        .where(
            User.organisation_id == organisation_id,
            User.is_active.is_(True),
            User.role.in_([r.value for r in ASSIGNABLE_ROLES]),
        )
        .order_by(User.name, User.id)
    ).all()


def organisation_people(session: Session, organisation_id: int) -> Sequence[User]:
    """Everyone in the organisation, active or not, by name (who may be leaving it)."""
    return session.scalars(
        select(User).where(User.organisation_id == organisation_id).order_by(User.name)
    ).all()


def _person(session: Session, user_id: int | None) -> User | None:
    """The person a form chose by id; None when it names nobody (the change then refuses it)."""
    return session.get(User, user_id) if user_id is not None else None


def check_owner(owner: User | None, action: Action) -> User:
    """An owner must exist, be active, be allowed to own work and belong to the action's trust.

    Someone from another organisation gets the same answer as nobody at all, so the message
    never tells whether an id exists elsewhere (the organisation boundary hides them anyway)."""
    if (
        owner is None
        or not owner.is_active
        or owner.role not in ASSIGNABLE_ROLES
        or owner.organisation_id != action.round.organisation_id
    ):
        raise DomainError("Choose an active person who can own actions", "owner")
    return owner


def check_version(action: Action, expected_version: int | None) -> None:
    """Refuse a save made from a page showing an older version of the action."""
    if expected_version is None or expected_version != action.version:
        raise Conflict(CONFLICT_MESSAGE)


def _snapshot(action: Action) -> dict[str, object]:
    return {
        "owner_id": action.owner_id,
        "due_on": action.due_on,
        "priority": action.priority,
        "status": action.status,
    }


def assign(
    session: Session,
    actor: User,
    action: Action,
    *,
    owner: User | None,
    due_on: date | None,
    priority: str,
    now: datetime,
    expected_version: int | None = None,
    notify: Notifier | None = None,
) -> bool:
    """Set an action's owner, due date and priority. Returns False when nothing changed.

    `expected_version` (from the form) enables optimistic locking; bulk changes pass None
    and skip it, since they carry no page version. With `notify`, a change of owner emails
    the new and the previous owner (tracker.domain.notices).
    """
    if expected_version is not None:
        check_version(action, expected_version)
    check_owner(owner, action)
    if priority not in set(Priority):
        raise DomainError("Choose a priority", "priority")
    before = _snapshot(action)
    action.owner_id = owner.id if owner else None
    action.owner = owner
    action.due_on = due_on
    action.priority = priority
    old, new = audit.changes(before, _snapshot(action))
    if not new:
        return False
    event = audit.record(
        session, actor, "action", action.id, "assigned", at=now, before=old, after=new
    )
    session.flush()
    if notify is not None and "owner_id" in new:
        moves = [(action, old["owner_id"])]
        queue_assignment_notices(session, actor, moves, event=event, notify=notify)
    return True


def assign_by_id(
    session: Session,
    actor: User,
    action: Action,
    *,
    owner_id: int | None,
    due_on: date | None,
    priority: str,
    now: datetime,
    expected_version: int | None = None,
    notify: Notifier | None = None,
) -> bool:
    """`assign`, with the owner given by id as the assignment form sends it; an id naming
    nobody is refused like any other unsuitable owner. One call, so the page's request makes
    one domain call."""
    return assign(
        session, actor, action, owner=_person(session, owner_id), due_on=due_on,
        priority=priority, now=now, expected_version=expected_version, notify=notify,
    )  # fmt: skip


def actions_in_component(
    session: Session, component_id: int, action_ids: Sequence[int]
) -> list[Action]:
    """The chosen (not deleted) actions, refusing any that belong to another component, so a
    director's bulk assignment cannot reach outside the domain whose page they used."""
    ids = sorted(set(action_ids))
    chosen = session.scalars(
        select(Action)
        .join(Question, Action.question_id == Question.id)
        .where(
            Action.id.in_(ids),
            Question.component_id == component_id,
            Action.deleted_at.is_(None),
        )
    ).all()
    if len(chosen) != len(ids):
        raise DomainError("Select actions from this domain only", "action_ids")
    return list(chosen)


def bulk_assign(
    session: Session,
    actor: User,
    actions: Sequence[Action],
    owner: User | None,
    *,
    now: datetime,
    notify: Notifier | None = None,
    due_on: date | None = None,
    priority: str | None = None,
) -> int:
    """Give several actions to one owner in one step, and, when given, one due date and one
    priority to all of them (None keeps each action's own). Returns how many changed. With
    `notify`, the new owner gets one email listing those that changed hands, and each
    previous owner one."""
    if not actions:
        raise DomainError("Select at least one action", "action_ids")
    if priority is not None and priority not in set(Priority):
        raise DomainError("Choose a priority", "priority")
    moves: list[tuple[Action, int | None]] = []
    events: list[AuditEvent] = []
    changed = 0
    for action in actions:
        check_owner(owner, action)
        before = _snapshot(action)
        previous_owner_id = action.owner_id
        action.owner = owner
        action.owner_id = owner.id if owner else None
        if due_on is not None:
            action.due_on = due_on
        if priority is not None:
            action.priority = priority
        old, new = audit.changes(before, _snapshot(action))
        if not new:
            continue
        event = audit.record(
            session, actor, "action", action.id, "assigned", at=now, before=old, after=new,
        )  # fmt: skip
        if previous_owner_id != action.owner_id:
            moves.append((action, previous_owner_id))
            events.append(event)
        changed += 1
    session.flush()
    if notify is not None and moves:
        queue_assignment_notices(session, actor, moves, event=events[0], notify=notify)
    return changed


@dataclass(frozen=True)
class BulkAssignment:
    """What a bulk assignment did: how many actions changed hands, and to whom."""

    changed: int
    owner: User


def bulk_assign_in_component(
    session: Session,
    actor: User,
    component_id: int,
    action_ids: Sequence[int],
    owner_id: int | None,
    *,
    now: datetime,
    notify: Notifier | None = None,
    due_on: date | None = None,
    priority: str | None = None,
) -> BulkAssignment:
    """Bulk assignment from a domain page: choose the page's actions (refusing any from
    another component, see `actions_in_component`), then give them all to the person with
    `owner_id`, with the due date and priority when given (see `bulk_assign`). One function,
    so the page's request makes one domain call;
    the owner comes back for the confirmation message."""
    chosen = actions_in_component(session, component_id, action_ids)
    owner = _person(session, owner_id)
    changed = bulk_assign(
        session, actor, chosen, owner, now=now, notify=notify, due_on=due_on, priority=priority
    )
    # bulk_assign refused an empty choice and checked the owner against every action.
    return BulkAssignment(changed, check_owner(owner, chosen[0]))


def reassign_leaver(
    session: Session,
    actor: User,
    *,
    leaver: User | None,
    new_owner: User | None,
    component_ids: Collection[int] | None,
    now: datetime,
    notify: Notifier | None = None,
) -> int:
    """Move all of a leaver's open actions to another owner in one step.

    `component_ids` limits the move to the components a director leads (None: all, for admins).
    Returns the number of actions moved; a leaver with nothing to move is not an error. With
    `notify`, the new owner gets one email listing them (and the leaver one, while active).
    """
    if leaver is None:
        raise DomainError("Choose the person who is leaving", "leaver")
    if new_owner is not None and new_owner.id == leaver.id:
        raise DomainError("Choose someone other than the person who is leaving", "new_owner")
    query = (
        select(Action)
        .join(Action.question)
        .join(Action.round)
        .options(joinedload(Action.round))
        .where(
            Action.owner_id == leaver.id,
            Action.deleted_at.is_(None),
            Action.status.in_([s.value for s in OPEN_STATUSES]),
            AssessmentRound.organisation_id == leaver.organisation_id,
        )
        .order_by(Action.id)
    )
    if component_ids is not None:
        query = query.where(Question.component_id.in_(list(component_ids)))
    actions = session.scalars(query).all()
    for action in actions:
        check_owner(new_owner, action)
    events = []
    for action in actions:
        action.owner = new_owner
        events.append(audit.record(
            session, actor, "action", action.id, "reassigned_from_leaver", at=now,
            before={"owner_id": leaver.id}, after={"owner_id": new_owner.id if new_owner else None},
        ))  # fmt: skip
    session.flush()
    if notify is not None and events:
        moves = [(action, leaver.id) for action in actions]
        queue_assignment_notices(session, actor, moves, event=events[0], notify=notify)
    return len(actions)


def reassign_leaver_by_id(
    session: Session,
    actor: User,
    *,
    leaver_id: int | None,
    new_owner_id: int | None,
    component_ids: Collection[int] | None,
    now: datetime,
    notify: Notifier | None = None,
) -> int:
    """`reassign_leaver`, with both people given by id as the leaver form sends them (an id
    naming nobody is refused on its field). One call, so the page's request makes one domain
    call."""
    return reassign_leaver(
        session, actor, leaver=_person(session, leaver_id),
        new_owner=_person(session, new_owner_id), component_ids=component_ids, now=now,
        notify=notify,
    )  # fmt: skip


def add_progress(
    session: Session, actor: User, action: Action, *, percent: int | None, text: str, now: datetime
) -> ProgressUpdate:
    """Record how the work is going: an estimated percentage done and a short note. A
    not-started action moves to in progress by itself; a closed one takes no updates."""
    lifecycle.check_open(action)
    if percent is None or not 0 <= percent <= 100:
        raise DomainError("Enter a percentage between 0 and 100", "percent")
    text = (text or "").strip()
    if not text:
        raise DomainError("Enter a note saying how the work is going", "note")
    update = ProgressUpdate(action=action, author=actor, text=text, percent=percent, created_at=now)
    session.add(update)
    session.flush()
    audit.record(
        session, actor, "progress_update", update.id, "progress_recorded", at=now,
        after={"action_id": action.id, "percent": percent, "text": text},
    )  # fmt: skip
    lifecycle.automatic(session, actor, action, lifecycle.Move.START, now=now)
    return update


def load_action_page(session: Session, action_id: int) -> Action:
    """The action with everything its page shows, loaded in a fixed number of queries."""
    action = session.scalar(
        select(Action)
        .options(
            joinedload(Action.question).joinedload(Question.component),
            joinedload(Action.round),
            joinedload(Action.owner),
            joinedload(Action.lead),
            joinedload(Action.target_level),
            selectinload(Action.milestones)
            .selectinload(Milestone.replans)
            .joinedload(MilestoneReplan.replanned_by),
            selectinload(Action.milestones).joinedload(Milestone.done_by),
            selectinload(Action.updates).joinedload(ProgressUpdate.author),
            selectinload(Action.evidence).joinedload(Evidence.uploaded_by),
            selectinload(Action.evidence).joinedload(Evidence.reviewed_by),
            selectinload(Action.evidence).joinedload(Evidence.milestone),
        )
        .where(Action.id == action_id, Action.deleted_at.is_(None))
    )
    if action is None:
        raise NotFound("Action not found")
    return action


def history(session: Session, action: Action) -> Sequence[AuditEvent]:
    """The action's audit trail, newest first: its own changes and those of its milestones,
    progress updates and evidence (one query, whatever their number)."""
    parts = [(AuditEvent.entity == "action") & (AuditEvent.entity_id == action.id)]
    for entity, ids in (
        ("milestone", [m.id for m in action.milestones]),
        ("progress_update", [u.id for u in action.updates]),
        ("evidence", [e.id for e in action.evidence]),
    ):
        if ids:
            parts.append((AuditEvent.entity == entity) & AuditEvent.entity_id.in_(ids))
    return session.scalars(
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(or_(*parts))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()
