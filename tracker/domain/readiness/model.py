"""The readiness model: pure functions over plain frozen dataclasses (no database, no clock).

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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

PRIOR_SUCCESSES = 2
PRIOR_WEIGHT = 4
ON_TRACK_FROM = 0.75  # share of the planned rise expected by the round
SOME_ISSUES_FROM = 0.4
ON_TRACK = "On track"
SOME_ISSUES = "Some issues"
NOT_ON_TRACK = "Not on track"
NO_ACTIONS = "No actions planned"


@dataclass(frozen=True)
class MilestoneInput:
    """A milestone as the model sees it. `done_on` is the (UK) date it was ticked;
    `assured_on` the date evidence covering it was accepted (None when there is none)."""

    id: int
    weight: int
    due_on: date
    original_due_on: date
    done_on: date | None = None
    assured_on: date | None = None
    title: str = ""


@dataclass(frozen=True)
class ActionInput:
    id: int
    question_id: int
    target_rank: int
    milestones: tuple[MilestoneInput, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class QuestionInput:
    id: int
    number: int
    component_id: int
    rank_now: int
    text: str = ""


@dataclass(frozen=True)
class ComponentInput:
    id: int
    position: int
    name: str


@dataclass(frozen=True)
class ModelInputs:
    """Everything the model needs; `round_on` is the next round date (None: no cut-off)."""

    as_of: date
    round_on: date | None
    components: tuple[ComponentInput, ...]
    questions: tuple[QuestionInput, ...]
    actions: tuple[ActionInput, ...]


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


def is_done(milestone: MilestoneInput, as_of: date) -> bool:
    return milestone.done_on is not None and milestone.done_on <= as_of


def is_assured(milestone: MilestoneInput, as_of: date) -> bool:
    return (
        is_done(milestone, as_of)
        and milestone.assured_on is not None
        and milestone.assured_on <= as_of
    )


def on_time_record(actions: tuple[ActionInput, ...], as_of: date) -> OnTimeRecord:
    """Count milestones finished, or whose original due date has passed, and how many of
    those were finished by their original due date (the organisation's own track record)."""
    on_time = counted = 0
    for action in actions:
        for m in action.milestones:
            done = is_done(m, as_of)
            if done or m.original_due_on < as_of:
                counted += 1
                if done and m.done_on is not None and m.done_on <= m.original_due_on:
                    on_time += 1
    return OnTimeRecord(on_time=on_time, finished_or_due=counted)


def counts_by_round(milestone: MilestoneInput, round_on: date | None) -> bool:
    return round_on is None or milestone.due_on <= round_on


def action_completion(
    action: ActionInput, as_of: date, round_on: date | None, rate: float
) -> tuple[float, float]:
    """(expected, assured) share of an action done by the round date, each 0..1."""
    total = sum(m.weight for m in action.milestones)
    if total == 0:
        return 0.0, 0.0
    expected = assured = 0.0
    for m in action.milestones:
        if is_done(m, as_of):
            expected += m.weight
            if is_assured(m, as_of):
                assured += m.weight
        elif counts_by_round(m, round_on):
            expected += m.weight * rate
    return expected / total, assured / total


def status_for(baseline: float, target: float, expected: float) -> str:
    """Status in words from the share of the planned rise the forecast reaches."""
    if target <= baseline:
        return NO_ACTIONS
    share = round((expected - baseline) / (target - baseline), 9)  # 0.4 is 0.4, not 0.3999...
    if share >= ON_TRACK_FROM:
        return ON_TRACK
    if share >= SOME_ISSUES_FROM:
        return SOME_ISSUES
    return NOT_ON_TRACK


def question_score(
    question: QuestionInput,
    actions: list[ActionInput],
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


def run_model(inputs: ModelInputs) -> ModelResult:
    """Score every question, then every component and the organisation as means."""
    record = on_time_record(inputs.actions, inputs.as_of)
    rate = record.rate
    completion = {
        a.id: action_completion(a, inputs.as_of, inputs.round_on, rate) for a in inputs.actions
    }
    by_question: dict[int, list[ActionInput]] = defaultdict(list)
    for action in inputs.actions:
        by_question[action.question_id].append(action)
    questions = tuple(
        question_score(q, by_question.get(q.id, []), completion)
        for q in sorted(inputs.questions, key=lambda q: q.number)
    )
    components = []
    for c in sorted(inputs.components, key=lambda c: c.position):
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
    inputs: ModelInputs, result: ModelResult
) -> list[tuple[MilestoneInput, ActionInput, float]]:
    """For each open milestone, how much its question's expected score would rise if it were
    done today, holding the on-time rate fixed; largest first."""
    rate = result.record.rate
    scores = {q.question_id: q for q in result.questions}
    gaps: dict[int, int] = defaultdict(int)
    for a in inputs.actions:
        q = scores.get(a.question_id)
        if q and a.target_rank > q.baseline:
            gaps[a.question_id] += a.target_rank - int(q.baseline)
    gains = []
    for a in inputs.actions:
        q = scores.get(a.question_id)
        if q is None or a.target_rank <= q.baseline:
            continue
        total = sum(m.weight for m in a.milestones)
        share = (a.target_rank - q.baseline) / gaps[a.question_id]
        for m in a.milestones:
            if is_done(m, inputs.as_of):
                continue
            rise = m.weight * (1 - rate if counts_by_round(m, inputs.round_on) else 1) / total
            gains.append((m, a, (q.target - q.baseline) * share * rise))
    gains.sort(key=lambda item: (-item[2], item[0].due_on, item[0].id))
    return gains
