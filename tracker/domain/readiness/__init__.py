"""Expected readiness before the next round (see model.py for the rules in plain words).

Public API (other features rely on it):
- compute_readiness(session, *, organisation_id, as_of) -> ReadinessReport | None
- store_snapshots(session, report, taken_on) -> int
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.readiness.collector import cycle_collection_paused
from tracker.domain.readiness.inputs import load_inputs, milestone_titles
from tracker.domain.readiness.model import (
    NO_ACTIONS,
    NOT_ON_TRACK,
    ON_TRACK,
    SOME_ISSUES,
)
from tracker.domain.readiness.report import (
    AtRiskItem,
    Mover,
    QuestionReadiness,
    ReadinessReport,
    build_report,
    name_movers,
    report_as_dict,
    round2,
)
from tracker.domain.readiness.snapshots import load_trend, store_snapshots
from tracker.models import Organisation


def compute_readiness(
    session: Session, *, organisation_id: int, as_of: date
) -> ReadinessReport | None:
    """The readiness forecast of the organisation's latest round as of a date.

    None when the organisation has no round yet. Reads only (a constant number of queries);
    the caller decides whether to store snapshots and commit."""
    with cycle_collection_paused():
        loaded = load_inputs(session, organisation_id, as_of)
        if loaded is None:
            return None
        report = build_report(organisation_id, loaded)
    shown = (m.milestone_id for m in report.movers)
    return name_movers(report, milestone_titles(session, organisation_id, shown))


def recompute_all(session: Session, *, as_of: date) -> list[tuple[str, ReadinessReport, int]]:
    """Compute and store today's snapshots for every organisation that has a round.

    What the nightly job and `flask readiness recompute` do; the caller commits once."""
    done = []
    for organisation in session.scalars(select(Organisation).order_by(Organisation.id)):
        report = compute_readiness(session, organisation_id=organisation.id, as_of=as_of)
        if report is not None:
            done.append((organisation.name, report, store_snapshots(session, report, as_of)))
    return done


__all__ = [
    "NOT_ON_TRACK",
    "NO_ACTIONS",
    "ON_TRACK",
    "SOME_ISSUES",
    "AtRiskItem",
    "Mover",
    "QuestionReadiness",
    "ReadinessReport",
    "compute_readiness",
    "load_trend",
    "recompute_all",
    "report_as_dict",
    "round2",
    "store_snapshots",
]
