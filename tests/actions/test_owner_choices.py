"""Owner pickers offer only the organisation's active action owners: never admins, directors,
viewers, people who have left, or anyone from another organisation."""

from __future__ import annotations

import re

import pytest

from tests.support.actions import post
from tests.support.helpers import table_counts
from tracker.domain.actions import updates
from tracker.domain.errors import DomainError
from tracker.models import Organisation, User


@pytest.fixture
def people(session, world, make_user):
    leaver = make_user("owner", name="Lena Leaver", is_active=False)
    elsewhere = Organisation(ods_code="RZZ", name="Another NHS trust")
    session.add(elsewhere)
    stranger = User(organisation=elsewhere, email="o@other.nhs.uk", name="Sam Stranger",
                    role="owner")  # fmt: skip
    session.add(stranger)
    session.commit()
    return {"leaver": leaver, "stranger": stranger}


def offered(html: str, name: str) -> set[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select, name
    return set(re.findall(r"<option[^>]*>([^<(]+?)\s*(?:\(|<)", select.group(0)))


def test_the_action_page_offers_only_active_owners(world, people, sign_in):
    client = sign_in(world.director)
    names = offered(
        client.get(f"/actions/{world.action.id}").get_data(as_text=True), "assign-owner"
    )
    assert names == {"Choose a person", "Owen Owner", "Priya Peer"}


def test_the_domain_page_offers_only_active_owners(world, people, sign_in):
    client = sign_in(world.director)
    page = f"/domains/{world.action.question.component_id}"
    assert offered(client.get(page).get_data(as_text=True), "owner") == {
        "Choose a person", "Owen Owner", "Priya Peer",
    }  # fmt: skip


def test_eligible_owners_are_the_active_owners_of_the_organisation(session, world, people):
    found = updates.eligible_owners(session, world.owner.organisation_id)
    assert {p.name for p in found} == {"Owen Owner", "Priya Peer"}


@pytest.mark.parametrize("who", ["admin", "director", "viewer", "leaver"])
def test_assigning_to_someone_not_offered_is_refused(session, world, people, who, sign_in):
    person = people.get(who) or getattr(world, who)
    with pytest.raises(DomainError, match="Choose an active person who can own actions"):
        updates.check_owner(person, world.action)
    page = f"/actions/{world.unassigned.id}"
    client = sign_in(world.director)
    before = table_counts(session)
    response = post(client, f"{page}/assign", page, {
        "assign-owner": str(person.id), "assign-priority": "low", "assign-version": "1",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Choose a person from the list" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_the_leaver_page_offers_only_active_owners_as_the_new_owner(world, people, sign_in):
    client = sign_in(world.director)
    html = client.get("/domains/reassign-leaver").get_data(as_text=True)
    assert offered(html, "new_owner") == {"Choose a person", "Owen Owner", "Priya Peer"}
    assert "Lena Leaver" in html  # the person leaving may still be chosen as the leaver
