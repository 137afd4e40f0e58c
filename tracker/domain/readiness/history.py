"""Rounds of an organisation and their component means (for the radar chart and the
comparison form), the model's accuracy after a re-measurement, and recording an action's
outcome. Constant number of queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.actions import lifecycle
from tracker.domain.actions.closing_emails import Mail
from tracker.domain.audit import record
from tracker.domain.errors import DomainError, NotFound, check_version
from tracker.domain.readiness.backtest import ScoredForecast, stored_scores
from tracker.domain.rounds.comparison import RoundComparison, compare_rounds
from tracker.models import (
    SIGN_OFF_OUTCOMES,
    Action,
    ActionOutcome,
    AssessmentRound,
    Component,
    MaturityLevel,
    Question,
    ReadinessSnapshot,
    Score,
    User,
)

OUTCOME_MESSAGE = "Choose verified, partly effective, not effective or carried forward"
MOVE_THRESHOLD = 0.5  # a forecast rise of at least half a level counts as "predicted to move"


@dataclass(frozen=True)
class RoundSummary:
    id: int
    name: str
    held_on: date
    component_means: dict[int, float]  # component position -> mean rank


def rounds_with_means(session: Session, organisation_id: int) -> list[RoundSummary]:
    """Every round of the organisation, oldest first, with each component's mean rank."""
    rounds = session.execute(
        select(AssessmentRound.id, AssessmentRound.name, AssessmentRound.held_on)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on, AssessmentRound.id)
    ).all()
    means: dict[int, dict[int, float]] = defaultdict(dict)
    for round_id, position, mean in session.execute(
        select(Score.round_id, Component.position, func.avg(MaturityLevel.rank))
        .join(Question, Score.question_id == Question.id)
        .join(Component, Question.component_id == Component.id)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .join(AssessmentRound, Score.round_id == AssessmentRound.id)
        .where(AssessmentRound.organisation_id == organisation_id)
        .group_by(Score.round_id, Component.position)
    ):
        means[round_id][position] = float(mean)
    return [RoundSummary(r.id, r.name, r.held_on, means[r.id]) for r in rounds]


@dataclass(frozen=True)
class Prediction:
    number: int
    rank_a: int | None
    rank_b: int | None
    expected: float | None

    @property
    def predicted_move(self) -> bool:
        return (
            self.expected is not None
            and self.rank_a is not None
            and self.expected - self.rank_a >= MOVE_THRESHOLD
        )

    @property
    def moved(self) -> bool:
        return self.rank_a is not None and self.rank_b is not None and self.rank_b > self.rank_a

    @property
    def error(self) -> float | None:
        if self.expected is None or self.rank_b is None:
            return None
        return abs(self.expected - self.rank_b)


@dataclass(frozen=True)
class Accuracy:
    """How the stored forecast did. `snapshot_on` is the day it was made and `aimed_at` the
    round date it forecast for (None when no next-round date was set then), which may differ
    from the day the later round was actually held."""

    snapshot_on: date | None
    mean_absolute_error: float | None
    predicted_to_move: int
    predicted_and_moved: int
    moved: int
    aimed_at: date | None = None


@dataclass(frozen=True)
class ModelCheck:
    comparison: RoundComparison
    predictions: list[Prediction]
    accuracy: Accuracy
    actions: list[Action]
    component_expected: dict[int, float]  # component position -> expected in the forecast
    scores: list[ScoredForecast] = field(default_factory=list)  # the stored forecasts, scored
    level_names: dict[int, str] = field(default_factory=dict)  # rank -> name, whole scale

    @property
    def aimed_elsewhere(self) -> bool:
        """The forecast was made for another round date than the one the round was held on."""
        return (
            self.accuracy.snapshot_on is not None
            and self.accuracy.aimed_at != self.comparison.round_b_held_on
        )


def check_model(
    session: Session, organisation_id: int, round_a_id: int, round_b_id: int
) -> ModelCheck:
    """Compare two rounds and what the model expected for round B: the last snapshot of
    round A taken before round B was held. Also the actions on questions that moved."""
    ids = set(
        session.scalars(
            select(AssessmentRound.id).where(
                AssessmentRound.id.in_([round_a_id, round_b_id]),
                AssessmentRound.organisation_id == organisation_id,
            )
        )
    )
    if ids != {round_a_id, round_b_id}:
        raise NotFound("That round does not exist")
    comparison = compare_rounds(session, round_a_id, round_b_id)
    snapshot_on = session.scalar(
        select(func.max(ReadinessSnapshot.taken_on)).where(
            ReadinessSnapshot.round_id == round_a_id,
            ReadinessSnapshot.taken_on < comparison.round_b_held_on,
        )
    )
    expected: dict[int, float] = {}
    component_expected: dict[int, float] = {}
    aimed_at: date | None = None
    if snapshot_on is not None:
        for key, inputs, value in session.execute(
            select(
                ReadinessSnapshot.scope_key, ReadinessSnapshot.inputs, ReadinessSnapshot.expected
            ).where(
                ReadinessSnapshot.round_id == round_a_id,
                ReadinessSnapshot.taken_on == snapshot_on,
            )
        ):
            inputs = inputs or {}
            if inputs.get("next_round_on"):
                aimed_at = date.fromisoformat(inputs["next_round_on"])
            if key.startswith("question:") and "number" in inputs:
                expected[int(inputs["number"])] = value
            elif key.startswith("component:") and "position" in inputs:
                component_expected[int(inputs["position"])] = value
    predictions = [
        Prediction(
            q.number, q.a.rank if q.a else None, q.b.rank if q.b else None, expected.get(q.number)
        )
        for q in comparison.questions
    ]
    errors = [p.error for p in predictions if p.error is not None]
    accuracy = Accuracy(
        snapshot_on=snapshot_on,
        mean_absolute_error=sum(errors) / len(errors) if errors else None,
        predicted_to_move=sum(p.predicted_move for p in predictions),
        predicted_and_moved=sum(p.predicted_move and p.moved for p in predictions),
        moved=sum(p.moved for p in predictions),
        aimed_at=aimed_at,
    )
    moved_numbers = [p.number for p in predictions if p.moved]
    actions = list(
        session.scalars(
            select(Action)
            .join(Question, Action.question_id == Question.id)
            .join(AssessmentRound, Action.round_id == AssessmentRound.id)
            .options(joinedload(Action.question), joinedload(Action.owner))
            .where(
                AssessmentRound.organisation_id == organisation_id,
                AssessmentRound.held_on <= comparison.round_a_held_on,
                Action.deleted_at.is_(None),
                Question.number.in_(moved_numbers),
            )
            .order_by(Question.number, Action.id)
        ).unique()
    )
    actual = {q.number: q.b.rank for q in comparison.questions if q.b is not None}
    scores = stored_scores(session, round_a_id, comparison.round_b_held_on, actual)
    level_names = dict(
        session.execute(
            select(MaturityLevel.rank, MaturityLevel.name)
            .join(AssessmentRound, AssessmentRound.framework_id == MaturityLevel.framework_id)
            .where(AssessmentRound.id == round_b_id)
        ).all()
    )
    return ModelCheck(
        comparison, predictions, accuracy, actions, component_expected, scores, level_names
    )


def record_outcome(
    session: Session,
    actor: User,
    action: Action,
    outcome: str,
    *,
    now: datetime,
    expected_version: int | None = None,
    mail: Mail | None = None,
) -> Action:
    """Record whether an action moved its question, after a re-measurement (the caller
    checked the actor may decide on it).

    Verified, partly effective and not effective sign the action off: the lifecycle moves it
    from review to completed (refused from any other state) and tells its owner. Carried
    forward is no sign-off: the action stays open and keeps counting toward the next round.
    A page showing an older version of the action is refused."""
    if outcome == ActionOutcome.CARRIED_FORWARD:
        check_version(action.version, expected_version)
        lifecycle.check_open(action)
        before = {"outcome": action.outcome}
        action.outcome = outcome
        record(session, actor, "action", action.id, "record_outcome", at=now,
               before=before, after={"outcome": outcome})  # fmt: skip
        session.flush()
        return action
    if outcome not in {o.value for o in SIGN_OFF_OUTCOMES}:
        raise DomainError(OUTCOME_MESSAGE, field="outcome")
    return lifecycle.sign_off_by(session, actor, action, outcome, now=now,
                                 expected_version=expected_version, mail=mail)  # fmt: skip
