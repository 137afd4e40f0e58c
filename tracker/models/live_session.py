"""Signed-in sessions kept server-side, so signing out can end one of them for good."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, UTCDateTime, enum_check


class SignInMethod(enum.StrEnum):
    """How the person proved who they are when the session began."""

    PASSWORD = "password"  # noqa: S105 (a method's name, not a secret)
    SINGLE_SIGN_ON = "sso"


class LiveSession(Base):
    """One signed-in browser. The session cookie and the remember-me cookie both carry a random
    token whose SHA-256 is `token_hash`; a cookie whose row has ended or expired signs nobody
    in, so a cookie copied before sign-out is worthless afterwards."""

    __tablename__ = "live_session"
    __table_args__ = (enum_check("method", SignInMethod),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    method: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
