"""`flask users create EMAIL --name NAME --role ROLE --organisation CODE` (password from a
prompt or stdin); `--role platform-admin` belongs to no organisation."""

from __future__ import annotations

import sys

import click

from tracker import clock
from tracker.cli.organisation_choice import ORGANISATION, refuse, scope_to_organisation
from tracker.database import db_session
from tracker.domain.accounts.registration import create_user
from tracker.domain.errors import DomainError
from tracker.models import Role

# On the command line roles are spelt with hyphens (platform-admin, system-viewer).
ROLE_NAMES = {role.value.replace("_", "-"): role.value for role in Role}


@click.group("users", help="Manage user accounts.")
def users_group() -> None:
    pass


def read_password() -> str:
    """Prompt twice without echo on a terminal; read one line from stdin otherwise."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice(sorted(ROLE_NAMES)))
@ORGANISATION
def create_command(email: str, name: str, role: str, organisation_code: str | None) -> None:
    """Create a user who can sign in straight away, in one organisation."""
    role = ROLE_NAMES[role]
    session = db_session()
    organisation = None
    if role == Role.PLATFORM_ADMIN:
        if organisation_code:
            refuse("A platform admin belongs to no organisation: leave out --organisation")
    else:
        organisation = scope_to_organisation(session, organisation_code)
    password = read_password()
    try:
        user = create_user(
            session,
            None,
            email=email,
            name=name,
            role=role,
            password=password,
            now=clock.now(),
            organisation=organisation,
        )
    except DomainError as error:
        session.rollback()
        refuse(error.message)
        return
    session.commit()
    where = f" in {organisation.name} ({organisation.ods_code})" if organisation else ""
    click.echo(f"Created {user.role.replace('_', ' ')} {user.email} ({user.name}){where}.")
