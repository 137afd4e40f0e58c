"""A director's dashboard covers the domains they lead: overdue milestones, evidence awaiting
review and unassigned actions; each number links to a list showing the same actions."""

from __future__ import annotations

import re
from datetime import date

from tests.support.factories import make_action, make_milestone, make_note_evidence
from tracker.core.access import scope_for
from tracker.domain.actions import dashboard
from tracker.domain.permissions import actor_for

TODAY = date(2026, 12, 1)


def spread_work(session, world):
    """Overdue milestones, pending evidence and an unassigned action in both domains."""
    make_milestone(session, world.action, date(2020, 1, 1), title="Late here")
    make_milestone(session, world.other_action, date(2020, 1, 1), title="Late elsewhere")
    make_note_evidence(session, world.action, world.owner)
    make_note_evidence(session, world.other_action, world.other_owner)
    make_action(session, world.round, 6, title="Nobody's elsewhere")
    session.commit()


def test_a_directors_counts_cover_only_their_domains(session, world):
    spread_work(session, world)
    led = dashboard.summary(session, scope_for(actor_for(session, world.director)), today=TODAY)
    assert (led.overdue_milestones, led.awaiting_review, led.unassigned) == (1, 1, 1)
    everything = dashboard.summary(session, scope_for(actor_for(session, world.admin)), today=TODAY)
    assert (everything.overdue_milestones, everything.awaiting_review) == (2, 2)
    assert everything.unassigned == 2


def count_on_card(html: str, words: str) -> tuple[int, str]:
    match = re.search(rf'href="([^"]+)">(\d+) {words}', html)
    assert match, words
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def listed(client, address: str) -> int:
    html = client.get(address).get_data(as_text=True)
    return int(re.search(r"(\d+) actions? found", html).group(1))


def test_the_directors_cards_link_to_lists_of_the_same_actions(session, world, sign_in):
    spread_work(session, world)
    client = sign_in(world.director)
    html = client.get("/dashboard").get_data(as_text=True)
    unassigned, address = count_on_card(html, "unassigned action")
    assert unassigned == 1 and "in your domains" in html
    assert listed(client, address) == 1
    overdue, address = count_on_card(html, "overdue milestone")
    assert overdue == 1 and "led=1" in address
    assert listed(client, address) == 1
    waiting, address = count_on_card(html, "piece")
    assert waiting == 1 and listed(client, address) == 1


def test_owners_get_no_unassigned_card(session, world, sign_in):
    spread_work(session, world)
    html = sign_in(world.owner).get("/dashboard").get_data(as_text=True)
    assert "unassigned action" not in html
