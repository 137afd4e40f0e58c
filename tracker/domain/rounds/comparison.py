"""Comparing two rounds: each question's level in both and the change, and each component's
mean rank in both and the change. Three queries whatever the size of the framework."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain.errors import NotFound
from tracker.models import (
    AssessmentRound,
    Component,
    MaturityLevel,
    Question,
    Score,
    round_name_key,
)


@dataclass(frozen=True)
class LevelRef:
    rank: int
    name: str


@dataclass
class QuestionChange:
    number: int
    text: str
    component_position: int
    a: LevelRef | None
    b: LevelRef | None

    @property
    def change(self) -> int | None:
        """Ranks moved from round A to round B (None when either round did not score it)."""
        return self.b.rank - self.a.rank if self.a and self.b else None

    @property
    def movement(self) -> str:
        """The move in words: "Up 1 level", "Down 2 levels", "No change"."""
        change = self.change
        if change is None:
            return "Not scored in both rounds"
        if change == 0:
            return "No change"
        levels = "level" if abs(change) == 1 else "levels"
        return f"{'Up' if change > 0 else 'Down'} {abs(change)} {levels}"


@dataclass(frozen=True)
class MoveCounts:
    """How many questions moved up, moved down or stayed the same between two rounds."""

    up: int
    down: int
    same: int
    not_compared: int  # scored in only one of the two rounds

    def sentence(self) -> str:
        """ "Of 22 questions scored in both rounds, 3 moved up, 1 moved down and 18 stayed the
        same." Both directions always, so a fall is never hidden in a total."""
        both = self.up + self.down + self.same
        noun = "question" if both == 1 else "questions"
        text = (
            f"Of {both} {noun} scored in both rounds, {self.up} moved up, {self.down} moved "
            f"down and {self.same} stayed the same."
        )
        if self.not_compared:
            were = "was" if self.not_compared == 1 else "were"
            text += f" {self.not_compared} more {were} scored in only one of the rounds."
        return text


@dataclass
class ComponentChange:
    position: int
    name: str
    mean_a: float | None
    mean_b: float | None

    @property
    def change(self) -> float | None:
        if self.mean_a is None or self.mean_b is None:
            return None
        return round(self.mean_b - self.mean_a, 2)


@dataclass
class RoundComparison:
    round_a: str
    round_a_held_on: date
    round_b: str
    round_b_held_on: date
    questions: list[QuestionChange] = field(default_factory=list)
    components: list[ComponentChange] = field(default_factory=list)

    @property
    def moves(self) -> MoveCounts:
        """Questions that moved up, moved down, stayed the same, or cannot be compared."""
        changes = [q.change for q in self.questions]
        return MoveCounts(
            up=sum(1 for c in changes if c is not None and c > 0),
            down=sum(1 for c in changes if c is not None and c < 0),
            same=sum(1 for c in changes if c == 0),
            not_compared=sum(1 for c in changes if c is None),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (the CLI's --json and any web view use this)."""
        data = asdict(self)
        data["moves"] = asdict(self.moves)
        data["round_a_held_on"] = self.round_a_held_on.isoformat()
        data["round_b_held_on"] = self.round_b_held_on.isoformat()
        for item, question in zip(data["questions"], self.questions, strict=True):
            item["change"] = question.change
        for item, component in zip(data["components"], self.components, strict=True):
            item["change"] = component.change
        return data


def compare_rounds(session: Session, round_a_id: int, round_b_id: int) -> RoundComparison:
    """Per question and per component (mean rank, 2 decimals), the levels in A and B."""
    rounds = {
        r.id: r
        for r in session.scalars(
            select(AssessmentRound).where(AssessmentRound.id.in_([round_a_id, round_b_id]))
        )
    }
    if round_a_id not in rounds or round_b_id not in rounds:
        raise NotFound("That round does not exist")
    round_a, round_b = rounds[round_a_id], rounds[round_b_id]
    levels: dict[int, dict[int, LevelRef]] = {round_a_id: {}, round_b_id: {}}
    for round_id, question_id, rank, name in session.execute(
        select(Score.round_id, Score.question_id, MaturityLevel.rank, MaturityLevel.name)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .where(Score.round_id.in_([round_a_id, round_b_id]))
    ):
        levels[round_id][question_id] = LevelRef(rank, name)
    rows = session.execute(
        select(Question, Component)
        .join(Component, Question.component_id == Component.id)
        .where(Question.framework_id == round_b.framework_id)
        .order_by(Component.position, Question.number)
    ).all()
    comparison = RoundComparison(round_a.name, round_a.held_on, round_b.name, round_b.held_on)
    by_component: dict[int, ComponentChange] = {}
    ranks: dict[int, tuple[list[int], list[int]]] = {}
    for question, component in rows:
        a, b = levels[round_a_id].get(question.id), levels[round_b_id].get(question.id)
        if a is None and b is None:
            continue
        comparison.questions.append(
            QuestionChange(question.number, question.text, component.position, a, b)
        )
        by_component.setdefault(
            component.id, ComponentChange(component.position, component.name, None, None)
        )
        in_a, in_b = ranks.setdefault(component.id, ([], []))
        in_a.extend([a.rank] if a else [])
        in_b.extend([b.rank] if b else [])
    for component_id, item in by_component.items():
        in_a, in_b = ranks[component_id]
        item.mean_a = round(sum(in_a) / len(in_a), 2) if in_a else None
        item.mean_b = round(sum(in_b) / len(in_b), 2) if in_b else None
        comparison.components.append(item)
    return comparison


@dataclass(frozen=True)
class RoundOverview:
    id: int
    name: str
    held_on: date
    next_round_on: date | None
    status: str
    scores: int
    levels: dict[str, int]


def round_by_name(session: Session, organisation_id: int, name: str) -> AssessmentRound:
    """The organisation's round called `name`, by the same rule as imports and edits: case,
    accents and runs of spaces ignored (`round_name_key`)."""
    found = session.scalars(
        select(AssessmentRound).where(
            AssessmentRound.organisation_id == organisation_id,
            AssessmentRound.name_key == round_name_key(name),
        )
    ).first()
    if found is None:
        raise NotFound(f"There is no round called '{name}'")
    return found


def list_rounds(session: Session, organisation_id: int) -> list[RoundOverview]:
    """The organisation's rounds, oldest first, with their score counts per level (2 queries)."""
    rounds = session.scalars(
        select(AssessmentRound)
        .where(AssessmentRound.organisation_id == organisation_id)
        .order_by(AssessmentRound.held_on, AssessmentRound.id)
    ).all()
    counts: dict[int, dict[str, int]] = {r.id: {} for r in rounds}
    for round_id, name, n in session.execute(
        select(Score.round_id, MaturityLevel.name, func.count())
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .where(Score.round_id.in_(select(AssessmentRound.id).where(
            AssessmentRound.organisation_id == organisation_id)))
        .group_by(Score.round_id, MaturityLevel.rank, MaturityLevel.name)
        .order_by(MaturityLevel.rank)
    ):  # fmt: skip
        counts[round_id][name] = int(n)
    return [
        RoundOverview(
            r.id,
            r.name,
            r.held_on,
            r.next_round_on,
            r.status,
            sum(counts[r.id].values()),
            counts[r.id],
        )
        for r in rounds
    ]
