"""The board pack: the readiness report put as a trust board reads it.

Besides the report itself it says, in plain words, what changed since the previous round (how
many questions moved up or down, each component's mean before and after) and what the forecast
says (the expected level by the next round, its likely range, the chance of reaching targets);
it counts actions by status and component; it names a question that has already reached its
target "Target met" rather than "No actions planned" (a success, not a gap); and, when the
organisation shares with its system, it says how it compares with its partners.

Pure except `build_board_pack`, which reads (a constant number of queries) and never writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain.audit.wording import VALUES
from tracker.domain.organisations.partners import PartnerComparison, partner_comparison
from tracker.domain.readiness.board_words import board_summary
from tracker.domain.readiness.model import NO_ACTIONS
from tracker.domain.readiness.report import QuestionReadiness, ReadinessReport
from tracker.domain.rounds.comparison import RoundComparison, compare_rounds
from tracker.models import Action, ActionStatus, AssessmentRound, Component, Question

TARGET_MET = "Target met"
AT_THE_TOP = "Highest level reached"
STATUS_ORDER = tuple(status.value for status in ActionStatus)


@dataclass(frozen=True)
class ComponentActions:
    number: int
    name: str
    by_status: dict[str, int]  # status value -> count (every status present, 0 included)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True)
class ActionCounts:
    """Live (not deleted) actions of the organisation by component and by status."""

    components: tuple[ComponentActions, ...]

    @property
    def statuses(self) -> tuple[tuple[str, str], ...]:
        """(status value, its words) in the order a plan moves through them."""
        return tuple((s, VALUES["status"][s]) for s in STATUS_ORDER)

    def by_status(self, status: str) -> int:
        return sum(c.by_status.get(status, 0) for c in self.components)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.components)


@dataclass(frozen=True)
class BoardPack:
    organisation_name: str
    report: ReadinessReport
    previous: RoundComparison | None  # the previous round against this one
    actions: ActionCounts
    question_status: dict[int, str]  # question id -> status words for the board
    component_status: dict[int, str]  # component id -> status words
    overall_status: str
    summary: str  # the one paragraph of change and forecast
    partners: PartnerComparison | None

    @property
    def moved(self) -> tuple[int, int, int]:
        """Questions (scored in both rounds) that moved up, down, and stayed."""
        changes = [q.change for q in self.previous.questions] if self.previous else []
        known = [c for c in changes if c is not None]
        return (
            sum(1 for c in known if c > 0),
            sum(1 for c in known if c < 0),
            sum(1 for c in known if c == 0),
        )

    @property
    def previous_overall(self) -> float | None:
        """The organisation's mean level in the previous round."""
        return _overall(self.previous) if self.previous else None

    @property
    def previous_means(self) -> dict[int, float | None]:
        """Component position -> its mean in the previous round."""
        if self.previous is None:
            return {}
        return {c.position: c.mean_a for c in self.previous.components}


def question_words(q: QuestionReadiness, top: int) -> str:
    """The status a board reads: a question whose actions all aim at or below its level has
    met its target; one at the top of the scale cannot rise; otherwise the model's status."""
    if q.target > q.baseline:
        return q.status
    if q.action_ids:
        return TARGET_MET
    if q.baseline >= top:
        return AT_THE_TOP
    return NO_ACTIONS


def _group_words(status: str, words: list[str]) -> str:
    """A component's (or the organisation's) status: "Target met" when nothing in it aims
    higher and every question in it has met its target or is at the top of the scale."""
    if status != NO_ACTIONS or not words:
        return status
    if all(w in (TARGET_MET, AT_THE_TOP) for w in words) and TARGET_MET in words:
        return TARGET_MET
    return status


def _overall(previous: RoundComparison) -> float | None:
    ranks = [q.a.rank for q in previous.questions if q.a is not None]
    return sum(ranks) / len(ranks) if ranks else None


def previous_round_id(session: Session, report: ReadinessReport) -> int | None:
    """The organisation's round held just before the report's round (None for the first)."""
    return session.scalar(
        select(AssessmentRound.id)
        .where(
            AssessmentRound.organisation_id == report.organisation_id,
            AssessmentRound.id != report.round_id,
            (AssessmentRound.held_on < report.held_on)
            | (
                (AssessmentRound.held_on == report.held_on) & (AssessmentRound.id < report.round_id)
            ),
        )
        .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
        .limit(1)
    )


def action_counts(session: Session, report: ReadinessReport) -> ActionCounts:
    """Live actions of the organisation's rounds by component and status (one query); every
    component of the report's framework has a row, with zeros when it has no action."""
    found: dict[int, ComponentActions] = {
        c.component_id: ComponentActions(c.position, c.name, dict.fromkeys(STATUS_ORDER, 0))
        for c in report.components
    }
    rows = session.execute(
        select(Component.id, Component.position, Component.name, Action.status, func.count())
        .select_from(Action)
        .join(AssessmentRound, AssessmentRound.id == Action.round_id)
        .join(Question, Question.id == Action.question_id)
        .join(Component, Component.id == Question.component_id)
        .where(
            AssessmentRound.organisation_id == report.organisation_id,
            Action.deleted_at.is_(None),
        )
        .group_by(Component.id, Component.position, Component.name, Action.status)
        .order_by(Component.position, Component.id)
    ).all()
    for component_id, position, name, status, n in rows:
        item = found.setdefault(
            component_id, ComponentActions(position, name, dict.fromkeys(STATUS_ORDER, 0))
        )
        item.by_status[status] = item.by_status.get(status, 0) + int(n)
    return ActionCounts(tuple(sorted(found.values(), key=lambda c: c.number)))


def build_board_pack(
    session: Session, report: ReadinessReport, *, organisation_name: str
) -> BoardPack:
    """Everything the board pack shows beyond the report (reads only)."""
    previous_id = previous_round_id(session, report)
    previous = compare_rounds(session, previous_id, report.round_id) if previous_id else None
    top = max([1, *report.level_names])
    question_status = {q.question_id: question_words(q, top) for q in report.questions}
    component_status = {
        c.component_id: _group_words(
            c.status,
            [
                question_status[q.question_id]
                for q in report.questions
                if q.component_id == c.component_id
            ],
        )
        for c in report.components
    }
    pack = BoardPack(
        organisation_name=organisation_name,
        report=report,
        previous=previous,
        actions=action_counts(session, report),
        question_status=question_status,
        component_status=component_status,
        overall_status=_group_words(report.overall.status, list(question_status.values())),
        summary="",
        partners=partner_comparison(session, report.organisation_id),
    )
    return _with_summary(pack)


def _with_summary(pack: BoardPack) -> BoardPack:
    return replace(pack, summary=board_summary(pack))


__all__ = [
    "AT_THE_TOP",
    "TARGET_MET",
    "ActionCounts",
    "BoardPack",
    "build_board_pack",
]
