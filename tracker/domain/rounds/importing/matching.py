"""Matching rows to the framework: questions by number (else by text), levels by name.

Question cells may carry their number ("7. Enabling staff…", "1.Board…") and, on the first
question of a component, the component's name in front. Texts are compared after folding
case and dropping punctuation, so a missing bracket or an extra space still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.errors import Problem
from tracker.domain.rounds.importing.table import (
    DEFINITION,
    LEVEL,
    NUMBER,
    QUESTION,
    ZERO_WIDTH,
    Table,
)
from tracker.models import Component, Framework, MaturityLevel, Question

NUMBERED = re.compile(r"^(?P<prefix>.*?)(?:^|\s)[Qq]?(?P<number>\d{1,4})\s*[.)]\s*(?P<text>\S.*)$")
# A question number has at most six digits: anything longer (a 309-digit "number" included)
# is reported as not a question number rather than converted.
NUMBER_CELL = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(?P<number>\d{1,6})(?:\.0+)?\s*\.?\s*$", re.I)


def fold(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a text, for comparisons."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def fold_level(text: str) -> str:
    return " ".join(text.translate(ZERO_WIDTH).casefold().split())


@dataclass(frozen=True)
class MatchedScore:
    """One valid row: the framework question and level it names."""

    row: int
    question: Question
    level: MaturityLevel
    definition: str


@dataclass
class FrameworkIndex:
    """The framework's questions and levels, loaded once and looked up by number, text or name."""

    framework: Framework
    by_number: dict[int, Question]
    by_text: dict[str, Question]
    levels: dict[str, MaturityLevel]
    component_names: list[str]

    @classmethod
    def load(cls, session: Session, framework: Framework) -> FrameworkIndex:
        questions = session.scalars(
            select(Question).where(Question.framework_id == framework.id)
        ).all()
        levels = session.scalars(
            select(MaturityLevel)
            .where(MaturityLevel.framework_id == framework.id)
            .order_by(MaturityLevel.rank)
        ).all()
        components = session.scalars(
            select(Component).where(Component.framework_id == framework.id)
        ).all()
        names = [fold(c.name) for c in components] + [
            fold(alias) for c in components for alias in c.aliases or []
        ]
        return cls(
            framework=framework,
            by_number={q.number: q for q in questions},
            by_text={fold(q.text): q for q in questions},
            levels={fold_level(level.name): level for level in levels},
            component_names=sorted(names, key=len, reverse=True),
        )

    def level_names(self) -> str:
        ordered = sorted(self.levels.values(), key=lambda level: level.rank)
        return ", ".join(level.name for level in ordered)

    def by_question_text(self, text: str) -> Question | None:
        folded = fold(text)
        found = self.by_text.get(folded)
        if found is None:
            for name in self.component_names:
                if folded.startswith(name + " "):
                    return self.by_text.get(folded[len(name) + 1 :])
        return found


def split_question_cell(cell: str) -> tuple[int | None, str]:
    """("Building a shared purpose and vision  1.Board…") -> (1, "Board…")."""
    found = NUMBERED.match(cell.strip())
    if found is None:
        return None, cell.strip()
    return int(found["number"]), found["text"].strip()


def match_rows(table: Table, index: FrameworkIndex) -> tuple[list[MatchedScore], list[Problem]]:
    """Every row matched to a question and a level, and every problem found on the way."""
    matched: list[MatchedScore] = []
    problems: list[Problem] = list(table.problems)
    first_row: dict[int, int] = {}
    for raw in table.rows:
        question, problem = _question(raw.get(NUMBER), raw.get(QUESTION), raw.row, table, index)
        level = index.levels.get(fold_level(raw.get(LEVEL)))
        if problem:
            problems.append(problem)
        if not raw.get(LEVEL):
            problems.append(Problem("no level is given", row=raw.row, column=table.label(LEVEL)))
        elif level is None:
            problems.append(
                Problem(
                    f"'{_short(raw.get(LEVEL))}' is not a level of the scale ({index.level_names()})",
                    row=raw.row,
                    column=table.label(LEVEL),
                )
            )
        if question is not None and question.number in first_row:
            problems.append(
                Problem(
                    f"question {question.number} is given twice "
                    f"(first on row {first_row[question.number]})",
                    row=raw.row,
                    column=table.label(QUESTION if QUESTION in table.labels else NUMBER),
                )
            )
        elif question is not None:
            first_row[question.number] = raw.row
        if question is not None and level is not None:
            matched.append(MatchedScore(raw.row, question, level, raw.get(DEFINITION)))

    return matched, problems


def _question(
    number_cell: str, text_cell: str, row: int, table: Table, index: FrameworkIndex
) -> tuple[Question | None, Problem | None]:
    number: int | None = None
    column = table.label(NUMBER)
    text = text_cell
    if number_cell:
        found = NUMBER_CELL.match(number_cell)
        if found is None:
            return None, Problem(f"'{_short(number_cell)}' is not a question number", row, column)
        number = int(found["number"])
    elif text_cell:
        number, text = split_question_cell(text_cell)
        column = table.label(QUESTION)
    if number is not None:
        question = index.by_number.get(number)
        if question is None:
            return None, Problem(f"there is no question {number} in the framework", row, column)
        return _check_text_agrees(question, text, row, table, index)
    if not text_cell:
        return None, Problem("no question is given", row, table.label(QUESTION))
    question = index.by_question_text(text_cell)
    if question is None:
        return None, Problem(
            f"'{_short(text_cell)}' does not match any question in the framework",
            row,
            table.label(QUESTION),
        )
    return question, None


def _check_text_agrees(
    question: Question, text: str, row: int, table: Table, index: FrameworkIndex
) -> tuple[Question | None, Problem | None]:
    """A number whose text is, word for word, another question's is a shifted column: refuse."""
    other = index.by_question_text(text) if text else None
    if other is not None and other.id != question.id:
        return None, Problem(
            f"the row says question {question.number} but its text is question {other.number}'s",
            row,
            table.label(QUESTION),
        )
    return question, None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
