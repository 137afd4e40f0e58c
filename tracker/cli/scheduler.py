"""`flask scheduler run` (the one long-running scheduler process) and `flask jobs run NAME`."""

from __future__ import annotations

import logging
from datetime import date

import click
from flask import current_app

from tracker.cli.reminders import parse_day
from tracker.scheduling.jobs import JOBS, build_scheduler, catch_up, run_job


@click.group("scheduler", help="The background scheduler (run exactly one).")
def scheduler_group() -> None:
    pass


@scheduler_group.command("run")
def run_command() -> None:
    """Catch up any missed run once, then run jobs on schedule until stopped (Ctrl+C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # Unavoidable: flask types current_app as Flask, not as the proxy that has this method.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for outcome in catch_up():
        click.echo(
            f"caught up {outcome.name} for {outcome.period}: {outcome.message} {outcome.summary}"
        )
    scheduler = build_scheduler(app)
    for job in scheduler.get_jobs():
        click.echo(f"scheduled {job.id}: {job.name} ({job.trigger})")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("scheduler stopped")


@click.group("jobs", help="Run one scheduled job by hand.")
def jobs_group() -> None:
    pass


@jobs_group.command("list")
def list_command() -> None:
    """The scheduled jobs and what they do."""
    for spec in JOBS.values():
        click.echo(f"{spec.name}: {spec.description}")


@jobs_group.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option(
    "--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="Run as if today were this date."
)
def run_one_command(name: str, as_of: date | None) -> None:
    """Run one job now, under its lock, and send what it queued."""
    outcome = run_job(name, as_of=as_of)
    if not outcome.ran:
        click.echo(f"{name}: {outcome.message}; nothing done")
        return
    details = ", ".join(f"{key} {value}" for key, value in outcome.summary.items())
    click.echo(f"{name} for {outcome.period}: {details}")
