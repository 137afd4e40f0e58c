"""Assignment, status with optimistic locking, progress, bulk and leaver reassignment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.helpers import NOW, table_counts
from tracker.domain.actions import updates as actions
from tracker.domain.errors import DomainError
from tracker.models import ActionStatus, AuditEvent


def events(session, verb):
    return session.scalars(select(AuditEvent).where(AuditEvent.verb == verb)).all()


def test_assign_sets_owner_due_date_priority_and_audits(session, world):
    changed = actions.assign(
        session, world.director, world.unassigned, owner=world.owner,
        due_on=date(2027, 3, 31), priority="high", now=NOW, expected_version=1,
    )  # fmt: skip
    session.commit()
    assert changed
    assert world.unassigned.owner_id == world.owner.id
    assert world.unassigned.version == 2
    [event] = events(session, "assigned")
    assert event.before == {"owner_id": None, "due_on": None, "priority": "medium"}
    assert event.after == {"owner_id": world.owner.id, "due_on": "2027-03-31", "priority": "high"}
    assert event.actor_id == world.director.id


@pytest.mark.parametrize(
    "change",
    [
        {"owner": None},
        {"priority": "urgent"},
        {"expected_version": 7},
    ],
)
def test_assign_refuses_bad_input_and_writes_nothing(session, world, change):
    before = table_counts(session)
    arguments = {"owner": world.owner, "due_on": None, "priority": "low", "expected_version": 1}
    arguments.update(change)
    with pytest.raises(DomainError) as caught:
        actions.assign(session, world.director, world.unassigned, now=NOW, **arguments)
    session.rollback()
    assert caught.value.message
    assert table_counts(session) == before
    assert session.get(type(world.unassigned), world.unassigned.id).owner_id is None


def test_viewers_and_inactive_people_cannot_own_actions(session, world, make_user):
    leaver = make_user("owner", is_active=False)
    for person in (world.viewer, leaver):
        with pytest.raises(DomainError, match="active person who can own"):
            actions.check_owner(person, world.action)


def test_recording_progress_starts_the_action_and_audits_the_move(session, world):
    actions.add_progress(session, world.owner, world.action, percent=5, text="Begun", now=NOW)
    session.commit()
    assert world.action.status == ActionStatus.IN_PROGRESS
    [event] = events(session, "started")
    assert (event.before, event.after) == ({"status": "not_started"}, {"status": "in_progress"})


def test_progress_update_is_kept_and_audited(session, world):
    update = actions.add_progress(
        session, world.owner, world.action, percent=40, text=" Drafted ", now=NOW
    )
    session.commit()
    assert (update.percent, update.text, update.author_id) == (40, "Drafted", world.owner.id)
    [event] = events(session, "progress_recorded")
    assert event.after == {"action_id": world.action.id, "percent": 40, "text": "Drafted"}


@pytest.mark.parametrize(
    ("percent", "text", "message"),
    [(101, "x", "between 0 and 100"), (-1, "x", "between 0 and 100"), (None, "x", "between"),
     (50, "   ", "Enter a note")],
)  # fmt: skip
def test_bad_progress_writes_nothing(session, world, percent, text, message):
    before = table_counts(session)
    with pytest.raises(DomainError, match=message):
        actions.add_progress(
            session, world.owner, world.action, percent=percent, text=text, now=NOW
        )
    session.rollback()
    assert table_counts(session) == before


def test_bulk_assign_moves_several_actions_to_one_owner(session, world):
    changed = actions.bulk_assign(
        session, world.director, [world.action, world.unassigned], world.other_owner, now=NOW
    )
    session.commit()
    assert changed == 2
    assert {world.action.owner_id, world.unassigned.owner_id} == {world.other_owner.id}
    assert len(events(session, "assigned")) == 2


def test_bulk_assign_needs_a_selection_and_a_valid_owner(session, world):
    before = table_counts(session)
    with pytest.raises(DomainError, match="Select at least one action"):
        actions.bulk_assign(session, world.director, [], world.owner, now=NOW)
    with pytest.raises(DomainError, match="active person"):
        actions.bulk_assign(session, world.director, [world.unassigned], world.viewer, now=NOW)
    session.rollback()
    assert table_counts(session) == before


def test_bulk_assign_chooses_only_actions_of_the_domain_page(session, world):
    component_id = world.action.question.component_id
    chosen = actions.actions_in_component(
        session, component_id, [world.unassigned.id, world.action.id, world.action.id]
    )
    assert {a.id for a in chosen} == {world.action.id, world.unassigned.id}
    before = table_counts(session)
    with pytest.raises(DomainError, match="from this domain only"):
        actions.actions_in_component(
            session, component_id, [world.action.id, world.other_action.id]
        )
    assert table_counts(session) == before


def test_leaver_open_actions_move_within_the_directors_components(session, world):
    world.other_action.owner = world.owner  # component 2, not led by world.director
    world.unassigned.owner = world.owner
    world.unassigned.status = ActionStatus.COMPLETED
    session.commit()
    moved = actions.reassign_leaver(
        session, world.director, leaver=world.owner, new_owner=world.other_owner,
        component_ids=world.director_components, now=NOW,
    )  # fmt: skip
    session.commit()
    assert moved == 1
    assert world.action.owner_id == world.other_owner.id
    assert world.other_action.owner_id == world.owner.id  # another director's domain
    assert world.unassigned.owner_id == world.owner.id  # completed work keeps its owner
    [event] = events(session, "reassigned_from_leaver")
    assert event.before == {"owner_id": world.owner.id}


def test_admin_moves_a_leavers_actions_everywhere(session, world):
    world.other_action.owner = world.owner
    session.commit()
    moved = actions.reassign_leaver(
        session, world.admin, leaver=world.owner, new_owner=world.other_owner,
        component_ids=None, now=NOW,
    )  # fmt: skip
    assert moved == 2


def test_leaver_cannot_be_their_own_replacement(session, world):
    before = table_counts(session)
    with pytest.raises(DomainError, match="someone other than"):
        actions.reassign_leaver(
            session, world.admin, leaver=world.owner, new_owner=world.owner,
            component_ids=None, now=NOW,
        )  # fmt: skip
    session.rollback()
    assert table_counts(session) == before


def test_history_collects_action_milestone_progress_and_evidence_events(session, world):
    from tracker.domain.actions import milestones
    from tracker.domain.evidence import submissions as evidence

    actions.add_progress(session, world.owner, world.action, percent=10, text="Begun", now=NOW)
    milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW)
    evidence.add_note(session, world.owner, world.action, note="Minutes", now=NOW)
    actions.add_progress(
        session, world.other_owner, world.other_action, percent=5, text="x", now=NOW
    )
    session.commit()
    page = actions.load_action_page(session, world.action.id)
    verbs = {event.verb for event in actions.history(session, page)}
    assert verbs == {"started", "progress_recorded", "milestone_done", "evidence_added"}


def test_assign_by_id_finds_the_owner_and_refuses_an_id_naming_nobody(session, world):
    changed = actions.assign_by_id(
        session, world.director, world.unassigned, owner_id=world.owner.id,
        due_on=None, priority="low", now=NOW, expected_version=1,
    )  # fmt: skip
    session.commit()
    assert changed
    assert world.unassigned.owner_id == world.owner.id
    before = table_counts(session)
    with pytest.raises(DomainError) as caught:
        actions.assign_by_id(
            session, world.director, world.unassigned, owner_id=999_999,
            due_on=None, priority="low", now=NOW, expected_version=2,
        )  # fmt: skip
    session.rollback()
    assert caught.value.field == "owner"
    assert table_counts(session) == before


def test_bulk_assign_in_component_chooses_then_assigns_and_names_the_owner(session, world):
    component_id = world.action.question.component_id
    done = actions.bulk_assign_in_component(
        session, world.director, component_id, [world.action.id, world.unassigned.id],
        world.other_owner.id, now=NOW,
    )  # fmt: skip
    session.commit()
    assert done.changed == 2
    assert done.owner.id == world.other_owner.id
    assert {world.action.owner_id, world.unassigned.owner_id} == {world.other_owner.id}
    before = table_counts(session)
    for ids, owner_id, message in (
        ([world.action.id, world.other_action.id], world.owner.id, "from this domain only"),
        ([], world.owner.id, "Select at least one action"),
        ([world.action.id], 999_999, "active person"),
    ):
        with pytest.raises(DomainError, match=message):
            actions.bulk_assign_in_component(
                session, world.director, component_id, ids, owner_id, now=NOW
            )
        session.rollback()
    assert table_counts(session) == before


def test_reassign_leaver_by_id_finds_both_people(session, world):
    moved = actions.reassign_leaver_by_id(
        session, world.admin, leaver_id=world.owner.id, new_owner_id=world.other_owner.id,
        component_ids=None, now=NOW,
    )  # fmt: skip
    session.commit()
    assert moved == 1
    assert world.action.owner_id == world.other_owner.id
    with pytest.raises(DomainError, match="Choose the person who is leaving"):
        actions.reassign_leaver_by_id(
            session, world.admin, leaver_id=0, new_owner_id=world.owner.id,
            component_ids=None, now=NOW,
        )  # fmt: skip
    session.rollback()


def test_organisation_people_lists_everyone_by_name_active_or_not(session, world, make_user):
    leaver = make_user("owner", name="Aaron Away", is_active=False)
    people = actions.organisation_people(session, world.owner.organisation_id)
    assert people[0].id == leaver.id
    assert [p.name for p in people] == sorted(p.name for p in people)
    assert {world.viewer.id, world.admin.id, world.owner.id} <= {p.id for p in people}


def test_load_component_finds_a_domain_or_raises_not_found(session, world):
    from tracker.domain.actions import component_page
    from tracker.domain.errors import NotFound

    component_id = world.action.question.component_id
    assert component_page.load_component(session, component_id).id == component_id
    with pytest.raises(NotFound):
        component_page.load_component(session, 999_999)
