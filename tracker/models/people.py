"""Organisations and the people who use the tracker."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_check, utcnow


class Role(enum.StrEnum):
    """What a user may do; the policy module in tracker.domain.permissions gives each its rights."""

    ADMIN = "admin"
    DIRECTOR = "director"
    OWNER = "owner"
    VIEWER = "viewer"
    # Reads only the results its organisation's system partners chose to share.
    SYSTEM_VIEWER = "system_viewer"
    # Installation level: creates organisations and their first admin; belongs to none.
    PLATFORM_ADMIN = "platform_admin"


ORGANISATION_ROLES = tuple(role for role in Role if role != Role.PLATFORM_ADMIN)


class DigestFrequency(enum.StrEnum):
    """How often an owner wants the reminder digest (overdue work is never silenced)."""

    MONTHLY = "monthly"
    WEEKLY = "weekly"


class System(Base):
    """An integrated care system (ICS): organisations that may share results with each other.

    `code` is the system's ODS code (for example QT1), unique in the installation."""

    __tablename__ = "care_system"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(back_populates="system")


class Organisation(Base):
    """An NHS organisation (a trust) running rounds of the self-assessment: the hard boundary
    of the installation. `ods_code` is its ODS code, unique; `system_id` the ICS it belongs to.

    `spawn_up_to_rank` is the gap rule: questions scored at this rank of the scale or lower
    spawn improvement actions. The default, 1, is the mission's rule: only "Starting" spawns.
    """

    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint("spawn_up_to_rank >= 1", name="spawn_rank_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("care_system.id"), index=True)
    spawn_up_to_rank: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    system: Mapped[System | None] = relationship(back_populates="organisations")


class User(Base):
    """A person who signs in. Email is stored lower-cased so uniqueness ignores case.

    `session_version` is copied into the signed session cookie at sign-in; bumping it (password
    change, deactivation) ends every session. Signing out ends just the one session, through
    its LiveSession row (tracker.models.live_session).
    """

    __tablename__ = "user_account"
    __table_args__ = (
        enum_check("role", Role),
        enum_check("digest_frequency", DigestFrequency),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        UniqueConstraint("sso_issuer", "sso_subject"),
        CheckConstraint(
            "(sso_issuer IS NULL) = (sso_subject IS NULL)", name="sso_issuer_with_subject"
        ),
        # Platform admins belong to no organisation; everybody else to exactly one.
        CheckConstraint(
            "(role = 'platform_admin') = (organisation_id IS NULL)",
            name="organisation_unless_platform_admin",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    digest_frequency: Mapped[str] = mapped_column(
        String(10), default=DigestFrequency.MONTHLY, server_default=DigestFrequency.MONTHLY.value
    )
    # Emails about one change each: an action given to them or taken from them, and their
    # evidence not accepted. Either can be turned off on the preferences page.
    email_on_assignment: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    email_on_evidence_rejected: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    # Whether to email this person when an action they own is completed or cancelled.
    email_action_closed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The single sign-on provider's issuer and its subject identifier for this person, linked
    # at their first SSO sign-in; later sign-ins find them by these, whatever their email.
    sso_issuer: Mapped[str | None] = mapped_column(String(500))
    sso_subject: Mapped[str | None] = mapped_column(String(255))

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    # Flask-Login reads these three; keeping them here avoids a Flask import in the model.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginThrottle(Base):
    """Failed sign-in counts per account, per address and per account at one address ("pair",
    keyed by a digest of both), kept in the database so every web worker sees the same numbers."""

    __tablename__ = "login_throttle"
    __table_args__ = (
        CheckConstraint("scope IN ('account', 'address', 'pair', 'reset')", name="scope_valid"),
        UniqueConstraint("scope", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(254))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
