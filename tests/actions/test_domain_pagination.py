"""The domain page lists its actions 50 a page (`?page=N`), like the action list.

Out-of-range pages: a page past the end shows the LAST page (with its "Showing ... of ..." text
and pagination), so an old link still lands on real rows after actions were deleted; a page
below 1 or not a number shows page 1. The bulk-assign form lists the open actions of the page
shown only, and says so in its hint. The page runs the same number of queries for 5 actions as
for 120.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.support.actions import post
from tests.support.factories import make_action
from tests.support.helpers import TODAY
from tests.support.queries import count_queries
from tracker.domain.actions import component_page
from tracker.models import Action


def add_actions(session, world, how_many):
    """Extra actions on question 4 (domain 1), after the world's two (questions 1 and 2), so the
    domain's order is: world.action, world.unassigned, Extra 000, Extra 001, ..."""
    extra = [
        make_action(session, world.round, 4, owner=world.owner, title=f"Extra {n:03}")
        for n in range(how_many)
    ]
    session.commit()
    return extra


def checkbox_ids(html):
    return {int(value) for value in re.findall(r'name="action_ids"[^>]*value="(\d+)"', html)}


def test_domain_detail_returns_one_page_and_clamps_past_the_end(session, world):
    add_actions(session, world, 118)
    org, component = world.owner.organisation_id, world.action.question.component_id
    second = component_page.domain_detail(session, org, component, today=TODAY, page=2)
    assert (second.actions.total, second.actions.pages, second.actions.page) == (120, 3, 2)
    assert [r.action.title for r in second.rows] == [f"Extra {n:03}" for n in range(48, 98)]
    beyond = component_page.domain_detail(session, org, component, today=TODAY, page=99)
    assert beyond.actions.page == 3
    assert [r.action.title for r in beyond.rows] == [f"Extra {n:03}" for n in range(98, 118)]
    below = component_page.domain_detail(session, org, component, today=TODAY, page=-4)
    assert below.actions.page == 1
    assert [r.action.id for r in below.rows][:2] == [world.action.id, world.unassigned.id]


def test_page_two_shows_its_rows_pagination_and_only_its_open_actions_to_assign(
    session, world, sign_in
):
    extra = add_actions(session, world, 118)
    client = sign_in(world.director)
    component = world.action.question.component_id
    html = client.get(f"/domains/{component}?page=2").get_data(as_text=True)
    assert "Showing 51 to 100 of 120 actions" in html
    assert "Extra 048" in html and "Extra 097" in html
    assert "Extra 047" not in html and "Extra 098" not in html
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in html
    assert 'aria-current="page"' in html and f"/domains/{component}?page=3#actions" in html
    assert f"/domains/{component}?page=1#actions" in html
    assert checkbox_ids(html) == {a.id for a in extra[48:98]}
    assert "Only the open actions on this page are listed (page 2 of 3)" in html
    assert f'action="/domains/{component}/assign?page=2"' in html


def test_a_page_past_the_end_shows_the_last_page(session, world, sign_in):
    add_actions(session, world, 118)
    client = sign_in(world.director)
    component = world.action.question.component_id
    response = client.get(f"/domains/{component}?page=99")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Showing 101 to 120 of 120 actions" in html and "Extra 117" in html
    first = client.get(f"/domains/{component}?page=abc").get_data(as_text=True)
    assert "Showing 1 to 50 of 120 actions" in first and "Write the vision" in first


def test_a_single_page_has_no_pagination(session, world, sign_in):
    client = sign_in(world.director)
    component = world.action.question.component_id
    html = client.get(f"/domains/{component}").get_data(as_text=True)
    assert "Showing 1 to 2 of 2 actions" in html
    assert "nhsuk-pagination" not in html
    assert "Only the open actions on this page are listed." in html


def test_bulk_assign_from_page_two_returns_to_page_two(session, world, sign_in):
    extra = add_actions(session, world, 118)
    client = sign_in(world.director)
    component = world.action.question.component_id
    page = f"/domains/{component}?page=2"
    response = post(
        client,
        f"/domains/{component}/assign?page=2",
        page,
        {"action_ids": [extra[50].id], "owner": world.other_owner.id},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(page)
    owner_id = session.scalar(select(Action.owner_id).where(Action.id == extra[50].id))
    assert owner_id == world.other_owner.id
    failed = post(client, f"/domains/{component}/assign?page=2", page, {"owner": world.owner.id})
    html = failed.get_data(as_text=True)
    assert failed.status_code == 400 and "Select at least one action" in html
    assert "Showing 51 to 100 of 120 actions" in html


def queries(client, url):
    with count_queries() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def test_query_count_is_the_same_for_5_and_120_actions(session, world, sign_in):
    """Each run starts with one uncounted request, as committing the new rows expires the
    signed-in user that the first request after it reloads."""
    client = sign_in(world.director)
    url = f"/domains/{world.action.question.component_id}"
    counts = {}
    for how_many, total in ((3, 5), (115, 120)):
        add_actions(session, world, how_many)
        client.get(url)
        counts[total] = [queries(client, f"{url}?page={n}") for n in (1, 2, 9)]
    assert counts[5] == counts[120]
    assert len(set(counts[120])) == 1
