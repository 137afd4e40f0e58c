"""Readiness snapshots: one row per question, component and overall per day, so the trend
toward the round can be drawn. Recomputing on the same day replaces the day's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.domain.readiness.figures import Scored, figures_of
from tracker.domain.readiness.report import round2
from tracker.models import ReadinessSnapshot

if TYPE_CHECKING:
    from tracker.domain.readiness.report import ReadinessReport

OVERALL = "overall"


class Likelihood(Protocol):
    """The chance of reaching the target and the likely range stored beside the score."""

    @property
    def chance(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


def component_key(component_id: int) -> str:
    return f"component:{component_id}"


def question_key(question_id: int) -> str:
    return f"question:{question_id}"


def store_snapshots(session: Session, report: ReadinessReport, taken_on: date) -> int:
    """Replace the day's snapshots of the report's round with the report's numbers.

    In the caller's transaction: rows of the day whose scope the report no longer has are
    deleted, the others are written with INSERT … ON CONFLICT (round, day, scope) DO UPDATE.
    A second run the same day replaces rather than duplicates, also when two runs overlap on
    PostgreSQL (a plain delete-then-insert there would make the later one fail on the unique
    constraint: its delete cannot see the rows the other run has not committed yet).
    Returns the number of rows written."""
    summary = {
        "as_of": report.as_of.isoformat(),
        "next_round_on": report.next_round_on.isoformat() if report.next_round_on else None,
        "on_time_rate": round(report.on_time_rate, 4),
        "on_time": report.on_time,
        "finished_or_due": report.finished_or_due,
        **report.counts,
    }
    rid = report.round_id
    rows = [_row(rid, taken_on, OVERALL, report.overall, report.overall_likely, summary)]
    for c in report.components:
        extra = {**summary, "position": c.position}
        likely = report.component_likely[c.component_id]
        rows.append(_row(rid, taken_on, component_key(c.component_id), c, likely, extra))
    for q in report.questions:
        extra = {**summary, "number": q.number, "actions": len(q.action_ids)}
        rows.append(_row(rid, taken_on, question_key(q.question_id), q, q, extra))
    session.execute(
        delete(ReadinessSnapshot).where(
            ReadinessSnapshot.round_id == report.round_id,
            ReadinessSnapshot.taken_on == taken_on,
            ReadinessSnapshot.scope_key.not_in([row["scope_key"] for row in rows]),
        )
    )
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ReadinessSnapshot).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["round_id", "taken_on", "scope_key"],
        set_={
            name: statement.excluded[name]
            for name in (
                "baseline",
                "expected",
                "assured",
                "status",
                "chance",
                "likely_low",
                "likely_high",
                "inputs",
                "computed_at",
            )
        },
    )
    session.execute(statement)
    return len(rows)


def _row(
    round_id: int, taken_on: date, key: str, score: Scored, likely: Likelihood, inputs: dict
) -> dict[str, Any]:
    shown = figures_of(score, {})  # the figures and status the page shows
    return {
        "round_id": round_id,
        "taken_on": taken_on,
        "scope_key": key,
        "baseline": shown.baseline,
        "expected": shown.expected,
        "assured": shown.assured,
        "status": shown.status,
        "chance": round2(likely.chance),
        "likely_low": round2(likely.low),
        "likely_high": round2(likely.high),
        "inputs": {**inputs, "target": shown.target},
    }


@dataclass(frozen=True)
class TrendPoint:
    taken_on: date
    scope_key: str
    baseline: float
    expected: float
    assured: float


def load_trend(
    session: Session, round_id: int, *, before: date | None = None, questions: bool = False
) -> list[TrendPoint]:
    """Snapshots of a round in date order (one query); question rows only when asked."""
    query = select(
        ReadinessSnapshot.taken_on,
        ReadinessSnapshot.scope_key,
        ReadinessSnapshot.baseline,
        ReadinessSnapshot.expected,
        ReadinessSnapshot.assured,
    ).where(ReadinessSnapshot.round_id == round_id)
    if before is not None:
        query = query.where(ReadinessSnapshot.taken_on < before)
    if not questions:
        query = query.where(~ReadinessSnapshot.scope_key.startswith("question:"))
    rows = session.execute(query.order_by(ReadinessSnapshot.taken_on, ReadinessSnapshot.scope_key))
    return [TrendPoint(*row) for row in rows]
