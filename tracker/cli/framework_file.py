"""`flask framework load [PATH]`."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.database import db_session
from tracker.domain.errors import InvalidInput
from tracker.domain.framework.loader import (
    DEFAULT_FRAMEWORK_FILE,
    load_framework,
    read_framework_file,
)


@click.group("framework", help="Load and inspect the maturity framework.")
def framework_group() -> None:
    pass


@framework_group.command("load")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def load_command(path: Path | None) -> None:
    """Load the framework file (the shipped NHS IMPACT one by default). Safe to run again."""
    path = path or DEFAULT_FRAMEWORK_FILE
    session = db_session()
    try:
        data = read_framework_file(path)
        summary = load_framework(session, data)
    except InvalidInput as error:
        session.rollback()
        for problem in error.problems:
            click.echo(f"Error: {problem}", err=True)
        raise SystemExit(1) from None
    session.commit()
    click.echo(str(summary) if summary.changed else f"{summary.framework}: already up to date")
