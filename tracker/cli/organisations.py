"""`flask organisations create CODE --name NAME [--system SYSTEM_CODE]`,
`flask organisations list` and `flask systems create CODE --name NAME`."""

from __future__ import annotations

import click

from tracker import clock
from tracker.cli.organisation_choice import refuse
from tracker.database import db_session
from tracker.domain.errors import DomainError
from tracker.domain.organisations.directory import (
    create_organisation,
    create_system,
    list_organisations,
)


@click.group("organisations", help="The organisations this installation serves.")
def organisations_group() -> None:
    pass


@organisations_group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--system", "system_code", metavar="SYSTEM_CODE", help="The ICS it belongs to.")
def create_organisation_command(code: str, name: str, system_code: str | None) -> None:
    """Add an organisation, identified by its ODS code."""
    session = db_session()
    try:
        organisation = create_organisation(
            session, None, code=code, name=name, system_code=system_code, now=clock.now()
        )
    except DomainError as error:
        session.rollback()
        refuse(error.message)
        return
    session.commit()
    where = f" in {organisation.system.name}" if organisation.system else ""
    click.echo(f"Created organisation {organisation.ods_code} ({organisation.name}){where}.")
    click.echo(
        f"Next: flask users create EMAIL --name NAME --role admin "
        f"--organisation {organisation.ods_code}"
    )


@organisations_group.command("list")
def list_command() -> None:
    """Every organisation with its code, system, people and admins."""
    rows = list_organisations(db_session())
    if not rows:
        click.echo("No organisations yet: create one with `flask organisations create`.")
        return
    for row in rows:
        click.echo(
            f"{row.code:<8} {row.name} — system: {row.system or 'none'}; "
            f"{row.people} {'person' if row.people == 1 else 'people'}, "
            f"{row.admins} active {'admin' if row.admins == 1 else 'admins'}"
        )


@click.group("systems", help="Integrated care systems that group organisations.")
def systems_group() -> None:
    pass


@systems_group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The system's name.")
def create_system_command(code: str, name: str) -> None:
    """Add a system (ICS), identified by its ODS code."""
    session = db_session()
    try:
        system = create_system(session, None, code=code, name=name, now=clock.now())
    except DomainError as error:
        session.rollback()
        refuse(error.message)
        return
    session.commit()
    click.echo(f"Created system {system.code} ({system.name}).")
