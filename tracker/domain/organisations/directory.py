"""Creating and finding organisations and systems by their ODS codes.

These are installation-level operations (a platform admin's, or the command line's): they look
across the organisation boundary on purpose, through `unscoped`, and nothing else does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.invitations import Composer, invite_user
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.boundary import scoped, unscoped
from tracker.domain.errors import DomainError, NotFound
from tracker.models import Organisation, Role, System, User

# ODS codes are short upper-case letters and digits (RX1, RHA, QT1, 5PC).
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,12}$")


def normalise_code(code: str, *, field: str = "code") -> str:
    value = code.strip().upper()
    if not CODE_PATTERN.fullmatch(value):
        raise DomainError(
            f"'{code.strip()}' is not an ODS code: use 2 to 12 letters and digits, like RX1",
            field,
        )
    return value


def _name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise DomainError("Enter the name", "name")
    if len(value) > 200:
        raise DomainError("The name must be 200 characters or fewer", "name")
    return value


def find_system(session: Session, code: str) -> System:
    with unscoped(session):
        system = session.scalar(select(System).where(System.code == code.strip().upper()))
    if system is None:
        raise NotFound(f"There is no system with the code '{code.strip()}'", "system")
    return system


def find_organisation(session: Session, code: str) -> Organisation:
    """The organisation with this ODS code, whatever the session's scope."""
    with unscoped(session):
        organisation = session.scalar(
            select(Organisation).where(Organisation.ods_code == code.strip().upper())
        )
    if organisation is None:
        raise NotFound(f"There is no organisation with the code '{code.strip()}'", "organisation")
    return organisation


def organisation_for_command(session: Session, code: str | None) -> Organisation:
    """The organisation a command acts on: the one named, else the only one (made on first
    use in an empty installation); refused when there are several and no code was given."""
    if code:
        return find_organisation(session, code)
    with unscoped(session):
        found = list(session.scalars(select(Organisation).order_by(Organisation.id).limit(2)))
    if not found:
        # A new installation needs no set-up: its one organisation is made on first use
        # (rename it, or add others, with `flask organisations create`).
        with unscoped(session):
            return default_organisation(session)
    if len(found) > 1:
        raise DomainError(
            "This installation has several organisations: say which one with --organisation CODE",
            "organisation",
        )
    return found[0]


def create_system(
    session: Session, actor: User | None, *, code: str, name: str, now: datetime
) -> System:
    code, name = normalise_code(code), _name(name)
    with unscoped(session):
        if session.scalar(select(func.count()).select_from(System).where(System.code == code)):
            raise DomainError(f"A system with the code {code} already exists", "code")
        if session.scalar(select(func.count()).select_from(System).where(System.name == name)):
            raise DomainError(f"A system called {name} already exists", "name")
        system = System(code=code, name=name)
        session.add(system)
        session.flush()
        audit.record(session, actor, "system", system.id, "created", at=now, after={"code": code})
    return system


def create_organisation(
    session: Session,
    actor: User | None,
    *,
    code: str,
    name: str,
    now: datetime,
    system_code: str | None = None,
) -> Organisation:
    """Add an organisation (optionally in a system). Its code and name are unique."""
    code, name = normalise_code(code), _name(name)
    system = find_system(session, system_code) if system_code else None
    with unscoped(session):
        taken = select(func.count()).select_from(Organisation)
        if session.scalar(taken.where(Organisation.ods_code == code)):
            raise DomainError(f"An organisation with the code {code} already exists", "code")
        if session.scalar(taken.where(Organisation.name == name)):
            raise DomainError(f"An organisation called {name} already exists", "name")
        organisation = Organisation(ods_code=code, name=name, system=system)
        session.add(organisation)
        session.flush()
    with scoped(session, organisation.id):
        audit.record(
            session,
            actor,
            "organisation",
            organisation.id,
            "created",
            at=now,
            after={"code": code, "name": name, "system": system.code if system else None},
        )
    return organisation


def organisation_ids(session: Session) -> list[int]:
    """Every organisation's id, for jobs that work through them one at a time."""
    with unscoped(session):
        return list(session.scalars(select(Organisation.id).order_by(Organisation.id)))


@dataclass(frozen=True)
class OrganisationRow:
    code: str
    name: str
    system: str | None
    people: int
    admins: int


def list_organisations(session: Session) -> list[OrganisationRow]:
    """Every organisation with its system and how many people and admins it has."""
    with unscoped(session):
        people = dict(
            session.execute(
                select(User.organisation_id, func.count()).group_by(User.organisation_id)
            ).all()
        )
        admins = dict(
            session.execute(
                select(User.organisation_id, func.count())
                .where(User.role == Role.ADMIN, User.is_active.is_(True))
                .group_by(User.organisation_id)
            ).all()
        )
        rows = session.execute(
            select(Organisation, System.name)
            .outerjoin(System, Organisation.system_id == System.id)
            .order_by(Organisation.name)
        ).all()
    return [
        OrganisationRow(
            org.ods_code, org.name, system, people.get(org.id, 0), admins.get(org.id, 0)
        )
        for org, system in rows
    ]


def create_organisation_with_admin(
    session: Session,
    actor: User,
    *,
    code: str,
    name: str,
    system_code: str | None,
    admin_name: str,
    admin_email: str,
    now: datetime,
    secret_key: str,
    compose: Composer,
) -> Organisation:
    """A platform admin adds an organisation and invites its first admin, who then manages
    only that organisation."""
    organisation = create_organisation(
        session, actor, code=code, name=name, system_code=system_code, now=now
    )
    with scoped(session, organisation.id):
        invite_user(
            session,
            actor,
            email=admin_email,
            name=admin_name,
            role=Role.ADMIN,
            now=now,
            secret_key=secret_key,
            compose=compose,
            organisation=organisation,
        )
    return organisation


def list_systems(session: Session) -> list[System]:
    with unscoped(session):
        return list(session.scalars(select(System).order_by(System.name)))
