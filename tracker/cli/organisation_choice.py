"""`--organisation CODE` for commands that act on one organisation: the command's session is
scoped to it (tracker.domain.boundary), defaulting to the only organisation and refused with a
clear message when there are several."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from tracker.domain.boundary import clear_scope, scope_session
from tracker.domain.errors import DomainError
from tracker.domain.organisations.directory import organisation_for_command
from tracker.models import Organisation

ORGANISATION = click.option(
    "--organisation",
    "organisation_code",
    metavar="CODE",
    help="ODS code of the organisation (needed when the installation has several).",
)


def refuse(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def scope_to_organisation(session: Session, code: str | None) -> Organisation:
    """Find the organisation (or refuse) and scope the session to it for the command."""
    try:
        organisation = organisation_for_command(session, code)
    except DomainError as error:
        session.rollback()
        refuse(error.message)
        raise  # not reached: refuse exits
    scope_session(session, organisation.id)
    context = click.get_current_context(silent=True)
    if context is not None:  # the scope ends with the command
        context.call_on_close(lambda: clear_scope(session))
    return organisation
