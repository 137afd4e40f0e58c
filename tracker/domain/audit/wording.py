"""The audit trail in words a person uses: "Status changed from In progress to Review", "Owner
changed to Priya Shah", "Due date set to 3 March 2027", never an id, an enum value or `None`.

Every page that shows audit events (an action's history, the admin audit trail) goes through
`describe_events`, which looks up the names of the people and things the events mention in a
fixed number of queries (one per kind of thing), whatever the number of events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.dates import format_date
from tracker.models import (
    Action,
    AssessmentRound,
    AuditEvent,
    Evidence,
    Milestone,
    Notification,
    Organisation,
    ProgressUpdate,
    User,
)

# What happened, by verb (the entity's kind is said separately where it helps).
VERBS = {
    "assigned": "Assigned",
    "carried_forward": "Carried forward to a new round",
    "cancelled": "Action cancelled",
    "closed": "Closed",
    "created": "Created",
    "deactivated": "Deactivated",
    "deleted": "Deleted",
    "demo_loaded": "Demo loaded",
    "digest_frequency": "Email summary frequency changed",
    "email_preferences": "Email preferences changed",
    "evidence_added": "Evidence added",
    "evidence_reviewed": "Evidence reviewed",
    "evidence_withdrawn": "Evidence withdrawn",
    "imported": "Round imported",
    "invitation_accepted": "Invitation accepted",
    "invitation_sent": "Invitation sent",
    "marked_for_review": "Marked for review",
    "milestone_added": "Milestone added",
    "milestone_done": "Milestone marked as done",
    "milestone_reopened": "Milestone marked as not done",
    "milestone_replanned": "Milestone re-planned",
    "milestone_withdrawn": "Milestone withdrawn",
    "password_change_failed": "Wrong current password when changing password",
    "password_changed": "Password changed",
    "password_reset": "Password reset",
    "password_reset_requested": "Password reset requested",
    "progress_recorded": "Progress recorded",
    "proposed_done": "Proposed as done",
    "reactivated": "Reactivated",
    "removed_with_round": "Removed with the round it came from",
    "made_current": "Became the current round again",
    "reassigned_from_leaver": "Reassigned from a leaver",
    "reopened": "Action reopened",
    "record_outcome": "Outcome recorded",
    "removed": "Removed",
    "replaced": "Round re-imported, replacing its scores",
    "retry": "Emails queued to be sent again",
    "returned_to_work": "Returned to work",
    "role_changed": "Role changed",
    "scores_replaced": "Scores replaced",
    "serves_round_again": "Serves an earlier round again, a later round having been deleted",
    "share_withdrawn": "Sharing with system partners withdrawn",
    "shared": "Results shared with system partners",
    "sign_in_failed": "Sign-in failed",
    "signed_out": "Signed out",
    "sso_linked": "Single sign-on account linked",
    "sso_sign_in_refused": "Single sign-on refused",
    "sso_unlinked": "Single sign-on account unlinked",
    "signed_in": "Signed in",
    "signed_off": "Signed off as completed",
    "spawned": "Action created from a gap",
    "started": "Work started",
    "status_changed": "Status changed",
    "updated": "Updated",
}

# The kind of thing an event is about.
ENTITIES = {
    "action": "Action",
    "assessment_round": "Round",
    "domain_lead": "Component lead",
    "evidence": "Evidence",
    "milestone": "Milestone",
    "notification": "Email",
    "organisation": "Organisation",
    "progress_update": "Progress update",
    "round": "Round",
    "system": "Integrated care system",
    "user": "Person",
}

# Field labels; values of the keys in PERSON_KEYS are user ids, shown as names.
FIELDS = {
    "actions": "Actions",
    "carried_forward": "Actions carried forward",
    "address": "From address",
    "code": "ODS code",
    "component": "Component",
    "deleted_at": "Withdrawn",
    "digest_frequency": "Email summary",
    "email_on_assignment": "Emails about assignments",
    "email_on_evidence_rejected": "Emails about evidence not accepted",
    "done_at": "Done",
    "done_by_id": "Done by",
    "due_on": "Due date",
    "email": "Email address",
    "email_action_closed": "Emails about completed or cancelled actions",
    "filename": "File",
    "held_on": "Held on",
    "ids": "Emails",
    "is_active": "Account",
    "issuer": "Sign-in provider",
    "method": "Signed in with",
    "kind": "Kind",
    "lead_id": "Lead",
    "levels": "Levels",
    "marked_for_review": "Actions moved to review",
    "name": "Name",
    "next_round_on": "Next round",
    "note": "Note",
    "outcome": "Outcome",
    "owner_id": "Owner",
    "percent": "Done",
    "priority": "Priority",
    "reason": "Reason",
    "review_note": "Review note",
    "review_status": "Review",
    "role": "Role",
    "round": "Round",
    "scores": "Scores",
    "size_bytes": "Size",
    "snapshots": "Readiness snapshots",
    "spawned": "Actions created",
    "status": "Status",
    "subject": "Provider account",
    "system": "System",
    "text": "Note",
    "title": "Title",
    "today": "As of",
    "url": "Web address",
    "user": "Person",
    "weight": "Weight",
}
PERSON_KEYS = frozenset({"owner_id", "done_by_id", "lead_id", "director_id", "user_id"})
# Internal references and fingerprints that mean nothing to a reader.
HIDDEN_KEYS = frozenset(
    {
        "action_id", "milestone_id", "sha256", "question_id", "component_id", "round_id",
        "previous_round_id", "spawned_ids", "carried_ids", "review_ids",
    }
)  # fmt: skip

# Stored values and the words people use for them.
VALUES: dict[str, dict[Any, str]] = {
    "status": {
        "not_started": "Not started",
        "in_progress": "In progress",
        "review": "Review",
        "completed": "Completed",
        "cancelled": "Cancelled",
        "open": "Open",
        "closed": "Closed",
        "pending": "Waiting to be sent",
        "failed": "Failed",
        "sent": "Sent",
        "sending": "Sending",
    },
    "review_status": {"pending": "Awaiting review", "accepted": "Accepted", "rejected": "Rejected"},
    "role": {
        "admin": "Admin",
        "director": "Director",
        "owner": "Action owner",
        "viewer": "Viewer",
        "system_viewer": "System viewer",
        "platform_admin": "Platform admin",
    },
    "method": {"password": "Password", "sso": "Single sign-on"},
    "priority": {"low": "Low", "medium": "Medium", "high": "High"},
    "outcome": {
        "verified": "Verified",
        "ineffective": "Not effective",
        "partly_effective": "Partly effective",
        "not_effective": "Not effective",
        "carried_forward": "Carried forward",
    },
    "kind": {"file": "File", "link": "Link", "note": "Note"},
    "digest_frequency": {"monthly": "Monthly", "weekly": "Weekly"},
    "is_active": {True: "Active", False: "Deactivated"},
    "email_on_assignment": {True: "On", False: "Off"},
    "email_on_evidence_rejected": {True: "On", False: "Off"},
    "email_action_closed": {True: "On", False: "Off"},
    "email_kind": {
        "action_cancelled": "Action cancelled",
        "action_completed": "Action completed",
        "digest": "Monthly or weekly summary",
        "escalation": "Escalation to a director",
        "invitation": "Invitation",
        "password_reset": "Password reset",
        "pre_round_7": "Readiness summary, 7 days before the round",
        "pre_round_30": "Readiness summary, 30 days before the round",
        "pre_round_60": "Readiness summary, 60 days before the round",
        "integrity": "Evidence check",
        "assignment": "Action assigned to you",
        "assignment_removed": "Action given to someone else",
        "evidence_rejected": "Evidence not accepted",
    },
}


@dataclass(frozen=True)
class EventInWords:
    """One audit event as a reader sees it."""

    at: datetime
    entity: str
    who: str
    what: str
    about: str
    details: tuple[str, ...]


def file_size(size: int) -> str:
    """A file size the way people read it: 28 B, 3.4 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _date_words(value: str) -> str | None:
    """An ISO date or moment stored in an event, in words; None when it is neither."""
    try:
        if len(value) == 10:
            return format_date(date.fromisoformat(value))
        return format_date(datetime.fromisoformat(value))
    except ValueError:
        return None


def value_words(key: str, value: Any, names: Mapping[int, str]) -> str:
    """One stored value in words, knowing which field it belongs to."""
    if value is None or value == "":
        return "no one" if key in PERSON_KEYS else "not set"
    if key in PERSON_KEYS and isinstance(value, int):
        return names.get(value, "a person no longer listed")
    words = VALUES.get(key, {})
    if isinstance(value, str | bool | int) and value in words:
        return words[value]
    if key == "size_bytes" and isinstance(value, int):
        return file_size(value)
    if key == "percent" and isinstance(value, int):
        return f"{value}%"
    if key == "ids" and isinstance(value, list):
        return _plural(len(value), "email", "emails")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    if isinstance(value, str):
        return _date_words(value) or value
    return str(value)


def _label(key: str) -> str:
    return FIELDS.get(key, key.replace("_", " ").capitalize())


def detail_lines(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, names: Mapping[int, str]
) -> tuple[str, ...]:
    """ "Status changed from In progress to Review", "Owner set to Priya Shah", one per field."""
    before, after = before or {}, after or {}
    lines = []
    for key in [*after, *(k for k in before if k not in after)]:
        if key in HIDDEN_KEYS:
            continue
        label = _label(key)
        if key in before and key in after:
            old = value_words(key, before[key], names)
            new = value_words(key, after[key], names)
            lines.append(f"{label} changed from {old} to {new}")
        elif key in after:
            lines.append(f"{label}: {value_words(key, after[key], names)}")
        else:
            lines.append(f"{label} was {value_words(key, before[key], names)}")
    return tuple(lines)


def _person_ids(events: Iterable[AuditEvent]) -> set[int]:
    ids: set[int] = set()
    for event in events:
        for values in (event.before or {}, event.after or {}):
            ids.update(v for k, v in values.items() if k in PERSON_KEYS and isinstance(v, int))
        if event.entity == "user" and event.entity_id is not None:
            ids.add(event.entity_id)
    return ids


# How to name each kind of thing: (model, the column that names it).
NAMED_BY: dict[str, tuple[Any, Any]] = {
    "action": (Action, Action.title),
    "milestone": (Milestone, Milestone.title),
    "evidence": (Evidence, Evidence.title),
    "assessment_round": (AssessmentRound, AssessmentRound.name),
    "round": (AssessmentRound, AssessmentRound.name),
    "organisation": (Organisation, Organisation.name),
    "notification": (Notification, Notification.subject),
}


def _subject_names(
    session: Session, events: Sequence[AuditEvent], people: Mapping[int, str]
) -> dict[tuple[str, int], str]:
    """What each event is about, by (entity, id): one query per kind of thing."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.entity_id is not None:
            wanted[event.entity].add(event.entity_id)
    names: dict[tuple[str, int], str] = {}
    for entity, ids in wanted.items():
        if entity == "user":
            names.update({("user", i): people.get(i, "a person no longer listed") for i in ids})
        elif entity in NAMED_BY:
            model, column = NAMED_BY[entity]
            for row_id, name in session.execute(select(model.id, column).where(model.id.in_(ids))):
                names[(entity, row_id)] = name
        elif entity == "progress_update":
            for row_id, percent in session.execute(
                select(ProgressUpdate.id, ProgressUpdate.percent).where(ProgressUpdate.id.in_(ids))
            ):
                names[(entity, row_id)] = f"{percent}% done"
    return names


def describe_events(session: Session, events: Sequence[AuditEvent]) -> list[EventInWords]:
    """Each event in words, with the names of the people and things it mentions."""
    ids = _person_ids(events)
    people = (
        dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
        if ids
        else {}
    )
    subjects = _subject_names(session, events, people)
    described = []
    for event in events:
        kind = ENTITIES.get(event.entity, event.entity.replace("_", " ").capitalize())
        subject = subjects.get((event.entity, event.entity_id or 0))
        described.append(
            EventInWords(
                at=event.at,
                entity=event.entity,
                who=event.actor.name if event.actor else "The system",
                what=VERBS.get(event.verb, event.verb.replace("_", " ").capitalize()),
                about=f"{kind}: {subject}" if subject else kind,
                details=detail_lines(event.before, event.after, people),
            )
        )
    return described
