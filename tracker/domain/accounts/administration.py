"""What admins do to people: change roles, deactivate and reactivate, choose component leads;
and the lists and look-ups of people and leads their pages show.

Every change is audited with before and after. An admin cannot demote or deactivate
themselves, so the installation always keeps at least the admin who is acting. Deactivating
bumps the session version, which ends the user's sessions at their next request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.domain import audit
from tracker.domain.errors import DomainError, NotFound
from tracker.models import Component, DomainLead, Role, User


def list_users(session: Session) -> list[User]:
    """Everyone with an account, active or not, by name (the admins' list of people)."""
    return list(session.scalars(select(User).order_by(User.name, User.id)))


def load_user(session: Session, user_id: int) -> User:
    """The user with this id; NotFound when there is none."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no user with this id")
    return user


def leads_of(session: Session, user: User) -> list[DomainLead]:
    """The components `user` leads, with each component loaded, in the order they were given."""
    return list(
        session.scalars(
            select(DomainLead)
            .options(joinedload(DomainLead.component))
            .where(DomainLead.user_id == user.id)
            .order_by(DomainLead.id)
        )
    )


def components_in_order(session: Session) -> list[Component]:
    """Every component, framework by framework in position order: what a director can lead."""
    return list(
        session.scalars(select(Component).order_by(Component.framework_id, Component.position))
    )


def active_directors(session: Session) -> list[User]:
    """Active users with the director role, by name: who can be made a component lead."""
    return list(
        session.scalars(
            select(User).where(User.role == Role.DIRECTOR, User.is_active).order_by(User.name)
        )
    )


def leads_by_component(session: Session) -> dict[int, list[DomainLead]]:
    """Every component lead (with its director loaded), grouped by component id, oldest first."""
    leads = session.scalars(
        select(DomainLead).options(joinedload(DomainLead.user)).order_by(DomainLead.id)
    )
    by_component: dict[int, list[DomainLead]] = {}
    for lead in leads:
        by_component.setdefault(lead.component_id, []).append(lead)
    return by_component


def load_lead(session: Session, lead_id: int) -> DomainLead:
    """The component lead with this id; NotFound when there is none."""
    lead = session.get(DomainLead, lead_id)
    if lead is None:
        raise NotFound("There is no component lead with this id")
    return lead


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


def assign_lead_by_id(
    session: Session, actor: User, *, user_id: int, component_id: int, now: datetime
) -> DomainLead:
    """Assign a lead from the ids a form chose (see assign_lead): loading the director and the
    component belongs with the assignment, so a page makes one domain call. An id that names
    nothing (deleted since the form was shown) is refused on its field."""
    component = session.get(Component, component_id)
    if component is None:
        raise NotFound("Choose one of the components listed", "component")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Choose one of the directors listed", "user")
    return assign_lead(session, actor, user=user, component=component, now=now)


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
