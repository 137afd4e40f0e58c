"""Holding the forecast to account: each round scored against the forecast made for it.

- `stored_scores`: for the comparison page, the forecasts actually stored for a round (the
  last snapshot of the earlier round taken before it was held, and the one about 90 days
  before, when there is one), scored against the levels it scored.
- `backtest`: for `flask readiness backtest`, every past round of an organisation replayed:
  the forecast the earlier round would have given the day before, and 90 days before, from
  what was recorded by then, scored the same way, with the scores pooled over all rounds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.readiness.calibration import ForecastScore, Outcome, score_forecast
from tracker.domain.readiness.inputs import load_inputs
from tracker.domain.readiness.report import ReadinessReport, build_report
from tracker.models import (
    AssessmentRound,
    MaturityLevel,
    Question,
    ReadinessSnapshot,
    Score,
)

EARLY_DAYS = 90  # the earlier forecast scored: about this many days before the round


@dataclass(frozen=True)
class ScoredForecast:
    label: str  # "the day before", "about 90 days before" (plain words)
    score: ForecastScore


def stored_scores(
    session: Session, round_a_id: int, held_on_b: date, actual: dict[int, int]
) -> list[ScoredForecast]:
    """Score the stored forecasts of round A for a round held on `held_on_b` (two queries).

    `actual` maps question number -> rank scored in the later round."""
    days = sorted(
        session.scalars(
            select(ReadinessSnapshot.taken_on)
            .where(
                ReadinessSnapshot.round_id == round_a_id,
                ReadinessSnapshot.taken_on < held_on_b,
                ReadinessSnapshot.scope_key.startswith("question:"),
            )
            .distinct()
        )
    )
    if not days:
        return []
    chosen = [("the last stored before the round", days[-1])]
    early = [d for d in days if d <= held_on_b - timedelta(days=EARLY_DAYS)]
    if early and early[-1] != days[-1]:
        chosen.append((f"about {EARLY_DAYS} days before the round", early[-1]))
    outcomes: dict[date, list[Outcome]] = defaultdict(list)
    for taken_on, baseline, expected, chance, inputs in session.execute(
        select(
            ReadinessSnapshot.taken_on,
            ReadinessSnapshot.baseline,
            ReadinessSnapshot.expected,
            ReadinessSnapshot.chance,
            ReadinessSnapshot.inputs,
        ).where(
            ReadinessSnapshot.round_id == round_a_id,
            ReadinessSnapshot.taken_on.in_([day for _, day in chosen]),
            ReadinessSnapshot.scope_key.startswith("question:"),
        )
    ):
        facts = inputs or {}
        if "number" not in facts:
            continue
        number = int(facts["number"])
        target = facts.get("target")
        outcomes[taken_on].append(
            Outcome(number, baseline, target, expected, chance, actual.get(number))
        )
    return [
        ScoredForecast(label, score_forecast(outcomes[day], taken_on=day)) for label, day in chosen
    ]


def outcomes_of(report: ReadinessReport, actual: dict[int, int]) -> list[Outcome]:
    return [
        Outcome(q.number, q.baseline, q.target, q.expected, q.chance, actual.get(q.number))
        for q in report.questions
    ]


@dataclass(frozen=True)
class RoundBacktest:
    round_name: str
    held_on: date
    earlier_round: str
    forecasts: list[ScoredForecast]


@dataclass(frozen=True)
class Backtest:
    rounds: list[RoundBacktest]
    pooled: ForecastScore  # every round's forecast made the day before, together


def backtest(session: Session, organisation_id: int) -> Backtest:
    """Replay every round after the first: what the round before it would have forecast."""
    rounds = session.execute(
        select(AssessmentRound.id, AssessmentRound.name, AssessmentRound.held_on)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on, AssessmentRound.id)
    ).all()
    ranks: dict[int, dict[int, int]] = defaultdict(dict)
    for round_id, number, rank in session.execute(
        select(Score.round_id, Question.number, MaturityLevel.rank)
        .join(Question, Score.question_id == Question.id)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .where(Score.round_id.in_([r.id for r in rounds]))
    ):
        ranks[round_id][number] = rank
    results: list[RoundBacktest] = []
    pooled: list[Outcome] = []
    for earlier, later in pairwise(rounds):
        forecasts = []
        for label, days in (("the day before", 1), (f"{EARLY_DAYS} days before", EARLY_DAYS)):
            as_of = later.held_on - timedelta(days=days)
            if as_of < earlier.held_on:
                continue
            loaded = load_inputs(
                session, organisation_id, as_of, replay=(earlier.id, later.held_on)
            )
            if loaded is None:
                continue
            outcomes = outcomes_of(build_report(organisation_id, loaded), ranks[later.id])
            if days == 1:
                pooled.extend(outcomes)
            forecasts.append(ScoredForecast(label, score_forecast(outcomes, taken_on=as_of)))
        results.append(RoundBacktest(later.name, later.held_on, earlier.name, forecasts))
    return Backtest(results, score_forecast(pooled))
