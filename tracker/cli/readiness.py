"""`flask readiness show [--as-of YYYY-MM-DD] [--json]`, `flask readiness recompute` and
`flask readiness backtest [--organisation CODE] [--json]`."""

from __future__ import annotations

import json
from datetime import date

import click

from tracker import clock
from tracker.cli.organisation_choice import ORGANISATION, scope_to_organisation
from tracker.database import db_session
from tracker.domain.readiness import compute_readiness, recompute_all, report_as_dict
from tracker.domain.readiness.backtest import backtest
from tracker.domain.readiness.calibration import MIN_OUTCOMES, ForecastScore, score_as_dict


@click.group("readiness", help="Expected readiness before the next round.")
def readiness_group() -> None:
    pass


def _as_of(value: str | None) -> date:
    if not value:
        return clock.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the form YYYY-MM-DD, for example 2027-01-31") from None


AS_OF = click.option("--as-of", "as_of", help="Compute as of this date (default: today).")


@readiness_group.command("recompute")
@AS_OF
@click.option(
    "--organisation",
    "organisation_code",
    metavar="CODE",
    help="Only this organisation (default: every organisation).",
)
def recompute_command(as_of: str | None, organisation_code: str | None) -> None:
    """Store today's readiness snapshots (replacing any taken the same day), for every
    organisation or the one named."""
    day = _as_of(as_of)
    session = db_session()
    if organisation_code:
        scope_to_organisation(session, organisation_code)
    done = recompute_all(session, as_of=day)
    session.commit()
    if not done:
        click.echo("No assessment round yet: nothing to compute.")
    for name, report, rows in done:
        click.echo(
            f"{name}: {report.round_name}, expected {report.overall.expected:.2f} "
            f"(assured {report.overall.assured:.2f}); {rows} snapshots stored for {day}."
        )


@readiness_group.command("show")
@AS_OF
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys in the README).")
@ORGANISATION
def show_command(as_of: str | None, as_json: bool, organisation_code: str | None) -> None:
    """Print the round, next round date, overall, per component and per question scores."""
    day = _as_of(as_of)
    session = db_session()
    organisation = scope_to_organisation(session, organisation_code)
    report = compute_readiness(session, organisation_id=organisation.id, as_of=day)
    session.rollback()
    if report is None:
        click.echo("No assessment round yet: import one with `flask assessments import`.", err=True)
        raise SystemExit(1)
    data = report_as_dict(report)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"Round: {data['round']} (held {data['round_held_on']})")
    click.echo(f"Next round: {data['next_round_on'] or 'not set'}   As of: {data['as_of']}")
    rate = data["on_time_rate"]
    click.echo(
        f"On-time rate: {rate['rate']:.2f} "
        f"(({rate['on_time']} + {rate['prior_successes']}) / "
        f"({rate['finished_or_due']} + {rate['prior_weight']}))"
    )
    header = f"{'':<48} {'baseline':>8} {'expected':>8} {'assured':>8}  status"
    click.echo(header)
    _line("Overall", data["overall"])
    for c in data["components"]:
        _line(f"{c['position']}. {c['name']}"[:48], c)
    click.echo()
    click.echo(f"{'Q':>3} {'level now':<12} {'target':<12} {'expected':>8} {'assured':>8}  status")
    for q in data["questions"]:
        click.echo(
            f"{q['number']:>3} {q['level_now']:<12} {q['target_level']:<12} "
            f"{q['expected']:>8.2f} {q['assured']:>8.2f}  {q['status']}"
        )


def _line(label: str, score: dict) -> None:
    click.echo(
        f"{label:<48} {score['baseline']:>8.2f} {score['expected']:>8.2f} "
        f"{score['assured']:>8.2f}  {score['status']}"
    )


@readiness_group.command("backtest")
@ORGANISATION
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys in the README).")
def backtest_command(organisation_code: str | None, as_json: bool) -> None:
    """Replay every past round and score the forecast made for it."""
    session = db_session()
    organisation = scope_to_organisation(session, organisation_code)
    result = backtest(session, organisation.id)
    session.rollback()
    if as_json:
        data = {
            "organisation": organisation.name,
            "rounds": [
                {
                    "round": r.round_name,
                    "held_on": r.held_on.isoformat(),
                    "forecast_by": r.earlier_round,
                    "forecasts": [{"when": f.label, **score_as_dict(f.score)} for f in r.forecasts],
                }
                for r in result.rounds
            ],
            "pooled": score_as_dict(result.pooled),
        }
        click.echo(json.dumps(data, indent=2))
        return
    if not result.rounds:
        click.echo(f"{organisation.name}: only one round so far, so no forecast to score yet.")
        return
    for r in result.rounds:
        click.echo(f"{r.round_name} (held {r.held_on}), forecast from {r.earlier_round}:")
        if not r.forecasts:
            click.echo("  no forecast could be made (the rounds are too close together)")
        for f in r.forecasts:
            click.echo(f"  {f.label} ({f.score.taken_on}): {describe(f.score)}")
    click.echo("All rounds together (forecasts made the day before):")
    click.echo(f"  {describe(result.pooled)}")
    if result.pooled.bands is None:
        click.echo(
            f"  Reliability table once there are {MIN_OUTCOMES} outcomes "
            f"(now {result.pooled.outcomes})."
        )
    for band in result.pooled.bands or ():
        click.echo(f"  {band.sentence}")


def describe(score: ForecastScore) -> str:
    """A score in words: mean absolute error and Brier score, with what they were taken over."""
    if score.mean_absolute_error is None:
        return "no question was both forecast and scored."
    words = (
        f"mean absolute error {score.mean_absolute_error:.2f} levels over {score.questions} "
        "questions"
    )
    if score.brier is None:
        return f"{words}; no question had a planned rise, so no chance to score."
    return (
        f"{words}; Brier score {score.brier:.2f} over {score.outcomes} questions with a "
        f"planned rise ({score.reached} reached their target)."
    )
