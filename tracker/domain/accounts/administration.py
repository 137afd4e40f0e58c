"""What admins do to people: change roles, deactivate and reactivate, choose component leads.

Every change is audited with before and after. An admin cannot demote or deactivate
themselves, so the installation always keeps at least the admin who is acting. Deactivating
bumps the session version, which ends the user's sessions at their next request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import DomainError
from tracker.models import Component, DomainLead, Role, User


def change_role(session: Session, actor: User, user: User, role: str, *, now: datetime) -> None:
    """Give a user another role. Leaving the director role also ends their component leads,
    since only directors lead components."""
    if role not in {r.value for r in Role}:
        raise DomainError(f"Role must be one of: {', '.join(r.value for r in Role)}", "role")
    if user.id == actor.id:
        raise DomainError("You cannot change your own role: ask another admin", "role")
    if role == user.role:
        raise DomainError(f"{user.name} is already {_article(role)} {role}", "role")
    before = {"role": user.role}
    if user.role == Role.DIRECTOR:
        for lead in session.scalars(
            select(DomainLead).where(DomainLead.user_id == user.id).order_by(DomainLead.id)
        ):
            _delete_lead(session, actor, lead, now=now)
    user.role = role
    audit.record(
        session, actor, "user", user.id, "role_changed", at=now, before=before, after={"role": role}
    )


def deactivate(session: Session, actor: User, user: User, *, now: datetime) -> None:
    """Stop a user signing in and end their sessions; their history and actions stay."""
    if user.id == actor.id:
        raise DomainError("You cannot deactivate your own account: ask another admin")
    if not user.is_active:
        raise DomainError(f"{user.name} is already deactivated")
    user.is_active = False
    user.session_version += 1
    audit.record(
        session,
        actor,
        "user",
        user.id,
        "deactivated",
        at=now,
        before={"is_active": True},
        after={"is_active": False},
    )


def reactivate(session: Session, actor: User, user: User, *, now: datetime) -> None:
    """Let a deactivated user sign in again."""
    if user.is_active:
        raise DomainError(f"{user.name} is already active")
    user.is_active = True
    audit.record(
        session,
        actor,
        "user",
        user.id,
        "reactivated",
        at=now,
        before={"is_active": False},
        after={"is_active": True},
    )


def assign_lead(
    session: Session, actor: User, *, user: User, component: Component, now: datetime
) -> DomainLead:
    """Make an active director accountable for a component (a component may have several)."""
    if user.role != Role.DIRECTOR or not user.is_active:
        raise DomainError("Only active users with the director role can lead a component", "user")
    existing = session.scalar(
        select(DomainLead.id).where(
            DomainLead.user_id == user.id, DomainLead.component_id == component.id
        )
    )
    if existing is not None:
        raise DomainError(f"{user.name} already leads {component.name}", "user")
    lead = DomainLead(user=user, component=component)
    session.add(lead)
    session.flush()
    audit.record(
        session,
        actor,
        "domain_lead",
        lead.id,
        "assigned",
        at=now,
        after={"user": user.email, "component": component.name},
    )
    return lead


def remove_lead(session: Session, actor: User, lead: DomainLead, *, now: datetime) -> None:
    """Stop a director leading a component (their actions and reviews stay as they are)."""
    _delete_lead(session, actor, lead, now=now)


def _delete_lead(session: Session, actor: User, lead: DomainLead, *, now: datetime) -> None:
    audit.record(
        session,
        actor,
        "domain_lead",
        lead.id,
        "removed",
        at=now,
        before={"user": lead.user.email, "component": lead.component.name},
    )
    session.delete(lead)
    session.flush()


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
