"""The database state the reminder sweeps read, loaded in a constant number of queries.

Every open, owned action comes back as a plain OpenAction with its open milestones, the time of
its last progress update and any rejected evidence not yet followed by newer evidence, so the
sweeps in tracker.domain.reminders.sweeps can work in Python however many owners there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    AssessmentRound,
    AuditEvent,
    Component,
    Evidence,
    Milestone,
    Notification,
    NotificationStatus,
    ProgressUpdate,
    Question,
    ReviewStatus,
    User,
)

# Audit verbs of tracker.domain.actions.updates that give an action a new owner.
OWNER_CHANGES = ("assigned", "reassigned_from_leaver")


@dataclass
class OpenAction:
    """One open, owned action with what a reminder needs to say about it."""

    id: int
    title: str
    owner_id: int
    component_id: int
    component_name: str
    question_number: int
    organisation_id: int
    last_activity: datetime
    open_milestones: list[tuple[str, date]] = field(default_factory=list)
    rejected_evidence: list[str] = field(default_factory=list)
    # When the action last changed hands (None: never, since it was created): reminders sent
    # to its owner before then cannot have been ignored for this action.
    owned_since: datetime | None = None

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/actions/{self.id}"


# Work the sweeps chase. Closed actions (completed, cancelled) never; actions in review wait
# for their director's decision (the decisions queue), not for their owner.
CHASED_STATUSES = [s.value for s in OPEN_STATUSES if s != ActionStatus.REVIEW]


def _open_action_ids() -> Select[int]:
    return select(Action.id).where(
        Action.status.in_(CHASED_STATUSES),
        Action.deleted_at.is_(None),
        Action.owner_id.is_not(None),
    )


def load_open_actions(session: Session) -> dict[int, OpenAction]:
    """Every open, owned action with its open milestones, last progress update and rejected
    evidence: four queries however many actions there are."""
    open_ids = _open_action_ids()
    rows = session.execute(
        select(Action, Question.number, Component.id, Component.name, AssessmentRound)
        .join(Question, Action.question_id == Question.id)
        .join(Component, Question.component_id == Component.id)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(Action.id.in_(open_ids))
        .order_by(Action.id)
    ).all()
    actions = {
        action.id: OpenAction(
            id=action.id,
            title=action.title,
            owner_id=action.owner_id,
            component_id=component_id,
            component_name=component_name,
            question_number=number,
            organisation_id=assessment_round.organisation_id,
            last_activity=action.created_at,
        )
        for action, number, component_id, component_name, assessment_round in rows
        # Always true (the query keeps owned actions only); narrows owner_id to int.
        if action.owner_id is not None
    }
    for action_id, title, due_on in session.execute(
        select(Milestone.action_id, Milestone.title, Milestone.due_on)
        .where(Milestone.done_at.is_(None), Milestone.action_id.in_(open_ids))
        .where(Milestone.withdrawn_at.is_(None))
        .order_by(Milestone.due_on, Milestone.id)
    ):
        actions[action_id].open_milestones.append((title, due_on))
    for action_id, latest in session.execute(
        select(ProgressUpdate.action_id, func.max(ProgressUpdate.created_at))
        .where(ProgressUpdate.action_id.in_(open_ids))
        .group_by(ProgressUpdate.action_id)
    ):
        if latest is not None:
            actions[action_id].last_activity = _aware(latest)
    _attach_rejected_evidence(session, actions, open_ids)
    _attach_owned_since(session, actions, open_ids)
    return actions


def _attach_owned_since(
    session: Session, actions: dict[int, OpenAction], open_ids: Select[int]
) -> None:
    """When each open action last got its owner (an audited assignment that changed the owner)."""
    for action_id, at, after in session.execute(
        select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.after).where(
            AuditEvent.entity == "action",
            AuditEvent.verb.in_(OWNER_CHANGES),
            AuditEvent.entity_id.in_(open_ids),
        )
    ):
        action = actions.get(action_id) if action_id is not None else None
        if action is None or not after or "owner_id" not in after:
            continue
        if action.owned_since is None or at > action.owned_since:
            action.owned_since = _aware(at)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _attach_rejected_evidence(
    session: Session, actions: dict[int, OpenAction], open_ids: Select[int]
) -> None:
    """Rejected evidence the owner has not yet followed with newer evidence."""
    latest_upload: dict[int, datetime] = {}
    rejected: list[tuple[int, str, datetime]] = []
    for evidence in session.scalars(
        select(Evidence).where(Evidence.deleted_at.is_(None), Evidence.action_id.in_(open_ids))
    ):
        uploaded = evidence.uploaded_at
        if evidence.action_id not in latest_upload or uploaded > latest_upload[evidence.action_id]:
            latest_upload[evidence.action_id] = uploaded
        if evidence.review_status == ReviewStatus.REJECTED:
            label = evidence.title or evidence.original_filename or evidence.url or "Evidence"
            rejected.append((evidence.action_id, label, evidence.reviewed_at or uploaded))
    for action_id, label, rejected_at in rejected:
        if latest_upload[action_id] <= rejected_at:
            actions[action_id].rejected_evidence.append(label)


def next_round_dates(session: Session, today: date) -> dict[int, date]:
    """Each organisation's next re-measurement date (from its latest round, by date held then
    id, as readiness chooses it), if still ahead."""
    latest: dict[int, tuple[date, date | None]] = {}
    for org_id, held_on, next_on in session.execute(
        select(
            AssessmentRound.organisation_id, AssessmentRound.held_on, AssessmentRound.next_round_on
        ).order_by(AssessmentRound.held_on, AssessmentRound.id)
    ):
        latest[org_id] = (held_on, next_on)
    return {org: nxt for org, (_, nxt) in latest.items() if nxt is not None and nxt >= today}


def active_owners(session: Session) -> list[User]:
    """Active users who own at least one open action (one query)."""
    return list(
        session.scalars(
            select(User)
            .where(User.id.in_(open_action_owner_ids()), User.is_active)
            .order_by(User.id)
        )
    )


def open_action_owner_ids() -> Select[int | None]:
    return select(Action.owner_id).where(Action.id.in_(_open_action_ids()))


def digests_sent_since(session: Session, owner_ids: Iterable[int]) -> dict[int, list[datetime]]:
    """When each owner's digests were sent (one query)."""
    sent: dict[int, list[datetime]] = defaultdict(list)
    wanted = set(owner_ids)
    for recipient_id, sent_at in session.execute(
        select(Notification.recipient_id, Notification.sent_at).where(
            Notification.kind == "digest",
            Notification.status == NotificationStatus.SENT,
            Notification.sent_at.is_not(None),
        )
    ):
        # sent_at is never None here (filtered above); the check narrows its type.
        if recipient_id in wanted and sent_at is not None:
            sent[recipient_id].append(_aware(sent_at))
    return sent


@dataclass
class UnplannedAction:
    """An open action nobody owns, or with no milestones: nothing will move it until someone
    picks it up or plans it, so the directors of its component hear of it."""

    id: int
    title: str
    component_id: int
    component_name: str
    owner_id: int | None
    has_milestones: bool

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/actions/{self.id}"


def load_unplanned_actions(session: Session) -> list[UnplannedAction]:
    """Every open action with no owner or no milestones (one query)."""
    planned = select(Milestone.action_id).where(Milestone.withdrawn_at.is_(None))
    rows = session.execute(
        select(
            Action.id,
            Action.title,
            Action.owner_id,
            Component.id,
            Component.name,
            Action.id.in_(planned),
        )
        .join(Question, Action.question_id == Question.id)
        .join(Component, Question.component_id == Component.id)
        .where(
            # In review waits on the decisions queue; closed work is never chased.
            Action.status.in_(CHASED_STATUSES),
            Action.deleted_at.is_(None),
            Action.owner_id.is_(None) | Action.id.not_in(planned),
        )
        .order_by(Action.id)
    ).all()
    return [
        UnplannedAction(
            id=action_id, title=title, component_id=component_id, component_name=component_name,
            owner_id=owner_id, has_milestones=bool(has_milestones),
        )
        for action_id, title, owner_id, component_id, component_name, has_milestones in rows
    ]  # fmt: skip
