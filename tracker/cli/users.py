"""`flask users create EMAIL --name NAME --role ROLE` (password from a prompt or stdin)."""

from __future__ import annotations

import sys

import click

from tracker import clock
from tracker.database import db_session
from tracker.domain.accounts.registration import create_user
from tracker.domain.errors import DomainError
from tracker.models import Role


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
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
def create_command(email: str, name: str, role: str) -> None:
    """Create a user who can sign in straight away."""
    password = read_password()
    session = db_session()
    try:
        user = create_user(
            session, None, email=email, name=name, role=role, password=password, now=clock.now()
        )
    except DomainError as error:
        session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        raise SystemExit(1) from None
    session.commit()
    click.echo(f"Created {user.role} {user.email} ({user.name}).")
