"""Another organisation's actions, milestones and evidence are not found by id, not even by a
director leading the same, shared component: nothing can be read, assigned, ticked, reviewed
or downloaded across organisations."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support import factories
from tests.support.helpers import table_counts
from tests.support.proof import World, build_world, cached_password_hash, fetch, signed_in_client
from tracker.models import Organisation, User


@pytest.fixture
def world(app: Flask, session, framework) -> World:
    return build_world(session, app.config["UPLOAD_DIR"])


def other_trust_people(session) -> dict[str, User]:
    """A second organisation whose director leads component 1, the same (shared) component
    as the sample action's; plus its admin and viewer."""
    trust = Organisation(ods_code="RZZ", name="Another NHS trust")
    session.add(trust)
    people = {
        role: User(
            organisation=trust,
            email=f"{role}@other-trust.nhs.uk",
            name=f"Other {role}",
            role=role,
            password_hash=cached_password_hash(),
        )
        for role in ("admin", "director", "viewer")
    }
    session.add_all(people.values())
    session.flush()
    factories.make_lead(session, people["director"], 1)
    session.commit()
    return people


@pytest.mark.parametrize("role", ["admin", "director", "viewer"])
def test_another_organisations_action_and_evidence_are_not_found(app, session, world, role):
    person = other_trust_people(session)[role]
    client = signed_in_client(app, person)
    urls = [
        f"/actions/{world.action.id}",
        f"/actions/{world.action.id}/milestones/{world.milestone.id}/replan",
        f"/actions/{world.action.id}/evidence/new",
        f"/evidence/{world.evidence.id}/download",
        f"/evidence/{world.evidence.id}/review",
    ]
    for url in urls:
        response = fetch(client, "GET", url)
        assert response.status_code == 404, (url, response.status_code)
        assert world.evidence_bytes not in response.data


@pytest.mark.parametrize("role", ["admin", "director"])
def test_another_organisations_action_cannot_be_changed(app, session, world, csrf_off, role):
    person = other_trust_people(session)[role]
    client = signed_in_client(app, person)
    before = table_counts(session)
    action, milestone, evidence = world.action.id, world.milestone.id, world.evidence.id
    posts = {
        f"/actions/{action}/milestones/{milestone}/done": {"done": "1"},
        f"/actions/{action}/progress": {"percent": "50", "note": "Taken over"},
        f"/actions/{action}/milestones": {
            "milestone-title": "Injected",
            "milestone-weight": "1",
            "milestone-due_on": "2027-01-01",
        },
        f"/actions/{action}/evidence/note": {"note-note": "Injected", "note-milestone_id": "0"},
        f"/evidence/{evidence}/review": {"decision": "accepted", "note": ""},
    }
    for url, data in posts.items():
        response = fetch(client, "POST", url, data=data)
        assert response.status_code == 404, (url, response.status_code)
    session.expire_all()
    assert table_counts(session) == before
    assert world.milestone.done_at is None
    assert world.evidence.review_status == "pending"
