"""Forgotten-password requests waiting for the sender to answer them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, UTCDateTime


class PasswordResetRequest(Base):
    """One forgotten-password request, exactly as typed, whoever it names.

    The web worker writes one of these for every request, known address or not, and does
    nothing else that depends on the address, so the page's work and timing cannot tell who
    has an account. The sender process resolves each request (looks the address up, and for
    an active account queues the reset email) and then deletes it. Not organisation-owned: a
    request arrives before anyone is signed in.
    """

    __tablename__ = "password_reset_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
