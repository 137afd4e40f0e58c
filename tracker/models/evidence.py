"""Evidence that an action (or one of its milestones) has been done, and its review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from tracker.models.action import Action, Milestone
    from tracker.models.people import User


class EvidenceKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"
    NOTE = "note"


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Evidence(Base):
    """A file, link or note offered as evidence, awaiting or carrying a director's review.

    Files live outside the static folder under `stored_name`; `sha256` and `size_bytes` let the
    download view and the nightly check refuse bytes that have changed since upload.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        enum_check("kind", EvidenceKind),
        enum_check("review_status", ReviewStatus),
        CheckConstraint(
            "kind != 'file' OR (stored_name IS NOT NULL AND sha256 IS NOT NULL"
            " AND size_bytes IS NOT NULL)",
            name="file_has_content",
        ),
        CheckConstraint("kind != 'link' OR url IS NOT NULL", name="link_has_url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300), default="")
    original_filename: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(2000))
    note: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.PENDING)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Guards reviews against lost updates: a decision made from a stale page is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    action: Mapped[Action] = relationship(back_populates="evidence")
    milestone: Mapped[Milestone | None] = relationship()
    uploaded_by: Mapped[User] = relationship(foreign_keys=[uploaded_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
