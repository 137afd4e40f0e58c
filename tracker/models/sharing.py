"""Consented sharing: an organisation's choice to show one round's results to its system."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from tracker.models.assessment import AssessmentRound
    from tracker.models.people import User


class RoundShare(Base):
    """One round's results (question levels, component means, the readiness summary; never
    actions, people, notes or evidence) shared with the organisation's system partners.

    One row per round: sharing again after a withdrawal reuses it. `withdrawn_at` set means not
    shared; the audit trail keeps every share and withdrawal with who and when."""

    __tablename__ = "round_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"), unique=True)
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[AssessmentRound] = relationship()
    shared_by: Mapped[User] = relationship(foreign_keys=[shared_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
