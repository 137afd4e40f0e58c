"""`flask reminders send [--as-of YYYY-MM-DD]`: the scheduler's reminder run, once, by hand."""

from __future__ import annotations

from datetime import date, datetime

import click

from tracker.domain.dates import LONDON
from tracker.scheduling.jobs import run_job


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-01") from None


@click.group("reminders", help="Owner digests and director escalations.")
def reminders_group() -> None:
    pass


@reminders_group.command("send")
@click.option(
    "--as-of",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Run as if today were this date (default: today in Europe/London).",
)
def send_command(as_of: date | None) -> None:
    """Queue this period's digests and escalations (once per person) and send the outbox."""
    outcome = run_job("reminders", as_of=as_of)
    if not outcome.ran:
        click.echo(f"reminders: {outcome.message}; nothing done")
        return
    s = outcome.summary
    line = (
        f"queued {s['queued']}, sent {s['sent']}, already sent {s['already']}, failed {s['failed']}"
    )
    if s.get("retrying"):
        line += f" ({s['retrying']} will be retried)"
    if s.get("waiting_for_lease"):
        waiting = s["waiting_for_lease"]
        ends = s["lease_ends_at"].astimezone(LONDON).strftime("%H:%M on %-d %B %Y")
        line += (
            f"; {waiting} email{'s' if waiting != 1 else ''} claimed by another sending run "
            f"that has not finished (perhaps it stopped): sent by the first run after {ends}"
        )
    click.echo(line)
