"""The lifecycle through the test client: moves on the action page, the cancel confirmation,
withdrawing a milestone, the decisions queue, and the owner's email (once, right person)."""

from __future__ import annotations

from sqlalchemy import select

from tests.support import signing_in
from tests.support.actions import post
from tests.support.helpers import table_counts
from tracker.models import Action, Evidence, Notification


def signed_in(app, user):
    """A client of its own for each person (one client signs one person in)."""
    client = app.test_client()
    signing_in.sign_in(client, user)
    return client


def test_owner_cannot_cancel_and_nothing_is_written(app, session, world):
    client = signed_in(app, world.owner)
    page = f"/actions/{world.action.id}/cancel"
    assert "Only the lead director of this domain or an admin" in client.get(page).get_data(
        as_text=True
    )
    before = table_counts(session)
    response = post(client, page, page, {"note": "Not needed", "version": "1"})
    assert response.status_code == 400
    assert "Only the lead director of this domain or an admin can cancel" in response.get_data(
        as_text=True
    )
    assert table_counts(session) == before


def test_director_cancels_after_confirming_and_the_owner_is_told_once(app, session, world):
    client = signed_in(app, world.director)
    page = f"/actions/{world.action.id}/cancel"
    assert "Yes, cancel the action" in client.get(page).get_data(as_text=True)
    response = post(client, page, page, {"note": "Merged", "version": "1"})
    assert response.status_code == 302
    response = post(client, page, page, {"note": "Merged", "version": "2"})
    assert response.status_code == 400  # already cancelled: refused, no second email
    assert "You cannot cancel an action that is cancelled" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Action, world.action.id).status == "cancelled"
    [email] = session.scalars(select(Notification)).all()
    assert (email.recipient_id, email.kind) == (world.owner.id, "action_cancelled")
    assert "Merged" in email.body_text and f"/actions/{world.action.id}" in email.body_text
    mine = signed_in(app, world.owner).get("/my-actions").get_data(as_text=True)
    assert "Write the vision" not in mine


def test_owner_proposes_done_and_director_signs_off_from_the_queue(app, session, world):
    page = f"/actions/{world.action.id}"
    owner = signed_in(app, world.owner)
    response = post(owner, f"{page}/status", page,
                    {"move-move": "propose_done", "move-note": "All written", "move-version": "1"})  # fmt: skip
    assert response.status_code == 302
    director = signed_in(app, world.director)
    queue = director.get("/decisions").get_data(as_text=True)
    assert "Write the vision" in queue and "The owner says it is done: “All written”" in queue
    before = table_counts(session)
    response = post(director, f"/decisions/actions/{world.action.id}", "/decisions",
                    {"move-move": "sign_off", "move-version": "2"})  # fmt: skip
    assert response.status_code == 400
    assert "Choose verified, partly effective or not effective" in response.get_data(as_text=True)
    assert table_counts(session) == before
    response = post(director, f"/decisions/actions/{world.action.id}", "/decisions",
                    {"move-move": "sign_off", "move-outcome": "verified", "move-version": "2"})  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Action, world.action.id).status == "completed"
    [email] = session.scalars(select(Notification)).all()
    assert (email.recipient_id, email.kind) == (world.owner.id, "action_completed")


def test_no_completed_email_when_the_owner_turned_it_off(app, session, world):
    world.owner.email_action_closed = False
    world.action.status = "review"
    session.commit()
    director = signed_in(app, world.director)
    response = post(director, f"/decisions/actions/{world.action.id}", "/decisions",
                    {"move-move": "sign_off", "move-outcome": "not_effective", "move-version": "2"})  # fmt: skip
    assert response.status_code == 302
    assert session.scalars(select(Notification)).all() == []


def test_bulk_evidence_review_needs_a_note_to_reject(app, session, world):
    notes = [
        Evidence(action=world.action, kind="note", title=f"Minutes {n}", note="x",
                 uploaded_by=world.owner)
        for n in (1, 2)
    ]  # fmt: skip
    session.add_all(notes)
    session.commit()
    director = signed_in(app, world.director)
    ids = [str(e.id) for e in notes]
    before = table_counts(session)
    response = post(director, "/decisions/evidence", "/decisions",
                    {"evidence_ids": ids, "review-decision": "rejected", "review-note": ""})  # fmt: skip
    assert response.status_code == 400
    assert "Enter a note telling the owner why" in response.get_data(as_text=True)
    assert table_counts(session) == before
    # an id no database column can hold is not a choice: refused with the message, not a 500
    response = post(director, "/decisions/evidence", "/decisions",
                    {"evidence_ids": ["99999999999999999999", "0"],
                     "review-decision": "accepted"})  # fmt: skip
    assert response.status_code == 400
    assert "Select at least one piece of evidence" in response.get_data(as_text=True)
    assert table_counts(session) == before
    response = post(director, "/decisions/evidence", "/decisions",
                    {"evidence_ids": ids, "review-decision": "accepted"})  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    assert {session.get(Evidence, e.id).review_status for e in notes} == {"accepted"}


def test_past_dated_milestone_is_refused_on_the_page(app, session, world):
    client = signed_in(app, world.director)
    page = f"/actions/{world.action.id}"
    before = table_counts(session)
    data = {"milestone-title": "Old", "milestone-weight": "1", "milestone-due_on": "2020-01-01"}
    response = post(client, f"{page}/milestones", page, data)
    assert response.status_code == 400
    assert "The due date must be today or later" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_lead_director_withdraws_a_milestone_and_the_owner_cannot(app, session, world):
    url = f"/actions/{world.action.id}/milestones/{world.milestone.id}/withdraw"
    assert signed_in(app, world.owner).get(url).status_code == 403
    client = signed_in(app, world.director)
    response = post(client, url, url, {"reason": "Added twice", "version": "1"})
    assert response.status_code == 302
    page = client.get(f"/actions/{world.action.id}").get_data(as_text=True)
    assert "Withdrawn" in page and "Added twice" in page


def test_owners_and_viewers_have_no_decisions_page(app, session, world):
    assert signed_in(app, world.owner).get("/decisions").status_code == 403
    assert signed_in(app, world.viewer).get("/decisions").status_code == 403
    assert "Your decisions" in signed_in(app, world.director).get("/dashboard").get_data(
        as_text=True
    )


def test_another_organisations_action_answers_404_on_every_new_route(app, session, world):
    from tests.support.factories import make_action, make_round
    from tracker.models import Organisation

    other = Organisation(name="Other Trust", ods_code="RXX")
    session.add(other)
    session.flush()
    foreign_round = make_round(session, "Theirs", organisation=other)
    theirs = make_action(session, foreign_round, 1, title="Their action")
    session.commit()
    client = signed_in(app, world.director)
    for url in (f"/actions/{theirs.id}/cancel", f"/decisions/actions/{theirs.id}",
                f"/actions/{theirs.id}/status"):  # fmt: skip
        page = f"/actions/{world.action.id}"
        assert post(client, url, page, {"move-move": "cancel", "note": "x"}).status_code == 404
    assert client.get(f"/actions/{theirs.id}/cancel").status_code == 404
