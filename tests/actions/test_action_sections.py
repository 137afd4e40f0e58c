"""The action page in sections with a contents list; every save returns to the section it
came from, with its message there in a banner that takes the focus."""

from __future__ import annotations

import re

import pytest

from tests.support.actions import post
from tracker.actions.lifecycle_views import DONE


def test_the_page_lists_its_sections(world, sign_in):
    html = sign_in(world.director).get(f"/actions/{world.action.id}").get_data(as_text=True)
    contents = re.search(r'<nav class="nhsuk-contents-list".*?</nav>', html, re.S).group(0)
    for section in ("about", "change-status", "assignment", "milestones", "progress", "evidence",
                    "history"):  # fmt: skip
        assert f'href="#{section}"' in contents
        assert f'<section id="{section}"' in html


def test_sections_a_person_cannot_use_are_left_out(world, sign_in):
    html = sign_in(world.viewer).get(f"/actions/{world.action.id}").get_data(as_text=True)
    assert 'href="#assignment"' not in html and 'href="#change-status"' not in html
    assert 'href="#milestones"' in html


STARTED = DONE["start"] + "."  # the message as the page shows it


def saves(world):
    page = f"/actions/{world.action.id}"
    milestone = world.milestone
    return [
        ("change-status", f"{page}/status", page,
         {"move-move": "start", "move-version": str(world.action.version)}, STARTED),
        ("assignment", f"{page}/assign", page,
         {"assign-owner": world.owner.id, "assign-priority": "high", "assign-version": "1"},
         "Assignment saved."),
        ("progress", f"{page}/progress", page, {"percent": "20", "note": "Started"},
         "Progress update saved."),
        ("milestones", f"{page}/milestones", page,
         {"milestone-title": "Board paper", "milestone-weight": "1",
          "milestone-due_on-day": "1", "milestone-due_on-month": "6",
          "milestone-due_on-year": "2027"}, "Milestone added."),
        ("milestones", f"{page}/milestones/{milestone.id}/done", page,
         {"done": "1", "version": str(milestone.version)}, "Milestone marked as done."),
        ("milestones", f"{page}/milestones/{milestone.id}/replan",
         f"{page}/milestones/{milestone.id}/replan",
         {"due_on": "2027-09-01", "reason": "Room moved", "version": str(milestone.version)},
         "Milestone re-planned."),
        ("evidence", f"{page}/evidence/note", f"{page}/evidence/new",
         {"note-title": "Minutes", "note-note": "Agreed at board"},
         "Evidence added. The director will review it."),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(7))
def test_each_save_returns_to_its_section_with_its_message_there(session, world, sign_in, index):
    section, url, form_page, data, message = saves(world)[index]
    client = sign_in(world.director)
    response = post(client, url, form_page, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.location.endswith(f"/actions/{world.action.id}#{section}")
    html = client.get(response.location).get_data(as_text=True)
    start = html.index(f'<section id="{section}"')
    inside = html[start : html.index("</section>", start)]
    banner = re.search(r"<div[^>]*nhsuk-notification-banner--success[^>]*>", inside)
    assert banner and 'tabindex="-1"' in banner.group(0) and "autofocus" in banner.group(0)
    assert message in inside
    assert html.count(message) == 1  # not at the top of the page as well
