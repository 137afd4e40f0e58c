"""Milestones: adding them, ticking them done (or un-ticking), re-planning with a reason and
withdrawing one added by mistake.

`original_due_on` is set once and never changes, so every re-plan stays visible next to the
first plan; each re-plan is also kept as a MilestoneReplan row with the reason given. A new or
re-planned date is never in the past (UK today, from the `now` passed in): a past date would
count at once as a missed milestone. A withdrawn milestone stays in the history and counts
nowhere.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.domain import audit
from tracker.domain.actions import lifecycle
from tracker.domain.dates import LONDON
from tracker.domain.errors import DomainError, NotFound, check_version
from tracker.models import Action, Milestone, MilestoneReplan, Question, User


def load_milestone(session: Session, action: Action, milestone_id: int) -> Milestone:
    """A milestone of this action (another action's milestone is simply not found)."""
    milestone = session.scalar(
        select(Milestone)
        .options(
            joinedload(Milestone.action).joinedload(Action.question).joinedload(Question.component)
        )
        .where(Milestone.id == milestone_id, Milestone.action_id == action.id)
    )
    if milestone is None:
        raise NotFound("Milestone not found")
    return milestone


def check_not_past(due_on: date, now: datetime, message: str) -> None:
    """Refuse a due date before today (UK time)."""
    today = now.astimezone(LONDON).date()
    if due_on < today:
        raise DomainError(f"{message} must be today or later", "due_on")


def check_live(milestone: Milestone) -> None:
    """Refuse changes to a withdrawn milestone."""
    if milestone.withdrawn_at is not None:
        raise DomainError("This milestone has been withdrawn and can no longer change")


def add_milestone(
    session: Session,
    actor: User,
    action: Action,
    *,
    title: str,
    weight: int | None,
    due_on: date | None,
    now: datetime,
) -> Milestone:
    """Add a dated step to an action; its weight says how much of the action it represents."""
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter what the milestone is", "title")
    if len(title) > 300:
        raise DomainError("Milestone title must be 300 characters or fewer", "title")
    if weight is None or weight < 1 or weight > 100:
        raise DomainError("Weight must be a whole number from 1 to 100", "weight")
    if due_on is None:
        raise DomainError("Enter the date the milestone is due", "due_on")
    check_not_past(due_on, now, "The due date")
    lifecycle.check_open(action)
    milestone = Milestone(
        action=action, title=title, weight=weight, original_due_on=due_on, due_on=due_on,
        created_at=now,
    )  # fmt: skip
    session.add(milestone)
    session.flush()
    audit.record(
        session, actor, "milestone", milestone.id, "milestone_added", at=now,
        after={"action_id": action.id, "title": title, "weight": weight, "due_on": due_on},
    )  # fmt: skip
    return milestone


def set_done(
    session: Session,
    actor: User,
    milestone: Milestone,
    *,
    done: bool,
    now: datetime,
    expected_version: int | None = None,
) -> bool:
    """Tick a milestone done (recording who and when) or un-tick it. False if unchanged.
    A page showing an older version of the milestone is refused (see check_version). Ticking
    one moves a not-started action to in progress by itself."""
    check_version(milestone.version, expected_version)
    check_live(milestone)
    lifecycle.check_open(milestone.action)
    if done == (milestone.done_at is not None):
        return False
    before = {"done_at": milestone.done_at, "done_by_id": milestone.done_by_id}
    milestone.done_at = now if done else None
    milestone.done_by_id = actor.id if done else None
    audit.record(
        session, actor, "milestone", milestone.id, "milestone_done" if done else "milestone_reopened",
        at=now, before=before, after={"done_at": milestone.done_at, "done_by_id": milestone.done_by_id},
    )  # fmt: skip
    if done:
        lifecycle.automatic(session, actor, milestone.action, lifecycle.Move.START, now=now)
    session.flush()
    return True


def replan(
    session: Session,
    actor: User,
    milestone: Milestone,
    *,
    new_due_on: date | None,
    reason: str,
    now: datetime,
    expected_version: int | None = None,
) -> MilestoneReplan:
    """Move a milestone's due date, keeping the old date and the reason as history. Two
    re-plans from pages showing the same date cannot both win: the second is refused."""
    check_version(milestone.version, expected_version)
    check_live(milestone)
    if new_due_on is None:
        raise DomainError("Enter the new due date", "due_on")
    if new_due_on == milestone.due_on:
        raise DomainError("The new due date is the same as the current one", "due_on")
    check_not_past(new_due_on, now, "The new due date")
    lifecycle.check_open(milestone.action)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter the reason for re-planning", "reason")
    replanned = MilestoneReplan(
        milestone=milestone, old_due_on=milestone.due_on, new_due_on=new_due_on, reason=reason,
        replanned_by=actor, replanned_at=now,
    )  # fmt: skip
    session.add(replanned)
    audit.record(
        session, actor, "milestone", milestone.id, "milestone_replanned", at=now,
        before={"due_on": milestone.due_on},
        after={"due_on": new_due_on, "reason": reason},
    )  # fmt: skip
    milestone.due_on = new_due_on
    session.flush()
    return replanned


def withdraw(
    session: Session,
    actor: User,
    milestone: Milestone,
    *,
    reason: str,
    now: datetime,
    expected_version: int | None = None,
) -> Milestone:
    """Withdraw a milestone added by mistake (the caller checked the actor leads the action's
    component or is an admin). It is kept, with who withdrew it, when and why, and from then
    on counts nowhere: readiness, the on-time record, digests and escalations."""
    check_version(milestone.version, expected_version)
    check_live(milestone)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter the reason for withdrawing the milestone", "reason")
    if len(reason) > 2000:
        raise DomainError("The reason must be 2,000 characters or fewer", "reason")
    milestone.withdrawn_at = now
    milestone.withdrawn_by_id = actor.id
    milestone.withdraw_reason = reason
    audit.record(
        session, actor, "milestone", milestone.id, "milestone_withdrawn", at=now,
        after={"title": milestone.title, "reason": reason},
    )  # fmt: skip
    session.flush()
    return milestone
