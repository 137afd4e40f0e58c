"""Stored readiness forecasts, one row per scope per day, so the trend can be drawn."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, UTCDateTime, utcnow


class ReadinessSnapshot(Base):
    """The expected and assured score, the chance of reaching the target and the likely range of a question, a component or the whole organisation on
    one day. `scope_key` is "overall", "component:<id>" or "question:<id>"; recomputing on the
    same day replaces the row rather than adding one."""

    __tablename__ = "readiness_snapshot"
    __table_args__ = (UniqueConstraint("round_id", "taken_on", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    scope_key: Mapped[str] = mapped_column(String(40))
    baseline: Mapped[float] = mapped_column(Float)
    expected: Mapped[float] = mapped_column(Float)
    assured: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="")
    # The chance of reaching the target by the round date (for a component or the whole
    # organisation: that every question reaches its own), and the likely range (10th to 90th
    # percentile) of the level; null on rows stored before they were computed.
    chance: Mapped[float | None] = mapped_column(Float)
    likely_low: Mapped[float | None] = mapped_column(Float)
    likely_high: Mapped[float | None] = mapped_column(Float)
    inputs: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
