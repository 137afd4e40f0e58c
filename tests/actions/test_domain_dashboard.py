"""Dashboard counts, filtered lists and "my actions" ordering."""

from __future__ import annotations

from datetime import date

from tests.support.factories import make_action, make_milestone, make_note_evidence
from tests.support.helpers import TODAY
from tracker.domain.actions import component_page, dashboard


def org(world):
    return world.owner.organisation_id


def test_summary_counts_and_review_queue_per_director(session, world):
    make_milestone(session, world.action, date(2026, 11, 1), title="Late")  # overdue
    make_note_evidence(session, world.action, world.owner)  # component 1
    make_note_evidence(session, world.other_action, world.other_owner)  # component 2
    session.commit()
    led = dashboard.Scope(org(world), review_component_ids={world.action.question.component_id})
    summary = dashboard.summary(session, led, today=TODAY)
    assert summary.by_status == {"not_started": 3}
    assert [count for _, count in summary.by_component] == [2, 1, 0, 0, 0]
    assert summary.overdue_milestones == 1
    assert summary.awaiting_review == 1
    assert summary.next_round_on == date(2027, 5, 1)
    everyone = dashboard.summary(session, dashboard.Scope(org(world)), today=TODAY)
    assert everyone.awaiting_review == 2
    own = dashboard.summary(
        session, dashboard.Scope(org(world), owner_id=world.other_owner.id), today=TODAY
    )
    assert own.by_status == {"not_started": 1} and own.overdue_milestones == 0


def test_list_filters_and_pages(session, world):
    for n in range(30):
        make_action(session, world.round, 3, title=f"Extra {n:02}", status="in_progress")
    make_milestone(session, world.unassigned, date(2026, 1, 1))
    session.commit()
    scope = dashboard.Scope(org(world))
    first = dashboard.list_actions(session, scope, today=TODAY, status="in_progress", per_page=25)
    assert (first.total, first.pages, len(first.rows)) == (30, 2, 25)
    second = dashboard.list_actions(session, scope, today=TODAY, status="in_progress", page=2)
    assert len(second.rows) == 5
    overdue = dashboard.list_actions(session, scope, today=TODAY, overdue=True)
    assert [row.action.id for row in overdue.rows] == [world.unassigned.id]
    component = dashboard.list_actions(
        session, scope, today=TODAY, component_id=world.other_action.question.component_id
    )
    assert [row.action.id for row in component.rows] == [world.other_action.id]


def test_my_actions_overdue_first_then_by_next_milestone(session, world):
    later = make_action(session, world.round, 2, owner=world.owner, title="Later")
    make_milestone(session, later, date(2027, 6, 1))
    late = make_action(session, world.round, 3, owner=world.owner, title="Late")
    make_milestone(session, late, date(2026, 10, 1))
    done = make_action(session, world.round, 4, owner=world.owner, status="completed")
    session.commit()
    rows = dashboard.my_actions(
        session, dashboard.Scope(org(world), owner_id=world.owner.id), today=TODAY
    )
    assert [row.action.title for row in rows] == ["Late", "Write the vision", "Later"]
    assert rows[0].overdue and not rows[1].overdue
    assert done.id not in [row.action.id for row in rows]


def test_domain_detail_shows_levels_of_the_latest_round(session, world):
    from tests.support.factories import make_round

    make_round(session, "Re-measure 2027", held_on=date(2027, 5, 1), ranks={1: 2})
    session.commit()
    component_id = world.action.question.component_id
    detail = component_page.domain_detail(session, org(world), component_id, today=TODAY)
    assert detail.round.name == "Re-measure 2027"
    assert [(q.number, level.rank) for q, level in detail.questions] == [
        (1, 2),
        (2, 1),
        (3, 1),
        (4, 1),
    ]
    assert {row.action.id for row in detail.rows} == {world.action.id, world.unassigned.id}
    overview = dashboard.domain_overview(session, org(world))
    assert [(open_, unassigned) for _, open_, unassigned, _ in overview][:2] == [(2, 1), (1, 0)]
