"""All tables, importable from one place (Alembic and the app import this package)."""

from tracker.models.action import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    SIGN_OFF_OUTCOMES,
    Action,
    ActionOrigin,
    ActionOutcome,
    ActionStatus,
    Milestone,
    MilestoneReplan,
    Priority,
    ProgressUpdate,
    ReviewReason,
)
from tracker.models.assessment import AssessmentRound, RoundStatus, Score, round_name_key
from tracker.models.audit import AuditEvent
from tracker.models.base import Base, utcnow
from tracker.models.evidence import Evidence, EvidenceKind, ReviewStatus
from tracker.models.framework import (
    Component,
    DomainLead,
    Framework,
    LevelDescriptor,
    MaturityLevel,
    Question,
)
from tracker.models.live_session import LiveSession, SignInMethod
from tracker.models.notification import JobLease, JobRun, Notification, NotificationStatus
from tracker.models.password_reset import PasswordResetRequest
from tracker.models.people import (
    ORGANISATION_ROLES,
    DigestFrequency,
    LoginThrottle,
    Organisation,
    Role,
    System,
    User,
)
from tracker.models.sharing import RoundShare
from tracker.models.snapshot import ReadinessSnapshot

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "ORGANISATION_ROLES",
    "SIGN_OFF_OUTCOMES",
    "Action",
    "ActionOrigin",
    "ActionOutcome",
    "ActionStatus",
    "AssessmentRound",
    "AuditEvent",
    "Base",
    "Component",
    "DigestFrequency",
    "DomainLead",
    "Evidence",
    "EvidenceKind",
    "Framework",
    "JobLease",
    "JobRun",
    "LevelDescriptor",
    "LiveSession",
    "LoginThrottle",
    "MaturityLevel",
    "Milestone",
    "MilestoneReplan",
    "Notification",
    "NotificationStatus",
    "Organisation",
    "PasswordResetRequest",
    "Priority",
    "ProgressUpdate",
    "Question",
    "ReadinessSnapshot",
    "ReviewReason",
    "ReviewStatus",
    "Role",
    "RoundShare",
    "RoundStatus",
    "Score",
    "SignInMethod",
    "System",
    "User",
    "round_name_key",
    "utcnow",
]
