"""The emails a single change sends: an action given to someone (to its new owner, and to its
previous owner), and evidence not accepted (to the person who added it and the action's owner).

Each email is one outbox row per person per event: the period is the change's first audit
event, so queuing it again (a retry of the same transaction) cannot send it twice, and a bulk
assignment of five actions to one person is one email listing the five. Nobody is emailed
about a change they made themselves, a deactivated person gets nothing, and each kind can be
turned off (User.email_on_assignment, User.email_on_evidence_rejected).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.domain.outbox.queue import EmailRow, Renderer, email_row, enqueue_many
from tracker.models import Action, AuditEvent, Evidence, User

ASSIGNED = "assignment"
UNASSIGNED = "assignment_removed"
REJECTED = "evidence_rejected"


@dataclass(frozen=True)
class Notifier:
    """How the emails of a change are rendered and linked; the app builds one per request
    (tracker.core.notices) so the domain needs neither Flask nor the site's address."""

    base_url: str
    render: Renderer

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def context(self, person: User) -> dict[str, object]:
        return {"name": person.name, "preferences_link": self.url("/account/preferences")}


def _wants(person: User | None, actor: User, flag: str) -> bool:
    return (
        person is not None
        and person.id != actor.id
        and person.is_active
        and bool(getattr(person, flag))
    )


def _period(event: AuditEvent) -> str:
    return f"event-{event.id}"


def _line(action: Action, notify: Notifier) -> dict[str, object]:
    return {"title": action.title, "link": notify.url(f"/actions/{action.id}")}


def queue_assignment_notices(
    session: Session,
    actor: User,
    moves: Sequence[tuple[Action, int | None]],
    *,
    event: AuditEvent,
    notify: Notifier,
) -> int:
    """Tell each new owner which actions are now theirs, and each previous owner which of theirs
    went to whom. `moves` are (action, previous owner id) for actions that changed hands in one
    change whose first audit event is `event`. Returns how many emails were queued."""
    given: dict[int, list[Action]] = defaultdict(list)
    taken: dict[int, list[Action]] = defaultdict(list)
    for action, previous_id in moves:
        if action.owner_id is not None:
            given[action.owner_id].append(action)
        if previous_id is not None:
            taken[previous_id].append(action)
    rows: list[EmailRow] = []
    for person_id, actions in given.items():
        person = session.get(User, person_id)
        if person is not None and _wants(person, actor, "email_on_assignment"):
            rows.append(_assigned_email(person, actor, actions, event, notify))
    for person_id, actions in taken.items():
        person = session.get(User, person_id)
        if person is not None and _wants(person, actor, "email_on_assignment"):
            rows.append(_unassigned_email(person, actor, actions, event, notify))
    return enqueue_many(session, rows, now=event.at)


def _assigned_email(
    person: User, actor: User, actions: list[Action], event: AuditEvent, notify: Notifier
) -> EmailRow:
    lines = [_line(action, notify) for action in actions]
    subject = (
        f"Action assigned to you: {actions[0].title}"
        if len(actions) == 1
        else f"{len(actions)} actions assigned to you"
    )
    context = {**notify.context(person), "by": actor.name, "actions": lines}
    text, html = notify.render(ASSIGNED, context)
    link = str(lines[0]["link"]) if len(lines) == 1 else notify.url("/my-actions")
    return email_row(person, ASSIGNED, _period(event), subject[:300], text, html, link)


def _unassigned_email(
    person: User, actor: User, actions: list[Action], event: AuditEvent, notify: Notifier
) -> EmailRow:
    lines = [
        {**_line(action, notify), "owner": action.owner.name if action.owner else "no one"}
        for action in actions
    ]
    subject = (
        f"An action you owned is now with {lines[0]['owner']}: {actions[0].title}"
        if len(actions) == 1
        else f"{len(actions)} actions you owned now have a new owner"
    )
    context = {**notify.context(person), "by": actor.name, "actions": lines}
    text, html = notify.render(UNASSIGNED, context)
    link = str(lines[0]["link"]) if len(lines) == 1 else notify.url("/my-actions")
    return email_row(person, UNASSIGNED, _period(event), subject[:300], text, html, link)


def queue_rejection_notices(
    session: Session, actor: User, evidence: Evidence, *, event: AuditEvent, notify: Notifier
) -> int:
    """Tell the person who added the evidence, and the action's owner, that it was not
    accepted, with the reviewer's note. Returns how many emails were queued."""
    action = evidence.action
    people = {p.id: p for p in (evidence.uploaded_by, action.owner) if p is not None}
    link = notify.url(f"/actions/{action.id}#evidence")
    rows = []
    for person in people.values():
        if not _wants(person, actor, "email_on_evidence_rejected"):
            continue
        context = {
            **notify.context(person),
            "by": actor.name,
            "evidence": evidence.title or evidence.original_filename or "Your evidence",
            "action": action.title,
            "note": evidence.review_note,
            "link": link,
            "added_by_them": evidence.uploaded_by_id == person.id,
        }
        text, html = notify.render(REJECTED, context)
        subject = f"Evidence not accepted: {action.title}"[:300]
        rows.append(email_row(person, REJECTED, _period(event), subject, text, html, link))
    return enqueue_many(session, rows, now=event.at)
