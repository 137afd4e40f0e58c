"""Done-when, on the demo organisation: the first of next month delivers one digest per owner
with open actions and one escalation per director with work more than 14 days overdue or with
no owner or no milestones; a second
run sends nothing new."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tracker.domain.demo.organisation import load_demo
from tracker.models import OPEN_STATUSES, Action, DomainLead, Milestone, Question, User

FIRST_OF_NEXT_MONTH = date(2026, 12, 1)


@pytest.mark.parametrize("demo_today", [date(2026, 11, 10), date(2026, 11, 27)])
def test_demo_first_of_next_month_then_nothing_new(app, session, smtp, demo_today):
    load_demo(session, demo_today)
    session.commit()
    open_action = (
        Action.status.in_([s.value for s in OPEN_STATUSES]),
        Action.deleted_at.is_(None),
    )
    owners = set(
        session.scalars(
            select(User.email)
            .join(Action, Action.owner_id == User.id)
            .where(*open_action, User.is_active)
        )
    )
    late_components = set(
        session.scalars(
            select(Question.component_id)
            .join(Action, Action.question_id == Question.id)
            .join(Milestone, Milestone.action_id == Action.id)
            .where(
                *open_action,
                Action.owner_id.is_not(None),
                Milestone.done_at.is_(None),
                Milestone.due_on < FIRST_OF_NEXT_MONTH - timedelta(days=14),
            )
        )
    )
    # open actions nobody owns, or with no milestones, are raised with their directors too
    unplanned_components = set(
        session.scalars(
            select(Question.component_id)
            .join(Action, Action.question_id == Question.id)
            .where(
                *open_action,
                Action.owner_id.is_(None) | Action.id.not_in(select(Milestone.action_id)),
            )
        )
    )
    directors = set(
        session.scalars(
            select(User.email)
            .join(DomainLead, DomainLead.user_id == User.id)
            .where(
                DomainLead.component_id.in_(late_components | unplanned_components),
                User.is_active,
            )
        )
    )
    assert owners and directors

    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send", "--as-of", FIRST_OF_NEXT_MONTH.isoformat()])
    total = len(owners) + len(directors)
    assert first.output.strip() == f"queued {total}, sent {total}, already sent 0, failed 0"
    digests = [m["To"] for m in smtp.collector.messages if m["X-Tracker-Kind"] == "digest"]
    escalations = [m["To"] for m in smtp.collector.messages if m["X-Tracker-Kind"] == "escalation"]
    assert sorted(digests) == sorted(owners)
    assert sorted(escalations) == sorted(directors)

    second = runner.invoke(args=["reminders", "send", "--as-of", FIRST_OF_NEXT_MONTH.isoformat()])
    assert second.output.strip() == f"queued 0, sent 0, already sent {total}, failed 0"
    assert len(smtp.collector.messages) == total
