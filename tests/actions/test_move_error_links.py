"""A refused lifecycle move: each link in the error summary leads to the field it is about
(the moves are small forms whose fields have ids of their own, not the form class's)."""

from __future__ import annotations

import re

import pytest

from tests.actions.test_web_lifecycle import signed_in
from tests.support.actions import post
from tests.support.helpers import table_counts


def summary_targets(page: str) -> list[str]:
    summary = re.search(r'<div class="nhsuk-error-summary".*?</div>\s*</div>', page, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


def assert_each_link_has_its_field(page: str, expected: str) -> None:
    targets = summary_targets(page)
    assert expected in targets
    for target in targets:
        assert re.search(rf'\bid="{re.escape(target)}"', page), (
            f"nothing on the page has id {target}"
        )


def _in_review(app, world):
    owner = signed_in(app, world.owner)
    page = f"/actions/{world.action.id}"
    response = post(owner, f"{page}/status", page,
                    {"move-move": "propose_done", "move-note": "All written", "move-version": "1"})  # fmt: skip
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"move-move": "sign_off", "move-version": "2"}, "sign-off-{id}-outcome"),
        ({"move-move": "return_to_work", "move-note": "", "move-version": "2"}, "return-{id}-note"),
    ],
    ids=["sign off without an outcome", "return to work without a note"],
)
def test_decisions_page_error_links_lead_to_the_field(app, session, world, data, field):
    _in_review(app, world)
    director = signed_in(app, world.director)
    before = table_counts(session)
    response = post(director, f"/decisions/actions/{world.action.id}", "/decisions", data)
    assert response.status_code == 400
    assert table_counts(session) == before
    assert_each_link_has_its_field(
        response.get_data(as_text=True), field.format(id=world.action.id)
    )


def test_action_page_error_links_lead_to_the_field(app, session, world):
    _in_review(app, world)
    director = signed_in(app, world.director)
    page = f"/actions/{world.action.id}"
    before = table_counts(session)
    response = post(director, f"{page}/status", page,
                    {"move-move": "return_to_work", "move-note": "", "move-version": "2"})  # fmt: skip
    assert response.status_code == 400
    assert table_counts(session) == before
    assert_each_link_has_its_field(response.get_data(as_text=True), "move-return-note")
