"""The organisation boundary, enforced in one place.

Every ORM statement a session runs (SELECT, and ORM-enabled UPDATE and DELETE) gets a criterion
for each organisation-owned table it touches, taken from the organisation the session is scoped
to, so a query that forgets `where organisation_id = …` still sees only its own organisation's
rows. The criteria reach rows that belong to an organisation through a parent too (an action
through its round, a milestone through its action, a notification through its recipient).

Who scopes a session:
- a web request, to the signed-in user's organisation (tracker.core.organisation_scope);
- a command, to its `--organisation` (tracker.cli.organisations.organisation_option);
- a scheduled job, to each organisation in turn (tracker.scheduling.jobs).

`PLATFORM` scopes a session to no organisation (platform admins: they see organisations and
systems, never an organisation's people or work). `unscoped()` lifts the boundary for the few
installation-level operations that must cross it on purpose: creating an organisation and its
first admin, reading the results partners chose to share, signing in (an email address is
unique across the installation), and the outbox sender.

Not covered, and checked by hand: INSERT statements (rows are built from scoped reads) and raw
SQL text (none reads organisation-owned tables).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import ColumnElement

from tracker.models import (
    Action,
    AssessmentRound,
    AuditEvent,
    DomainLead,
    Evidence,
    Milestone,
    MilestoneReplan,
    Notification,
    Organisation,
    ProgressUpdate,
    ReadinessSnapshot,
    RoundShare,
    Score,
    User,
)

SCOPE_KEY = "organisation_scope"
# The scope of a platform admin: no organisation at all (ids start at 1).
PLATFORM = 0
_UNSCOPED = None

_installed = False


def scope_session(session: Session, organisation_id: int) -> None:
    """From now on this session sees only `organisation_id`'s rows (PLATFORM: nobody's)."""
    session.info[SCOPE_KEY] = organisation_id


def clear_scope(session: Session) -> None:
    session.info.pop(SCOPE_KEY, None)


def current_scope(session: Session) -> int | None:
    """The organisation this session is scoped to, PLATFORM, or None when unscoped."""
    value = session.info.get(SCOPE_KEY)
    return int(value) if value is not None else None


@contextmanager
def scoped(session: Session, organisation_id: int) -> Iterator[Session]:
    """Scope the session to one organisation for a block (a job's turn for one organisation)."""
    previous = session.info.get(SCOPE_KEY, _UNSCOPED)
    scope_session(session, organisation_id)
    try:
        yield session
    finally:
        _restore(session, previous)


@contextmanager
def unscoped(session: Session) -> Iterator[Session]:
    """Lift the boundary for an installation-level operation that must cross it on purpose."""
    previous = session.info.get(SCOPE_KEY, _UNSCOPED)
    clear_scope(session)
    try:
        yield session
    finally:
        _restore(session, previous)


def _restore(session: Session, previous: Any) -> None:
    if previous is _UNSCOPED:
        clear_scope(session)
    else:
        session.info[SCOPE_KEY] = previous


def _org_rounds(organisation_id: int) -> Any:
    return select(AssessmentRound.id).where(AssessmentRound.organisation_id == organisation_id)


def _org_actions(organisation_id: int) -> Any:
    return select(Action.id).where(Action.round_id.in_(_org_rounds(organisation_id)))


def _org_users(organisation_id: int) -> Any:
    return select(User.id).where(User.organisation_id == organisation_id)


def _criteria(organisation_id: int) -> list[Any]:
    """One loader criterion per organisation-owned table (lambdas: cached, with the id as a
    bound parameter)."""
    oid = organisation_id

    def users(cls: Any) -> ColumnElement[bool]:
        # A platform admin's own row has no organisation; it must still refresh after a commit.
        return cls.organisation_id.is_(None) if oid == PLATFORM else cls.organisation_id == oid

    return [
        with_loader_criteria(Organisation, lambda cls: cls.id == oid, include_aliases=True),
        with_loader_criteria(User, users, include_aliases=True),
        with_loader_criteria(
            AssessmentRound, lambda cls: cls.organisation_id == oid, include_aliases=True
        ),
        with_loader_criteria(AuditEvent, lambda cls: cls.organisation_id == oid),
        with_loader_criteria(RoundShare, lambda cls: cls.organisation_id == oid),
        with_loader_criteria(Score, lambda cls: cls.round_id.in_(_org_rounds(oid))),
        with_loader_criteria(ReadinessSnapshot, lambda cls: cls.round_id.in_(_org_rounds(oid))),
        with_loader_criteria(
            Action, lambda cls: cls.round_id.in_(_org_rounds(oid)), include_aliases=True
        ),
        with_loader_criteria(Milestone, lambda cls: cls.action_id.in_(_org_actions(oid))),
        with_loader_criteria(Evidence, lambda cls: cls.action_id.in_(_org_actions(oid))),
        with_loader_criteria(ProgressUpdate, lambda cls: cls.action_id.in_(_org_actions(oid))),
        with_loader_criteria(
            MilestoneReplan,
            lambda cls: cls.milestone_id.in_(
                select(Milestone.id).where(Milestone.action_id.in_(_org_actions(oid)))
            ),
        ),
        with_loader_criteria(DomainLead, lambda cls: cls.user_id.in_(_org_users(oid))),
        with_loader_criteria(Notification, lambda cls: cls.recipient_id.in_(_org_users(oid))),
    ]


def _add_boundary(state: ORMExecuteState) -> None:
    organisation_id = state.session.info.get(SCOPE_KEY)
    if organisation_id is None:
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria of the statement that loaded the object already apply
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*_criteria(int(organisation_id)))


def install_boundary() -> None:
    """Listen on every Session once per process (create_app calls this)."""
    global _installed
    if not _installed:
        event.listen(Session, "do_orm_execute", _add_boundary)
        _installed = True
