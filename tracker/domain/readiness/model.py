"""The readiness model: pure functions over tallied inputs (`tally.py`; no database, no clock).

In plain words:
- each question starts at its level (rank) in the latest round;
- an action carries its question toward its target rank; its expected completion by the round
  date is (weight of milestones done + weight of open milestones due on or before the round date
  x on-time rate) / total weight; open milestones due after the round date count nothing, and an
  action with no milestones counts 0;
- the on-time rate is the organisation's own record of finishing milestones by their ORIGINAL due
  date, smoothed with a prior of 2 successes in 4 (0.5 with the weight of 4 milestones):
  (on time + 2) / (finished or past due + 4);
- a question's expected score = level now + (highest target - level now) x the completion of its
  actions, each weighted by its own gap (target - level now); actions aimed at or below the
  current level are ignored, so the score never exceeds the highest target;
- the assured score counts only milestones done whose evidence a director accepted (see
  `MilestoneInput.assured_on`), with no forecast at all, so assured never exceeds expected;
- component and overall scores are the mean over their questions.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from tracker.domain.readiness.model_inputs import (
    ActionInput,
    ComponentInput,
    MilestoneInput,
    ModelInputs,
    QuestionInput,
)
from tracker.domain.readiness.tally import (
    ActionTally,
    OpenMilestone,
    OpenRow,
    Tallied,
    as_tallied,
)

PRIOR_SUCCESSES = 2
PRIOR_WEIGHT = 4
ON_TRACK_FROM = 0.75  # share of the planned rise expected by the round
SOME_ISSUES_FROM = 0.4
ON_TRACK = "On track"
SOME_ISSUES = "Some issues"
NOT_ON_TRACK = "Not on track"
NO_ACTIONS = "No actions planned"


@dataclass(frozen=True)
class OnTimeRecord:
    on_time: int
    finished_or_due: int

    @property
    def rate(self) -> float:
        return (self.on_time + PRIOR_SUCCESSES) / (self.finished_or_due + PRIOR_WEIGHT)


@dataclass(frozen=True)
class Score:
    """Baseline (level now), target, expected and assured, with a status in words."""

    baseline: float
    target: float
    expected: float
    assured: float
    status: str


@dataclass(frozen=True)
class QuestionScore(Score):
    question_id: int = 0
    number: int = 0
    component_id: int = 0
    action_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ComponentScore(Score):
    component_id: int = 0
    position: int = 0
    name: str = ""
    question_numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class ModelResult:
    record: OnTimeRecord
    overall: Score
    components: tuple[ComponentScore, ...]
    questions: tuple[QuestionScore, ...]
    completion: dict[int, tuple[float, float]] = field(default_factory=dict)


def shown(value: float) -> float:
    """The one rounding every reader sees: 2 decimal places (the page, the board report, the
    JSON, the exports and the snapshots all print this)."""
    return round(value + 0.0, 2)


def status_for(baseline: float, target: float, expected: float) -> str:
    """Status in words from the share of the planned rise the forecast reaches.

    Decided from the figures as shown (each rounded by `shown`), never the unrounded ones, so
    the words always follow the stated rule applied to what the reader sees: level now 1.50,
    expected 1.70 and target 2.00 is 40% of the rise, "Some issues", even when the unrounded
    expected is 1.697. The shares are compared in whole hundredths, so 40% is exactly 40%."""
    now, aim, forecast = (round(shown(v) * 100) for v in (baseline, target, expected))
    planned = aim - now
    if planned <= 0:
        return NO_ACTIONS
    risen = (forecast - now) * 100
    if risen >= round(ON_TRACK_FROM * 100) * planned:
        return ON_TRACK
    if risen >= round(SOME_ISSUES_FROM * 100) * planned:
        return SOME_ISSUES
    return NOT_ON_TRACK


def question_score(
    question: QuestionInput,
    actions: list[ActionTally],
    completion: dict[int, tuple[float, float]],
) -> QuestionScore:
    """Level now + (highest target - now) x gap-weighted completion of its actions."""
    now = question.rank_now
    raising = [a for a in actions if a.target_rank > now]
    target = max((a.target_rank for a in raising), default=now)
    gaps = sum(a.target_rank - now for a in raising)
    exp_share = ass_share = 0.0
    if gaps:
        exp_share = sum((a.target_rank - now) * completion[a.id][0] for a in raising) / gaps
        ass_share = sum((a.target_rank - now) * completion[a.id][1] for a in raising) / gaps
    expected = now + (target - now) * exp_share
    assured = now + (target - now) * ass_share
    return QuestionScore(
        baseline=float(now),
        target=float(target),
        expected=expected,
        assured=min(assured, expected),
        status=status_for(now, target, expected),
        question_id=question.id,
        number=question.number,
        component_id=question.component_id,
        action_ids=tuple(a.id for a in actions),
    )


def mean_score(scores: list[QuestionScore]) -> tuple[float, float, float, float]:
    n = len(scores) or 1
    return (
        sum(s.baseline for s in scores) / n,
        sum(s.target for s in scores) / n,
        sum(s.expected for s in scores) / n,
        sum(s.assured for s in scores) / n,
    )


def run_model(inputs: ModelInputs | Tallied) -> ModelResult:
    """Score every question, then every component and the organisation as means."""
    tallied = as_tallied(inputs)
    record = OnTimeRecord(tallied.record.on_time, tallied.record.finished_or_due)
    rate = record.rate
    completion = {a.id: a.completion(rate) for a in tallied.actions}
    by_question: dict[int, list[ActionTally]] = defaultdict(list)
    for action in tallied.actions:
        by_question[action.question_id].append(action)
    questions = tuple(
        question_score(q, by_question.get(q.id, []), completion)
        for q in sorted(tallied.questions, key=lambda q: q.number)
    )
    components = []
    for c in sorted(tallied.components, key=lambda c: c.position):
        mine = [q for q in questions if q.component_id == c.id]
        base, target, expected, assured = mean_score(mine)
        components.append(
            ComponentScore(
                base,
                target,
                expected,
                assured,
                status_for(base, target, expected),
                component_id=c.id,
                position=c.position,
                name=c.name,
                question_numbers=tuple(q.number for q in mine),
            )
        )
    base, target, expected, assured = mean_score(list(questions))
    overall = Score(base, target, expected, assured, status_for(base, target, expected))
    return ModelResult(record, overall, tuple(components), questions, completion)


def marginal_gains(
    inputs: ModelInputs | Tallied, result: ModelResult, limit: int | None = None
) -> list[tuple[OpenMilestone, ActionTally, float]]:
    """For each open milestone, how much its question's expected score would rise if it were
    done today, holding the on-time rate fixed. Those due by the round date come first (the
    work the round will see), each group largest first; the first `limit` only."""
    tallied = as_tallied(inputs)
    rate = result.record.rate
    round_on = tallied.round_on
    scores = {q.question_id: q for q in result.questions}
    gaps: dict[int, int] = defaultdict(int)
    for a in tallied.actions:
        q = scores.get(a.question_id)
        if q and a.target_rank > q.baseline:
            gaps[a.question_id] += a.target_rank - int(q.baseline)
    # Ordered by (due after the round, -gain, due, id): with a limit only a heap of that many
    # is kept, whose top is the worst kept, so most milestones cost a comparison of two
    # numbers and build nothing.
    if limit is not None and limit <= 0:
        return []
    kept: list[_Ranked] = []
    full = False
    worst: tuple[int, float, date, int] = (2, 0.0, date.max, 0)
    last = date.max if round_on is None else round_on
    for a in tallied.actions:
        q = scores.get(a.question_id)
        if q is None or a.target_rank <= q.baseline or not a.open:
            continue
        scale = (q.target - q.baseline) * (a.target_rank - q.baseline) / gaps[a.question_id]
        scale /= a.weight
        # Once the ten kept are all due by the round, an action whose whole open weight due by
        # then would gain less than the worst of them has no milestone that could be kept.
        if full and worst[0] == 0 and scale * a.due_weight * (1 - rate) < -worst[1]:
            continue
        for m in a.open:
            late = 0 if m[2] <= last else 1
            gain = scale * m[1] * (1 - rate if not late else 1)
            if full and (late > worst[0] or (late == worst[0] and -gain > worst[1])):
                continue
            order = (late, -gain, m[2], m[0])
            if limit is None:
                kept.append(_Ranked(order, m, a))
            elif not full:
                heapq.heappush(kept, _Ranked(order, m, a))
                full = len(kept) >= limit
                worst = kept[0].order
            elif order < worst:
                heapq.heapreplace(kept, _Ranked(order, m, a))
                worst = kept[0].order
    kept.sort(key=lambda item: item.order)
    return [(OpenMilestone(*item.milestone), item.action, -item.order[1]) for item in kept]


class _Ranked:
    """A candidate mover; in the heap the largest `order` (the worst kept) sits on top."""

    __slots__ = ("action", "milestone", "order")

    def __init__(
        self, order: tuple[int, float, date, int], milestone: OpenRow, action: ActionTally
    ) -> None:
        self.order = order
        self.milestone = milestone
        self.action = action

    def __lt__(self, other: _Ranked) -> bool:
        return self.order > other.order


__all__ = [
    "ActionInput",
    "ComponentInput",
    "MilestoneInput",
    "ModelInputs",
    "QuestionInput",
    "marginal_gains",
    "run_model",
]
