"""Open actions at risk of not delivering, and why (pure: no database, no clock).

An open action is at risk when a milestone is overdue, it has no owner or no milestones, it
has had no update (progress note, or creation) for 30 days, or evidence for it was rejected
and nothing for the same thing accepted since. The list is ordered most at risk first: more
reasons, then more overdue milestones, then by question and action, so every page, export and
email shows the same order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from tracker.domain.readiness.tally import ActionTally
from tracker.models import OPEN_STATUSES

STALE_AFTER_DAYS = 30
AT_RISK_SHOWN = 20  # the most at risk a page, the board report or an email lists


class ActionFacts(NamedTuple):
    """What the at-risk list needs to know about an action besides its milestones. A named
    tuple of plain values: one is built per open action on the hot path, and the garbage
    collector stops tracking such tuples, so thousands of them cost it nothing."""

    id: int
    title: str
    question_id: int
    status: str
    owner_name: str | None
    last_activity_on: date
    has_rejected_evidence: bool


class AtRiskItem(NamedTuple):
    """An open action at risk and why (a named tuple of plain values, like ActionFacts)."""

    action_id: int
    title: str
    question_number: int
    owner_name: str | None
    reasons: tuple[str, ...]
    overdue: int = 0  # open milestones past their due date


def at_risk_items(
    facts: dict[int, ActionFacts],
    tallies: Iterable[ActionTally],
    as_of: date,
    number_of: dict[int, int],
) -> tuple[AtRiskItem, ...]:
    """Open actions that may not deliver, most at risk first, and why: overdue milestones,
    no owner, no milestones, no update for 30 days, rejected evidence."""
    stale_by = as_of - timedelta(days=STALE_AFTER_DAYS)
    stale = f"No update for {STALE_AFTER_DAYS} days"
    open_statuses = {s.value for s in OPEN_STATUSES}
    items = []
    for tally in tallies:
        action = facts[tally.id]
        if action.status not in open_statuses:
            continue
        reasons = []
        overdue = tally.overdue
        if overdue:
            reasons.append(f"{overdue} overdue milestone{'s' if overdue > 1 else ''}")
        if action.owner_name is None:
            reasons.append("No owner")
        if not tally.milestones:
            reasons.append("No milestones")
        if action.last_activity_on <= stale_by:
            reasons.append(stale)
        if action.has_rejected_evidence:
            reasons.append("Evidence rejected")
        if reasons:
            items.append(
                AtRiskItem(
                    action_id=action.id,
                    title=action.title,
                    question_number=number_of.get(action.question_id, 0),
                    owner_name=action.owner_name,
                    reasons=tuple(reasons),
                    overdue=overdue,
                )
            )
    items.sort(key=_most_at_risk_first)
    return tuple(items)


def _most_at_risk_first(item: AtRiskItem) -> tuple[int, int, int, int]:
    """The at-risk order: more reasons first, then more overdue milestones, then by question
    and action (so the list is the same on every page and in every export)."""
    return (-len(item.reasons), -item.overdue, item.question_number, item.action_id)
