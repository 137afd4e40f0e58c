"""Bulk assignment from a domain page can also set one due date and one priority."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.actions import post
from tests.support.helpers import NOW, table_counts
from tracker.domain.actions import updates
from tracker.domain.errors import DomainError
from tracker.models import AuditEvent


def test_bulk_assign_sets_owner_due_date_and_priority(session, world):
    chosen = [world.action, world.unassigned]
    changed = updates.bulk_assign(
        session, world.director, chosen, world.other_owner, now=NOW,
        due_on=date(2027, 6, 30), priority="high",
    )  # fmt: skip
    assert changed == 2
    for action in chosen:
        assert (action.owner_id, action.due_on, action.priority) == (
            world.other_owner.id, date(2027, 6, 30), "high",
        )  # fmt: skip
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "action",
            AuditEvent.entity_id == world.unassigned.id,
            AuditEvent.verb == "assigned",
        )
    ).one()
    assert set(event.after) == {"owner_id", "due_on", "priority"}
    assert event.after["priority"] == "high"


def test_bulk_assign_without_date_or_priority_keeps_each_actions_own(session, world):
    world.action.due_on, world.action.priority = date(2027, 1, 1), "low"
    session.flush()
    updates.bulk_assign(session, world.director, [world.action], world.other_owner, now=NOW)
    assert (world.action.due_on, world.action.priority) == (date(2027, 1, 1), "low")


def test_same_owner_with_a_new_date_still_counts_as_a_change(session, world):
    changed = updates.bulk_assign(
        session, world.director, [world.action], world.owner, now=NOW, due_on=date(2027, 9, 1)
    )
    assert changed == 1 and world.action.due_on == date(2027, 9, 1)


def test_bulk_assign_refuses_an_unknown_priority(session, world):
    with pytest.raises(DomainError, match="Choose a priority"):
        updates.bulk_assign(
            session, world.director, [world.action], world.owner, now=NOW, priority="urgent"
        )


def test_the_domain_page_assigns_with_a_date_and_priority(session, world, sign_in):
    client = sign_in(world.director)
    component = world.action.question.component_id
    page = f"/domains/{component}"
    html = client.get(page).get_data(as_text=True)
    assert 'name="due_on-day"' in html and 'name="priority"' in html
    response = post(client, f"{page}/assign", page, {
        "action_ids": [world.unassigned.id], "owner": world.owner.id,
        "due_on-day": "30", "due_on-month": "6", "due_on-year": "2027", "priority": "high",
    })  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    assert world.unassigned.owner_id == world.owner.id
    assert (world.unassigned.due_on, world.unassigned.priority) == (date(2027, 6, 30), "high")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"due_on-day": "31", "due_on-month": "6", "due_on-year": "2027"},
            "Due date must be a real date",
        ),
        ({"due_on-day": "15052027"}, "Due date must include a month and year"),
        ({"priority": "urgent"}, "Choose a priority from the list"),
    ],
)
def test_bad_date_or_priority_says_why_and_writes_nothing(session, world, sign_in, fields, message):
    client = sign_in(world.director)
    component = world.action.question.component_id
    page = f"/domains/{component}"
    before = table_counts(session)
    response = post(client, f"{page}/assign", page, {
        "action_ids": [world.unassigned.id], "owner": world.owner.id, **fields,
    })  # fmt: skip
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert table_counts(session) == before
    session.expire_all()
    assert world.unassigned.owner_id is None
