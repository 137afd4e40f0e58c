"""Improvement actions and what hangs off them: milestones, re-plans and progress updates."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from tracker.models.assessment import AssessmentRound
    from tracker.models.evidence import Evidence
    from tracker.models.framework import MaturityLevel, Question
    from tracker.models.people import User


class ActionStatus(enum.StrEnum):
    """Where an action is in its lifecycle (tracker.domain.actions.lifecycle and
    docs/actions.md): `review` waits for the lead director's sign-off, with the reason in
    `Action.review_reason`; `completed` and `cancelled` are closed."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REVIEW = "review"
    CANCELLED = "cancelled"


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.REVIEW)
CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)


class ReviewReason(enum.StrEnum):
    """Why an action is in review: its owner proposed it done, or a re-measurement showed its
    question reached the action's target level (stored as `score_rose`, the value's name
    kept so that no migration is needed)."""

    OWNER_PROPOSED = "owner_proposed"
    SCORE_ROSE = "score_rose"


class Priority(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ActionOrigin(enum.StrEnum):
    """`spawned` actions come from a gap in a round (at most one per round and question);
    `manual` ones were added by a person."""

    SPAWNED = "spawned"
    MANUAL = "manual"


class ActionOutcome(enum.StrEnum):
    """Did the action work? The first three are chosen when a director signs a completed
    action off; `carried_forward` marks an open action that continues toward the next round
    (the comparison page), and is not a closing outcome."""

    VERIFIED = "verified"
    PARTLY_EFFECTIVE = "partly_effective"
    NOT_EFFECTIVE = "not_effective"
    CARRIED_FORWARD = "carried_forward"


SIGN_OFF_OUTCOMES = (
    ActionOutcome.VERIFIED,
    ActionOutcome.PARTLY_EFFECTIVE,
    ActionOutcome.NOT_EFFECTIVE,
)


class Action(Base):
    """A piece of improvement work aimed at raising one question to a target level.

    `version` guards against lost updates: a save carrying a stale version is refused.
    Deleting is soft (`deleted_at`) because people regret deletes.
    """

    __tablename__ = "action"
    __table_args__ = (
        enum_check("status", ActionStatus),
        enum_check("priority", Priority),
        enum_check("origin", ActionOrigin),
        CheckConstraint(
            "outcome IS NULL OR outcome IN "
            "('verified', 'partly_effective', 'not_effective', 'carried_forward')",
            name="outcome_valid",
        ),
        CheckConstraint(
            "review_reason IS NULL OR review_reason IN ('owner_proposed', 'score_rose')",
            name="review_reason_valid",
        ),
        Index(
            "uq_action_spawned_round_question",
            "round_id",
            "question_id",
            unique=True,
            sqlite_where=text("origin = 'spawned'"),
            postgresql_where=text("origin = 'spawned'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"), index=True)
    origin: Mapped[str] = mapped_column(String(10), default=ActionOrigin.MANUAL)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.NOT_STARTED)
    priority: Mapped[str] = mapped_column(String(10), default=Priority.MEDIUM)
    target_level_id: Mapped[int] = mapped_column(ForeignKey("maturity_level.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    # Why the action is in review (None outside review), and the note given with the latest
    # lifecycle move that asks for one (the owner's "done" note, a cancellation's reason).
    review_reason: Mapped[str | None] = mapped_column(String(20))
    status_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    question: Mapped[Question] = relationship()
    round: Mapped[AssessmentRound] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    target_level: Mapped[MaturityLevel] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="action", order_by="Milestone.due_on, Milestone.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(back_populates="action")
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action", order_by="ProgressUpdate.created_at.desc()"
    )


class Milestone(Base):
    """A dated step of an action; `weight` says how much of the action it represents.

    `original_due_on` never changes, so re-planning stays visible; `due_on` is the current plan.
    `version` guards ticks and re-plans against lost updates, as the action's does.
    A milestone added by mistake is withdrawn (`withdrawn_at`), never deleted: it stays in the
    action's history and counts nowhere (readiness, reminders, the on-time record).
    """

    __tablename__ = "milestone"
    __table_args__ = (CheckConstraint("weight >= 1", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    weight: Mapped[int] = mapped_column(Integer, default=1)
    original_due_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdraw_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __mapper_args__ = {"version_id_col": version}

    action: Mapped[Action] = relationship(back_populates="milestones")
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    replans: Mapped[list[MilestoneReplan]] = relationship(
        back_populates="milestone", order_by="MilestoneReplan.replanned_at"
    )


class MilestoneReplan(Base):
    """A change of a milestone's due date, with the reason the owner gave."""

    __tablename__ = "milestone_replan"
    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"), index=True)
    old_due_on: Mapped[date] = mapped_column(Date)
    new_due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    replanned_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    replanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="replans")
    replanned_by: Mapped[User] = relationship()


class ProgressUpdate(Base):
    """An owner's note on how an action is going, with an estimated percentage done."""

    __tablename__ = "progress_update"
    __table_args__ = (CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[User] = relationship()
