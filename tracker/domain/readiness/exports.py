"""Rows for the CSV/XLSX export of a readiness report (cells neutralised by the writer).

Every column says what it holds: the level at the baseline (the organisation's first round,
named), the level now (the latest round, named), the target, the level expected and assured by
the next round (dated), each beside its level name, and the status decided from exactly those
rounded figures (`figures_of`), so the file agrees with the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.dates import format_date
from tracker.domain.framework.levels import describe_level
from tracker.domain.readiness.figures import Figures
from tracker.domain.readiness.report import ReadinessReport, round2
from tracker.models import AssessmentRound, MaturityLevel, Score


@dataclass(frozen=True)
class Baseline:
    """The organisation's first round and each question's level (rank) in it."""

    round_name: str
    held_on: date
    ranks: dict[int, int]  # question id -> rank


def load_baseline(session: Session, organisation_id: int) -> Baseline | None:
    """The first round the organisation held (its baseline) and its levels; two queries."""
    first = session.scalars(
        select(AssessmentRound)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on, AssessmentRound.id)
        .limit(1)
    ).first()
    if first is None:
        return None
    ranks = session.execute(
        select(Score.question_id, MaturityLevel.rank)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .where(Score.round_id == first.id)
    ).all()
    return Baseline(first.name, first.held_on, {q: int(rank) for q, rank in ranks})


def export_header(report: ReadinessReport, baseline: Baseline | None) -> list[str]:
    """Column names that say what each column holds, naming the rounds and the date."""
    first = baseline.round_name if baseline else report.round_name
    by = format_date(report.next_round_on) if report.next_round_on else "the next round"
    return [
        "Scope",
        "Component",
        "Question",
        "Question text",
        f"Level at baseline ({first})",
        "Level at baseline in words",
        f"Level now ({report.round_name})",
        "Level now in words",
        "Target",
        "Target in words",
        f"Expected by {by}",
        "Expected in words",
        f"Assured by {by}",
        "Assured in words",
        "Status",
        "As of",
        "Next round",
        "Chance of reaching target (0 to 1)",
        "Likely low when re-measured (10th percentile)",
        "Likely high when re-measured (90th percentile)",
    ]


def _mean(values: list[int]) -> float | None:
    return round2(sum(values) / len(values)) if values else None


def export_rows(
    report: ReadinessReport, baseline: Baseline | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Overall, then each component, then each question, with the same rounding as the page.

    Without a baseline (or when the latest round is the first) the baseline is the level now.
    A question the baseline did not score reads "Not scored"."""
    names = report.level_names
    labels = {c.component_id: f"{c.position}. {c.name}" for c in report.components}
    common = [report.as_of, report.next_round_on]
    ranks = (
        baseline.ranks if baseline else {q.question_id: int(q.baseline) for q in report.questions}
    )
    at_start: dict[int, int | None] = {
        q.question_id: ranks.get(q.question_id) for q in report.questions
    }

    def first(question_ids: list[int]) -> float | None:
        return _mean([r for qid in question_ids if (r := at_start[qid]) is not None])

    def numbers(shown: Figures, start: float | None) -> list[Any]:
        return [
            start,
            describe_level(start, names),
            shown.baseline,
            shown.words(shown.baseline),
            shown.target,
            shown.words(shown.target),
            shown.expected,
            shown.words(shown.expected),
            shown.assured,
            shown.words(shown.assured),
            shown.status,
        ]

    def likely(item: Any) -> list[Any]:
        return [round2(item.chance), round2(item.low), round2(item.high)]

    all_ids = [q.question_id for q in report.questions]
    rows: list[list[Any]] = [
        [
            "Overall",
            "",
            None,
            "",
            *numbers(report.shown(report.overall), first(all_ids)),
            *common,
            *likely(report.overall_likely),
        ]
    ]
    for c in report.components:
        mine = [q.question_id for q in report.questions if q.component_id == c.component_id]
        rows.append(
            [
                "Component",
                labels[c.component_id],
                None,
                "",
                *numbers(report.shown(c), first(mine)),
                *common,
                *likely(report.component_likely[c.component_id]),
            ]
        )
    for q in report.questions:
        start = at_start[q.question_id]
        rows.append(
            [
                "Question",
                labels.get(q.component_id, ""),
                q.number,
                q.text,
                *numbers(report.shown(q), None if start is None else float(start)),
                *common,
                *likely(q),
            ]
        )
    return export_header(report, baseline), rows
