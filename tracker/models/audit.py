"""The audit trail: who changed what, when, and how it looked before and after."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from tracker.models.people import User


class AuditEvent(Base):
    """One recorded change. `actor_id` is empty for the system (scheduler, imports by CLI)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The organisation whose trail this belongs to; empty for installation-level changes.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    verb: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()
