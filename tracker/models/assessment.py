"""Assessment rounds and the scores recorded in them."""

from __future__ import annotations

import enum
import unicodedata
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tracker.models.base import Base, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from tracker.models.framework import Framework, MaturityLevel, Question
    from tracker.models.people import Organisation


class RoundStatus(enum.StrEnum):
    """An open round is the current position; a closed one has been superseded."""

    OPEN = "open"
    CLOSED = "closed"


def round_name_key(name: str) -> str:
    """The form of a round's name that must be unique in its organisation: case, accents and
    runs of spaces ignored, so "re-measure  2027" and "Re-measure 2027" are the same round."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


class AssessmentRound(Base):
    """One sitting of the self-assessment (the baseline or a re-measurement).

    `next_round_on` is the date the organisation plans to re-measure: it drives reminders and
    the readiness forecast. `name_key` is the name with case, accents and spaces ignored
    (kept in step with `name`): it is unique in the organisation, so a variant spelling of a
    round's name is that round, never a second one.
    """

    __tablename__ = "assessment_round"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        UniqueConstraint("organisation_id", "name_key"),
        enum_check("status", RoundStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    held_on: Mapped[date] = mapped_column(Date)
    next_round_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=RoundStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    framework: Mapped[Framework] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="round")

    @validates("name")
    def _keep_key(self, _key: str, name: str) -> str:
        self.name_key = round_name_key(name)
        return name


class Score(Base):
    """The level a round gave one question, with the definition text as the trust recorded it."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("round_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("maturity_level.id"), index=True)
    definition: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[AssessmentRound] = relationship(back_populates="scores")
    question: Mapped[Question] = relationship()
    level: Mapped[MaturityLevel] = relationship()
