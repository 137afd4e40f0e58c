"""The journey through the browser's eyes: director assigns and plans, owner works, director
signs off, and the action's history shows it all."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.support import signing_in
from tests.support.actions import csrf_token, post
from tests.support.helpers import table_counts
from tracker.models import Action, Evidence, Milestone, MilestoneReplan, ProgressUpdate

PDF = b"%PDF-1.4\n%%EOF\n"


def test_director_assigns_owner_works_director_accepts(app, session, world, sign_in):
    action_id, page = world.unassigned.id, f"/actions/{world.unassigned.id}"
    client = sign_in(world.director)
    response = post(
        client, f"{page}/assign", page,
        {"assign-owner": world.owner.id, "assign-due_on": "2027-06-30", "assign-priority": "high", "assign-version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    response = post(
        client, f"{page}/milestones", page,
        {"milestone-title": "Engagement sessions held", "milestone-weight": "2", "milestone-due_on": "2027-02-01"},
    )  # fmt: skip
    assert response.status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client, page)})

    client = sign_in(world.owner)
    mine = client.get("/my-actions").get_data(as_text=True)
    assert "Share the plan" in mine and "Write the vision" in mine
    response = post(
        client, f"{page}/progress", page, {"percent": "30", "note": "Two sessions booked"}
    )
    assert response.status_code == 302
    milestone = session.scalars(select(Milestone).where(Milestone.action_id == action_id)).one()
    done = f"{page}/milestones/{milestone.id}/done"
    response = post(client, done, page, {"done": "1", "version": str(milestone.version)})
    assert response.status_code == 302
    session.refresh(milestone)
    response = post(client, done, page, {"done": "0", "version": str(milestone.version)})
    assert response.status_code == 302
    session.refresh(milestone)
    replan_page = f"{page}/milestones/{milestone.id}/replan"
    response = post(
        client, replan_page, replan_page,
        {"due_on": "2027-03-01", "reason": "Room unavailable", "version": str(milestone.version)},
    )  # fmt: skip
    assert response.status_code == 302
    new_page = f"{page}/evidence/new"
    response = post(
        client, f"{page}/evidence/file", new_page,
        {"file-file": (__import__("io").BytesIO(PDF), "Minutes.pdf"), "file-title": "Minutes",
         "file-milestone_id": str(milestone.id)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, page)})

    client = sign_in(world.director)
    evidence = session.scalars(select(Evidence)).one()
    assert client.get(f"/evidence/{evidence.id}/download").data == PDF
    review = f"/evidence/{evidence.id}/review"
    response = post(
        client, review, review,
        {"decision": "accepted", "note": "Thank you", "version": str(evidence.version)},
    )  # fmt: skip
    assert response.status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client, page)})

    client = sign_in(world.owner)
    shown = client.get(page).get_data(as_text=True)
    assert "Accepted" in shown and "Thank you" in shown
    assert "Room unavailable" in shown and "1 February 2027" in shown and "1 March 2027" in shown
    history = shown.split('id="history"')[1]
    for verb in (
        "Assigned", "Milestone added", "Progress recorded", "Milestone marked as done",
        "Milestone marked as not done", "Milestone re-planned", "Evidence added",
        "Evidence reviewed",
    ):  # fmt: skip
        assert f">{verb}<" in history, verb
    assigned = " ".join(history.split(">Assigned<")[1].split("</tr>")[0].split())
    assert "Owner changed from no one to Owen Owner" in assigned
    assert "Priority changed from Medium to High" in assigned
    action = session.get(Action, action_id)
    session.refresh(action)
    assert action.owner_id == world.owner.id and str(action.due_on) == "2027-06-30"
    assert session.scalars(select(ProgressUpdate)).one().percent == 30
    assert session.scalars(select(MilestoneReplan)).one().reason == "Room unavailable"


def test_second_save_from_a_stale_page_is_refused(session, world, sign_in):
    page = f"/actions/{world.action.id}"
    owner = sign_in(world.owner)
    token = csrf_token(owner, page)
    # The director saves first, from a page showing version 1...
    director_client = owner.application.test_client()
    signing_in.sign_in(director_client, world.director)
    response = post(
        director_client, f"{page}/status", page, {"move-move": "start", "move-version": "1"}
    )
    assert response.status_code == 302
    before = table_counts(session)
    # ...then the owner, whose page also showed version 1.
    response = owner.post(
        f"{page}/status",
        data={"csrf_token": token, "move-move": "propose_done", "move-version": "1"},
    )
    assert response.status_code == 409
    assert (
        "Someone else changed this action since you opened it. Your changes have not been saved. "
        "Reload the page to see their changes."
    ) in response.get_data(as_text=True)
    assert table_counts(session) == before
    session.expire_all()
    assert session.get(Action, world.action.id).status == "in_progress"


def test_bad_form_input_shows_a_message_and_saves_nothing(session, world, sign_in):
    page = f"/actions/{world.action.id}"
    client = sign_in(world.director)
    cases = [
        (f"{page}/progress", page, {"percent": "150", "note": "x"}, "between 0 and 100"),
        (f"{page}/progress", page, {"percent": "10", "note": ""}, "Enter a note"),
        (f"{page}/milestones", page, {"milestone-title": "", "milestone-weight": "1", "milestone-due_on": "2027-01-01"}, "Enter what"),
        (f"{page}/milestones", page, {"milestone-title": "x", "milestone-weight": "1", "milestone-due_on": "31/02/2027"}, "real date"),
        (f"{page}/assign", page, {"assign-owner": world.viewer.id, "assign-priority": "low", "assign-version": "1"}, "Choose a person from the list"),
        (f"{page}/milestones/{world.milestone.id}/replan", page, {"due_on": "2027-05-01", "reason": ""}, "Enter the reason"),
        (f"{page}/evidence/link", f"{page}/evidence/new", {"link-url": "javascript:alert(1)"}, "starting with https://"),
        (f"{page}/evidence/note", f"{page}/evidence/new", {"note-note": ""}, "Enter the note"),
    ]  # fmt: skip
    before = table_counts(session)
    for url, form_page, data, message in cases:
        response = post(client, url, form_page, data)
        assert response.status_code == 400, url
        text = response.get_data(as_text=True)
        assert "There is a problem" in text and message in text, (url, message)
    assert table_counts(session) == before


def test_post_without_csrf_token_is_refused(session, world, sign_in):
    client = sign_in(world.owner)
    before = table_counts(session)
    response = client.post(
        f"/actions/{world.action.id}/progress", data={"percent": "10", "note": "x"}
    )
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_dashboard_counts_link_to_filtered_lists(session, world, sign_in):
    client = sign_in(world.director)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "/actions?status=not_started" in page and "/actions?overdue=1" in page
    assert "1 May 2027" in page  # the next round
    listing = client.get("/actions?status=not_started").get_data(as_text=True)
    assert "3 actions found" in listing
    links = re.findall(r'href="/actions\?component=(\d+)"', page)
    assert len(links) == 5


def test_a_change_committed_between_load_and_save_is_caught_too(
    session, world, sign_in, monkeypatch
):
    """Even when the version check passes, a save racing another one is refused: the
    database's version check (StaleDataError) gives the same message and saves nothing."""
    from sqlalchemy import text

    from tracker.domain.actions import lifecycle as domain
    from tracker.extensions import db

    page = f"/actions/{world.action.id}"
    client = sign_in(world.owner)
    token = csrf_token(client, page)
    check = domain.check_version

    def racing_check(current, expected_version):
        check(current, expected_version)
        with db.engine.begin() as other:  # another worker commits first
            other.execute(
                text("UPDATE action SET version = version + 1, priority = 'high' WHERE id = :id"),
                {"id": world.action.id},
            )

    monkeypatch.setattr(domain, "check_version", racing_check)
    response = client.post(
        f"{page}/status", data={"csrf_token": token, "move-move": "start", "move-version": "1"}
    )
    assert response.status_code == 409
    assert "Someone else changed this action since you opened it" in response.get_data(as_text=True)
    session.expire_all()
    saved = session.get(Action, world.action.id)
    assert (saved.status, saved.priority, saved.version) == ("not_started", "high", 2)


def test_owner_withdraws_pending_evidence_but_not_reviewed_evidence(session, world, sign_in):
    page = f"/actions/{world.action.id}"
    client = sign_in(world.owner)
    for note in ("First minutes", "Second minutes"):
        response = post(
            client, f"{page}/evidence/note", f"{page}/evidence/new", {"note-note": note}
        )
        assert response.status_code == 302
    first, second = session.scalars(select(Evidence).order_by(Evidence.id)).all()
    response = post(client, f"/evidence/{first.id}/withdraw", page, {}, follow_redirects=True)
    assert response.status_code == 200
    assert "Evidence withdrawn." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Evidence, first.id).deleted_at is not None

    second.review_status = "accepted"
    session.commit()
    before = table_counts(session)
    response = post(client, f"/evidence/{second.id}/withdraw", page, {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{page}#evidence")
    shown = client.get(page).get_data(as_text=True)
    assert "Evidence that has been reviewed cannot be withdrawn" in shown
    session.expire_all()
    assert session.get(Evidence, second.id).deleted_at is None
    assert table_counts(session) == before
