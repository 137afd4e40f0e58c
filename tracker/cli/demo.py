"""`flask demo load [--today YYYY-MM-DD] [--reset]`: a deterministic demo organisation."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app

from tracker import clock
from tracker.database import db_session
from tracker.domain.demo.organisation import load_demo
from tracker.domain.errors import DomainError


@click.group("demo", help="Demo data for exploring the tracker.")
def demo_group() -> None:
    pass


@demo_group.command("load")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Pretend today is this date (default: today).",
)
@click.option("--reset", is_flag=True, help="Delete ALL existing data first.")
def load_command(today: datetime | None, reset: bool) -> None:
    """Load the demo organisation built on the published sample, and print how to sign in."""
    if current_app.config.get("ENV_NAME") == "production":
        click.echo(
            "Error: the demo has a published password and is never loaded in production.", err=True
        )
        raise SystemExit(1)
    session = db_session()
    try:
        summary = load_demo(session, today.date() if today else clock.today(), reset=reset)
    except DomainError as error:
        session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        raise SystemExit(1) from None
    session.commit()
    click.echo(
        f"Loaded the demo: round '{summary.round_name}' held {summary.held_on.isoformat()}, "
        f"next round {summary.next_round_on.isoformat()}; {summary.actions} actions "
        f"({summary.assigned} assigned), {summary.milestones} milestones."
    )
    click.echo(f"Sign in with any of these emails and the password: {summary.password}")
    for email, role, name, code in summary.users:
        click.echo(f"  {email:<40} {code:<6} {role:<14} {name}")
    click.echo(
        "Each organisation sees only its own people, rounds and actions; "
        "the system view (/system) shows what partners chose to share."
    )
