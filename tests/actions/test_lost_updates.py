"""No lost updates: re-plan, tick, evidence review and outcome carry the version their page
showed and a stale one is refused with the action page's conflict message, writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support import signing_in
from tests.support.actions import csrf_token
from tests.support.helpers import NOW, table_counts
from tracker.domain.actions import milestones
from tracker.domain.errors import CONFLICT_MESSAGE, Conflict
from tracker.domain.evidence import submissions as evidence_domain
from tracker.domain.readiness.history import record_outcome
from tracker.models import Milestone, MilestoneReplan


def client_for(app, user):
    client = app.test_client()
    signing_in.sign_in(client, user, through_form=False)
    return client


def test_two_replans_from_pages_showing_the_same_date(app, session, world) -> None:
    page = f"/actions/{world.action.id}/milestones/{world.milestone.id}/replan"
    owner, director = client_for(app, world.owner), client_for(app, world.director)
    owner_token, director_token = csrf_token(owner, page), csrf_token(director, page)
    shown = owner.get(page).get_data(as_text=True)
    assert f'name="version" type="hidden" value="{world.milestone.version}"' in shown

    first = director.post(page, data={"csrf_token": director_token, "due_on": "2027-03-01",
                                      "reason": "Board moved", "version": "1"})  # fmt: skip
    assert first.status_code == 302
    before = table_counts(session)
    second = owner.post(page, data={"csrf_token": owner_token, "due_on": "2027-04-01",
                                    "reason": "Holidays", "version": "1"})  # fmt: skip
    assert second.status_code == 409
    assert CONFLICT_MESSAGE in second.get_data(as_text=True)
    assert table_counts(session) == before
    session.expire_all()
    assert session.get(Milestone, world.milestone.id).due_on == date(2027, 3, 1)
    assert [r.reason for r in session.query(MilestoneReplan)] == ["Board moved"]


def test_a_replan_without_a_version_is_refused(app, session, world) -> None:
    page = f"/actions/{world.action.id}/milestones/{world.milestone.id}/replan"
    owner = client_for(app, world.owner)
    data = {"csrf_token": csrf_token(owner, page), "due_on": "2027-03-01", "reason": "Moved"}
    assert owner.post(page, data=data).status_code == 409


def test_a_stale_tick_is_refused(app, session, world) -> None:
    page = f"/actions/{world.action.id}"
    url = f"{page}/milestones/{world.milestone.id}/done"
    owner, director = client_for(app, world.owner), client_for(app, world.director)
    assert f'name="version" value="{world.milestone.version}"' in owner.get(page).get_data(True)
    token, other = csrf_token(owner, page), csrf_token(director, page)
    assert (
        director.post(url, data={"csrf_token": other, "done": "1", "version": "1"}).status_code
        == 302
    )
    response = owner.post(url, data={"csrf_token": token, "done": "1", "version": "1"})
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in response.get_data(as_text=True)


def test_a_stale_review_is_refused(session, world) -> None:
    evidence = evidence_domain.add_note(
        session, world.owner, world.action, note="Agreed", title="Minutes", now=NOW
    )
    session.commit()
    shown = evidence.version
    evidence_domain.review(
        session, world.director, evidence, decision="accepted", note="", now=NOW,
        expected_version=shown,
    )  # fmt: skip
    session.commit()
    with pytest.raises(Conflict, match="Someone else changed this action"):
        evidence_domain.review(
            session, world.admin, evidence, decision="rejected", note="Not enough", now=NOW,
            expected_version=shown,
        )  # fmt: skip
    session.rollback()
    session.refresh(evidence)
    assert evidence.review_status == "accepted"


def test_a_stale_outcome_is_refused(session, world) -> None:
    world.action.status = "review"
    session.commit()
    shown = world.action.version
    record_outcome(session, world.director, world.action, "verified", now=NOW,
                   expected_version=shown)  # fmt: skip
    session.commit()
    with pytest.raises(Conflict):
        record_outcome(session, world.admin, world.action, "not_effective", now=NOW,
                       expected_version=shown)  # fmt: skip
    session.rollback()
    session.refresh(world.action)
    assert world.action.outcome == "verified"


def test_stale_milestone_changes_in_the_domain(session, world) -> None:
    shown = world.milestone.version
    milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW,
                        expected_version=shown)  # fmt: skip
    session.commit()
    with pytest.raises(Conflict):
        milestones.replan(session, world.owner, world.milestone, new_due_on=date(2027, 5, 1),
                          reason="Later", now=NOW, expected_version=shown)  # fmt: skip
