"""The action lifecycle: one table of allowed moves, who may make each, and one function
that applies a move, audits it and refuses an illegal one with a clear message.

    not started -> in progress -> review -> completed      (closed)
    any open state -> cancelled                              (closed)
    completed or cancelled -> in progress (reopened)

Who may (see docs/actions.md):
- WORKERS: the owner, the lead director of the action's component, an admin;
- DECIDERS: the lead director of the component, an admin (never the owner alone);
- SYSTEM: the tracker itself (recording progress or ticking a milestone starts an action; a
  re-measurement that scores its question at or above the action's target level moves it to
  review); never a person's button.

A refused move raises DomainError and changes nothing (no status, no audit event, no email).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.actions.closing_emails import Mail, tell_owner
from tracker.domain.errors import DomainError, check_version
from tracker.domain.permissions import Actor, can
from tracker.models import (
    CLOSED_STATUSES,
    SIGN_OFF_OUTCOMES,
    Action,
    ActionStatus,
    ReviewReason,
    User,
)

S = ActionStatus
OPEN = frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.REVIEW})
WORKING = frozenset({S.NOT_STARTED, S.IN_PROGRESS})
CLOSED = frozenset(CLOSED_STATUSES)


class Who(enum.StrEnum):
    WORKERS = "workers"
    DECIDERS = "deciders"
    SYSTEM = "system"


class Move(enum.StrEnum):
    START = "start"
    PROPOSE_DONE = "propose_done"
    MARK_FOR_REVIEW = "mark_for_review"
    RETURN_TO_WORK = "return_to_work"
    SIGN_OFF = "sign_off"
    CANCEL = "cancel"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Rule:
    """One allowed move: from which states, to which, by whom, what it needs, its audit verb
    and the words for refusing it ("You cannot <doing> an action that is <state>")."""

    sources: frozenset[str]
    target: str
    who: Who
    verb: str
    doing: str
    needs_note: bool = False
    needs_outcome: bool = False


RULES: dict[Move, Rule] = {
    Move.START: Rule(frozenset({S.NOT_STARTED}), S.IN_PROGRESS, Who.WORKERS, "started", "start"),
    Move.PROPOSE_DONE: Rule(WORKING, S.REVIEW, Who.WORKERS, "proposed_done", "propose as done"),
    Move.MARK_FOR_REVIEW: Rule(
        WORKING, S.REVIEW, Who.SYSTEM, "marked_for_review", "mark for review"
    ),
    Move.RETURN_TO_WORK: Rule(
        frozenset({S.REVIEW}),
        S.IN_PROGRESS,
        Who.DECIDERS,
        "returned_to_work",
        "return to work",
        needs_note=True,
    ),
    Move.SIGN_OFF: Rule(
        frozenset({S.REVIEW}),
        S.COMPLETED,
        Who.DECIDERS,
        "signed_off",
        "sign off",
        needs_outcome=True,
    ),
    Move.CANCEL: Rule(OPEN, S.CANCELLED, Who.DECIDERS, "cancelled", "cancel", needs_note=True),
    Move.REOPEN: Rule(CLOSED, S.IN_PROGRESS, Who.DECIDERS, "reopened", "reopen", needs_note=True),
}

STATE_WORDS = {
    S.NOT_STARTED: "not started",
    S.IN_PROGRESS: "in progress",
    S.REVIEW: "in review",
    S.COMPLETED: "completed",
    S.CANCELLED: "cancelled",
}
NOTE_MESSAGES = {
    Move.RETURN_TO_WORK: "Enter what is still needed before it can be signed off",
    Move.CANCEL: "Enter the reason for cancelling the action",
    Move.REOPEN: "Enter the reason for reopening the action",
}
DECIDERS_ONLY = "Only the lead director of this domain or an admin can {doing} an action"


def allowed(actor: Actor, action: Action, move: Move) -> bool:
    """Whether this person may make this move on this action now (for showing buttons)."""
    rule = RULES[move]
    return action.status in rule.sources and _may(actor, action, rule)


def moves_for(actor: Actor, action: Action) -> list[Move]:
    """The moves a person could make on this action now, in table order."""
    return [move for move in RULES if allowed(actor, action, move)]


def check_open(action: Action) -> None:
    """Refuse work on a closed action (progress, milestones): it must be reopened first."""
    if action.status in CLOSED:
        state = STATE_WORDS[ActionStatus(action.status)]
        raise DomainError(
            f"This action is {state}. The lead director or an admin can reopen it first"
        )


def _may(actor: Actor, action: Action, rule: Rule) -> bool:
    if rule.who == Who.SYSTEM:
        return False
    if rule.who == Who.DECIDERS:
        return can(actor, "decide_action", action)
    return can(actor, "update_action", action)


def apply(
    session: Session,
    actor: Actor,
    action: Action,
    move: str,
    *,
    now: datetime,
    note: str = "",
    outcome: str | None = None,
    expected_version: int | None = None,
    mail: Mail | None = None,
) -> Action:
    """Make a person's move on an action: check the page's version, the table and who may,
    then change the status, audit it and (completed or cancelled) email the owner."""
    check_version(action.version, expected_version)
    if move not in set(Move):
        raise DomainError("Choose what to do with the action", "move")
    rule = RULES[Move(move)]
    _check_state(action, rule)
    if not _may(actor, action, rule):
        if rule.who == Who.DECIDERS:
            raise DomainError(DECIDERS_ONLY.format(doing=rule.doing), "move")
        raise DomainError(f"You cannot {rule.doing} this action", "move")
    return _apply(session, actor.user, action, Move(move), now=now, note=note,
                  outcome=outcome, mail=mail)  # fmt: skip


def automatic(
    session: Session,
    user: User | None,
    action: Action,
    move: Move,
    *,
    now: datetime,
    details: dict[str, object] | None = None,
) -> bool:
    """A move the tracker makes by itself (START when progress is recorded or a milestone
    ticked, MARK_FOR_REVIEW after a re-measurement): made only when the table allows it from
    the action's state, otherwise nothing happens. Returns whether it moved."""
    if action.status not in RULES[move].sources:
        return False
    _apply(session, user, action, move, now=now, details=details)
    return True


def sign_off_by(
    session: Session,
    user: User,
    action: Action,
    outcome: str,
    *,
    now: datetime,
    expected_version: int | None = None,
    mail: Mail | None = None,
) -> Action:
    """Sign an action off with its outcome for a caller that has already checked the user
    may decide on it (the comparison page's "record outcome")."""
    check_version(action.version, expected_version)
    rule = RULES[Move.SIGN_OFF]
    _check_state(action, rule)
    return _apply(session, user, action, Move.SIGN_OFF, now=now, outcome=outcome, mail=mail)


def _check_state(action: Action, rule: Rule) -> None:
    if action.status not in rule.sources:
        state = STATE_WORDS.get(ActionStatus(action.status), action.status)
        raise DomainError(f"You cannot {rule.doing} an action that is {state}", "move")


def _apply(
    session: Session,
    user: User | None,
    action: Action,
    move: Move,
    *,
    now: datetime,
    note: str = "",
    outcome: str | None = None,
    mail: Mail | None = None,
    details: dict[str, object] | None = None,
) -> Action:
    rule = RULES[move]
    note = (note or "").strip()
    if rule.needs_note and not note:
        raise DomainError(NOTE_MESSAGES[move], "note")
    if len(note) > 2000:
        raise DomainError("The note must be 2,000 characters or fewer", "note")
    if rule.needs_outcome and outcome not in {o.value for o in SIGN_OFF_OUTCOMES}:
        raise DomainError("Choose verified, partly effective or not effective", "outcome")
    before: dict[str, object] = {"status": action.status}
    after: dict[str, object] = {"status": rule.target, **(details or {})}
    if note:
        after["note"] = note
    action.status = rule.target
    action.status_note = note
    action.review_reason = None
    if move == Move.PROPOSE_DONE:
        action.review_reason = ReviewReason.OWNER_PROPOSED
    elif move == Move.MARK_FOR_REVIEW:
        action.review_reason = ReviewReason.SCORE_ROSE
    if move == Move.SIGN_OFF:
        before["outcome"], after["outcome"] = action.outcome, outcome
        action.outcome = outcome
    elif move == Move.REOPEN and action.outcome is not None:
        before["outcome"], after["outcome"] = action.outcome, None
        action.outcome = None
    event = audit.record(session, user, "action", action.id, rule.verb, at=now,
                         before=before, after=after)  # fmt: skip
    session.flush()
    if mail is not None and user is not None and move in (Move.SIGN_OFF, Move.CANCEL):
        tell_owner(session, action, move.value, event.id, actor=user, mail=mail, now=now)
    return action
