"""Page cost does not grow with the number of rows: the same number of queries for few or many."""

from __future__ import annotations

from datetime import date

from tests.support.factories import make_action, make_milestone, make_note_evidence
from tests.support.helpers import NOW
from tests.support.queries import count_queries
from tracker.domain.actions import milestones
from tracker.domain.actions import updates as actions


def add_rows(session, world, how_many):
    for n in range(how_many):
        action = make_action(session, world.round, 1 + n % 4, owner=world.owner, title=f"Extra {n}")
        milestone = make_milestone(session, action, date(2026, 1, 1 + n))
        milestones.replan(
            session, world.owner, milestone, new_due_on=date(2027, 1, 1 + n), reason="r", now=NOW
        )
        make_note_evidence(session, action, world.owner)
        actions.add_progress(session, world.owner, action, percent=n, text="t", now=NOW)
        make_note_evidence(session, world.action, world.owner)
        actions.add_progress(session, world.owner, world.action, percent=n, text="t", now=NOW)
        make_milestone(session, world.action, date(2027, 2, 1 + n))
    session.commit()


def queries_per_page(client, urls):
    counts = {}
    for url in urls:
        with count_queries() as statements:
            assert client.get(url).status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_pages_run_a_fixed_number_of_queries(session, world, sign_in):
    component = world.action.question.component_id
    urls = [
        "/dashboard",
        "/my-actions",
        "/actions",
        "/actions?overdue=1&awaiting_review=1",
        "/domains",
        f"/domains/{component}",
        f"/actions/{world.action.id}",
    ]
    director = sign_in(world.director)
    add_rows(session, world, 2)
    few = queries_per_page(director, urls)
    add_rows(session, world, 10)
    many = queries_per_page(director, urls)
    assert many == few
