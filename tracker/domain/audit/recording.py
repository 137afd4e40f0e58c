"""Writing the audit trail: every change records who, what, when, and before/after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tracker.domain.boundary import current_scope
from tracker.models import AuditEvent, User


def _plain(value: Any) -> Any:
    """Make a value JSON-friendly (dates become ISO strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def record(
    session: Session,
    actor: User | None,
    entity: str,
    entity_id: int | None,
    verb: str,
    *,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the session (the caller's transaction commits it).

    It joins the trail of the organisation the session is scoped to, else the actor's; with
    neither (a platform admin creating an organisation) it is an installation-level event."""
    organisation_id = current_scope(session) or (actor.organisation_id if actor else None)
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        organisation_id=organisation_id,
        entity=entity,
        entity_id=entity_id,
        verb=verb,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        at=at,
    )
    session.add(event)
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, as (before, after) — keeps audit rows readable."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
