"""`flask assessments import|list|compare`: rounds of the self-assessment."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tracker import clock
from tracker.cli.organisation_choice import ORGANISATION, scope_to_organisation
from tracker.database import db_session
from tracker.domain.errors import DomainError, InvalidInput
from tracker.domain.rounds.comparison import compare_rounds, list_rounds, round_by_name
from tracker.domain.rounds.importing import CONCURRENT_IMPORT, ImportSummary, import_round
from tracker.domain.rounds.importing.writer import ScoresDiffer


@click.group("assessments", help="Import and compare self-assessment rounds.")
def assessments_group() -> None:
    pass


def fail(error: DomainError) -> None:
    """Print every problem (row and column included) and exit 1; nothing has been committed."""
    db_session().rollback()
    problems = error.problems if isinstance(error, InvalidInput) else []
    if isinstance(error, InvalidInput) and problems:
        count = "1 problem" if error.total == 1 else f"{error.total:,} problems"
        click.echo(f"Error: the file was not imported ({count}):", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        if error.more:
            click.echo(
                f"  … and {error.more:,} more (the first {len(problems)} are shown)", err=True
            )
    else:
        click.echo(f"Error: {error.message}", err=True)
    raise SystemExit(1)


def _date(value: datetime | None) -> date | None:
    return value.date() if value else None


@assessments_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--round", "round_name", required=True, help="Name of the round, e.g. 'Baseline 2025'."
)
@click.option(
    "--date",
    "held_on",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date the round was held (default today).",
)
@click.option(
    "--next-round-on", type=click.DateTime(["%Y-%m-%d"]), help="Planned date of the next round."
)
@click.option("--replace", is_flag=True, help="Replace different scores already in this round.")
@click.option("--sheet", help="XLSX only: the sheet to read (default the first).")
@ORGANISATION
def import_command(
    path: Path, round_name: str, held_on: datetime | None, next_round_on: datetime | None,
    replace: bool, sheet: str | None, organisation_code: str | None,
) -> None:  # fmt: skip
    """Import a round from the pasted text table, CSV or XLSX (all or nothing)."""
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    session = db_session()
    organisation = scope_to_organisation(session, organisation_code)
    try:
        summary = import_round(
            session, None, organisation=organisation, data=data,
            round_name=round_name, held_on=_date(held_on) or clock.today(),
            next_round_on=_date(next_round_on), replace=replace, sheet=sheet,
            now=clock.now(), max_bytes=max_bytes,
        )  # fmt: skip
        session.commit()
    except IntegrityError:
        fail(DomainError(CONCURRENT_IMPORT))
        return
    except ScoresDiffer as error:
        fail(
            DomainError(
                f"{error.message}: import again with --replace to overwrite them, keeping every "
                "action and its history, or use a new round name"
            )
        )
        return
    except DomainError as error:
        fail(error)
        return
    click.echo(str(summary))
    for line in summary_lines(summary):
        click.echo(line)


def summary_lines(summary: ImportSummary) -> list[str]:
    """What the import did, after its one line: the questions that moved since the previous
    round, the actions spawned, carried forward and moved to review, and how to compare."""
    if not summary.changed:
        return []
    lines: list[str] = []
    moves = summary.moves
    if moves.previous_round is not None:
        lines.append(f"Since '{moves.previous_round}':")
        for label, items in (("up", moves.up), ("down", moves.down), ("same", moves.stayed)):
            lines.append(f"  {len(items)} question{'s' if len(items) != 1 else ''} {label}")
            lines.extend(
                f"    Q{m.number} {m.before} -> {m.after}" for m in items if label != "same"
            )
    for label, refs in (
        ("Actions spawned", summary.spawned_actions),
        ("Actions carried forward to this round", summary.carried_actions),
        ("Actions moved to review", summary.review_actions),
    ):
        lines.append(f"{label}: {len(refs)}")
        lines.extend(f"  {ref.title}" for ref in refs)
    if moves.previous_round is not None:
        lines.append(
            f"Compare: flask assessments compare '{moves.previous_round}' '{summary.round_name}'"
        )
    return lines


@assessments_group.command("list")
@ORGANISATION
def list_command(organisation_code: str | None) -> None:
    """List the rounds, oldest first, with their scores per level."""
    session = db_session()
    rounds = list_rounds(session, scope_to_organisation(session, organisation_code).id)
    if not rounds:
        click.echo("No rounds yet: import one with 'flask assessments import PATH --round NAME'.")
    for item in rounds:
        levels = ", ".join(f"{n} {name}" for name, n in item.levels.items())
        next_on = f", next round {item.next_round_on.isoformat()}" if item.next_round_on else ""
        click.echo(
            f"{item.name}  held {item.held_on.isoformat()}  {item.status}  "
            f"{item.scores} scores ({levels}){next_on}"
        )


@assessments_group.command("compare")
@click.argument("round_a")
@click.argument("round_b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@ORGANISATION
def compare_command(
    round_a: str, round_b: str, as_json: bool, organisation_code: str | None
) -> None:
    """Compare two rounds per question and per component (mean rank)."""
    session = db_session()
    organisation = scope_to_organisation(session, organisation_code)
    try:
        first = round_by_name(session, organisation.id, round_a)
        second = round_by_name(session, organisation.id, round_b)
    except DomainError as error:
        fail(error)
        return
    comparison = compare_rounds(session, first.id, second.id)
    if as_json:
        click.echo(json.dumps(comparison.as_dict(), indent=2))
        return
    click.echo(f"{comparison.round_a} -> {comparison.round_b}")
    click.echo(comparison.moves.sentence())
    for q in comparison.questions:
        a, b = q.a.name if q.a else "not scored", q.b.name if q.b else "not scored"
        click.echo(f"  Q{q.number:<3} {a:>11} -> {b:<11} {_change(q.change)}  {q.text}")
    click.echo("Components (mean rank):")
    for c in comparison.components:
        click.echo(
            f"  {c.position}. {c.name}: {_mean(c.mean_a)} -> {_mean(c.mean_b)} {_change(c.change)}"
        )


def _mean(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _change(value: float | None) -> str:
    if value is None:
        return "(no comparison)"
    if value == 0:
        return "(no change)"
    return f"({'up' if value > 0 else 'down'} {abs(value):g})"
