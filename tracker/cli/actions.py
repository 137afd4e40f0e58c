"""`flask actions export --format csv|xlsx [--output PATH]`: the action plan as a spreadsheet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracker.cli.organisation_choice import ORGANISATION, scope_to_organisation
from tracker.database import db_session
from tracker.domain.actions.plan_export import HEADER, action_plan_rows
from tracker.domain.spreadsheet import write_csv, write_xlsx


@click.group("actions", help="Work with the action plan.")
def actions_group() -> None:
    pass


@actions_group.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output for CSV).",
)
@ORGANISATION
def export_command(fmt: str, output: Path | None, organisation_code: str | None) -> None:
    """One row per action (deleted ones left out); formula-like cells neutralised."""
    session = db_session()
    rows = action_plan_rows(session, scope_to_organisation(session, organisation_code).id)
    cells = [row.cells() for row in rows]
    data = write_csv(cells, HEADER) if fmt == "csv" else write_xlsx(cells, HEADER, "Action plan")
    if output is None:
        if fmt == "xlsx" and sys.stdout.isatty():
            click.echo("Error: give --output PATH for XLSX (it is not text).", err=True)
            raise SystemExit(1)
        click.echo(data, nl=False)
        return
    output.write_bytes(data)
    click.echo(f"Wrote {len(rows)} action{'s' if len(rows) != 1 else ''} to {output}")
