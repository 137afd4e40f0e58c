"""The readiness report: the model's result dressed with names, at-risk actions and the
milestones that would move the score most. Everything here is pure (no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tracker.domain.readiness.chances import (
    HIGH_PERCENTILE,
    LOW_PERCENTILE,
    PRIOR_FINISHED,
    PRIOR_NEVER,
    Chances,
    Spread,
    compute_chances,
)
from tracker.domain.readiness.figures import Figures, Scored, figures_of
from tracker.domain.readiness.inputs import Loaded
from tracker.domain.readiness.model import (
    PRIOR_SUCCESSES,
    PRIOR_WEIGHT,
    ComponentScore,
    ModelResult,
    QuestionScore,
    Score,
    marginal_gains,
    run_model,
    shown,
)
from tracker.domain.readiness.risks import AtRiskItem, at_risk_items

MOVERS_SHOWN = 10


@dataclass(frozen=True)
class QuestionReadiness:
    question_id: int
    number: int
    text: str
    component_id: int
    level_now: str
    target_level: str
    baseline: float
    target: float
    expected: float
    assured: float
    status: str
    action_ids: tuple[int, ...]
    chance: float = 1.0  # of reaching its target by the round date
    low: float = 0.0  # 10th percentile of its whole level
    high: float = 0.0  # 90th percentile


@dataclass(frozen=True)
class Likely:
    """The likely range (10th to 90th percentile) of a mean level, and the chance that every
    question in it reaches its target."""

    low: float
    high: float
    chance: float

    @classmethod
    def of(cls, spread: Spread, reach: Iterable[float]) -> Likely:
        """The range of `spread`, and the chance that every question reaches its target: the
        product of their chances (`reach`), under the model's independence assumption. (The
        top of the spread is the highest mean that can happen, which is below the target
        when some question cannot reach its own, so its probability is not that chance.)"""
        chance = 1.0
        for p in reach:
            chance *= p
        return cls(spread.low, spread.high, chance)


@dataclass(frozen=True)
class Mover:
    milestone_id: int
    milestone_title: str
    action_id: int
    action_title: str
    question_number: int
    due_on: date
    gain: float
    due_by_round: bool = True  # due on or before the next round (listed first)


@dataclass(frozen=True)
class ReadinessReport:
    organisation_id: int
    round_id: int
    round_name: str
    held_on: date
    next_round_on: date | None
    as_of: date
    on_time: int
    finished_or_due: int
    on_time_rate: float
    overall: Score
    components: tuple[ComponentScore, ...]
    questions: tuple[QuestionReadiness, ...]
    at_risk: tuple[AtRiskItem, ...]
    movers: tuple[Mover, ...]
    counts: dict[str, int]
    level_names: dict[int, str]
    overall_likely: Likely
    component_likely: dict[int, Likely]  # component id ->
    finished_milestones: int  # the lateness record: finished, and open (censored)
    open_milestones: int
    by_due_date: float  # learned chance a milestone is done by its original due date
    within_30_days: float  # ... by 30 days after it

    def shown(self, score: Scored) -> Figures:
        """A score as every reader sees it: rounded figures, the status they give, level names
        (the readiness page, the board report and the exports all show scores through this)."""
        return figures_of(score, self.level_names)


def name_movers(report: ReadinessReport, titles: dict[int, str]) -> ReadinessReport:
    """The report with its movers' milestone titles filled in from `titles` (id -> title)."""
    movers = tuple(
        replace(m, milestone_title=titles.get(m.milestone_id, m.milestone_title))
        for m in report.movers
    )
    return replace(report, movers=movers)


def round2(value: float) -> float:
    """The one rounding used by the page, the JSON, the board report and the exports (the
    model's `shown`, from which it also decides every status)."""
    return shown(value)


def build_report(organisation_id: int, loaded: Loaded) -> ReadinessReport:
    """Run the model on loaded inputs and attach names, risks and movers."""
    inputs = loaded.inputs
    result: ModelResult = run_model(inputs)
    chances: Chances = compute_chances(inputs)
    names = loaded.level_names
    number_of = {q.id: q.number for q in inputs.questions}
    questions = tuple(
        _question(q, loaded.question_text.get(q.question_id, ""), names, chances)
        for q in result.questions
    )
    at_risk = at_risk_items(loaded.facts, inputs.actions, inputs.as_of, number_of)
    movers = tuple(
        Mover(
            milestone_id=m.id,
            milestone_title="",  # named by `name_movers`, which reads the few titles shown
            action_id=a.id,
            action_title=a.title,
            question_number=number_of[a.question_id],
            due_on=m.due_on,
            gain=gain,
            due_by_round=inputs.round_on is None or m.due_on <= inputs.round_on,
        )
        for m, a, gain in marginal_gains(inputs, result, MOVERS_SHOWN)
        if gain > 0
    )
    n_milestones = n_done = 0
    for a in inputs.actions:
        n_milestones += a.milestones
        n_done += a.milestones - len(a.open)
    return ReadinessReport(
        organisation_id=organisation_id,
        round_id=loaded.round_id,
        round_name=loaded.round_name,
        held_on=loaded.held_on,
        next_round_on=loaded.next_round_on,
        as_of=inputs.as_of,
        on_time=result.record.on_time,
        finished_or_due=result.record.finished_or_due,
        on_time_rate=result.record.rate,
        overall=result.overall,
        components=result.components,
        questions=questions,
        at_risk=at_risk,
        movers=movers,
        counts={
            "actions": len(inputs.actions),
            "milestones": n_milestones,
            "milestones_done": n_done,
        },
        level_names=names,
        overall_likely=Likely.of(chances.overall, chances.question.values()),
        component_likely={
            c: Likely.of(
                spread,
                (chances.question[q.id] for q in inputs.questions if q.component_id == c),
            )
            for c, spread in chances.components.items()
        },
        finished_milestones=chances.lateness.finished,
        open_milestones=chances.lateness.still_open,
        by_due_date=1.0 - chances.lateness.survives(0),
        within_30_days=1.0 - chances.lateness.survives(30),
    )


def _question(
    q: QuestionScore, text: str, names: dict[int, str], chances: Chances
) -> QuestionReadiness:
    spread = chances.levels[q.question_id]
    return QuestionReadiness(
        question_id=q.question_id,
        number=q.number,
        text=text,
        component_id=q.component_id,
        level_now=names.get(int(q.baseline), str(int(q.baseline))),
        target_level=names.get(int(q.target), str(int(q.target))),
        baseline=q.baseline,
        target=q.target,
        expected=q.expected,
        assured=q.assured,
        status=q.status,
        action_ids=q.action_ids,
        chance=chances.question[q.question_id],
        low=spread.low,
        high=spread.high,
    )


def score_dict(score: Score, likely: Likely | QuestionReadiness) -> dict[str, Any]:
    shown_ = figures_of(score, {})
    return {
        "baseline": shown_.baseline,
        "target": shown_.target,
        "expected": shown_.expected,
        "assured": shown_.assured,
        "status": shown_.status,
        "chance_of_target": round2(likely.chance),
        "likely_low": round2(likely.low),
        "likely_high": round2(likely.high),
    }


def percent(value: float) -> int:
    """A chance as a whole percentage, from the same 2-decimal rounding as everywhere."""
    return round(round2(value) * 100)


def report_as_dict(report: ReadinessReport) -> dict[str, Any]:
    """The JSON shape of `flask readiness show --json` (keys documented in the notes)."""
    return {
        "round": report.round_name,
        "round_held_on": report.held_on.isoformat(),
        "next_round_on": report.next_round_on.isoformat() if report.next_round_on else None,
        "as_of": report.as_of.isoformat(),
        "on_time_rate": {
            "on_time": report.on_time,
            "finished_or_due": report.finished_or_due,
            "prior_successes": PRIOR_SUCCESSES,
            "prior_weight": PRIOR_WEIGHT,
            "rate": round2(report.on_time_rate),
        },
        "lateness": {
            "finished": report.finished_milestones,
            "still_open": report.open_milestones,
            "prior_finished": [{"days_late": d, "weight": w} for d, w in PRIOR_FINISHED],
            "prior_never_finished": PRIOR_NEVER,
            "by_due_date": round2(report.by_due_date),
            "within_30_days": round2(report.within_30_days),
        },
        "likely_range_percentiles": [round(LOW_PERCENTILE * 100), round(HIGH_PERCENTILE * 100)],
        "overall": score_dict(report.overall, report.overall_likely),
        "components": [
            {
                "position": c.position,
                "name": c.name,
                **score_dict(c, report.component_likely[c.component_id]),
            }
            for c in report.components
        ],
        "questions": [
            {
                "number": q.number,
                "component_position": _position(report, q.component_id),
                "level_now": q.level_now,
                "target_level": q.target_level,
                **score_dict(_as_score(q), q),
            }
            for q in report.questions
        ],
        "at_risk": [
            {
                "action_id": item.action_id,
                "title": item.title,
                "question": item.question_number,
                "reasons": list(item.reasons),
            }
            for item in report.at_risk
        ],
    }


def _as_score(q: QuestionReadiness) -> Score:
    return Score(q.baseline, q.target, q.expected, q.assured, q.status)


def _position(report: ReadinessReport, component_id: int) -> int:
    return next((c.position for c in report.components if c.component_id == component_id), 0)
