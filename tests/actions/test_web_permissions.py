"""Object-level access: another owner's things answer 404; directors act only where they lead."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.actions import csrf_token, post
from tests.support.factories import make_note_evidence
from tests.support.helpers import table_counts
from tracker.domain.evidence import storage as evidence_storage
from tracker.models import Evidence


def file_evidence(app, session, world):
    stored = evidence_storage.store(app.config["UPLOAD_DIR"], "a.txt", b"hello", 100)
    piece = Evidence(
        action=world.other_action, kind="file", title="a.txt", original_filename="a.txt",
        stored_name=stored.stored_name, sha256=stored.sha256, size_bytes=stored.size_bytes,
        content_type=stored.content_type, uploaded_by=world.other_owner,
    )  # fmt: skip
    session.add(piece)
    session.commit()
    return piece


def test_another_owners_objects_answer_404(app, session, world, sign_in):
    from datetime import date

    from tests.support.factories import make_milestone

    theirs = world.other_action
    milestone = make_milestone(session, theirs, date(2027, 1, 1))
    note = make_note_evidence(session, theirs, world.other_owner)
    session.commit()
    piece = file_evidence(app, session, world)
    client = sign_in(world.owner)
    token = csrf_token(client, f"/actions/{world.action.id}")
    before = table_counts(session)
    for url in (
        f"/actions/{theirs.id}",
        f"/actions/{theirs.id}/evidence/new",
        f"/actions/{theirs.id}/milestones/{milestone.id}/replan",
        f"/evidence/{piece.id}/download",
        f"/evidence/{note.id}/review",
        f"/actions/{world.action.id}/milestones/{milestone.id}/replan",  # not this action's
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Culture survey" not in response.get_data(as_text=True)
    for url, data in (
        (f"/actions/{theirs.id}/status", {"status": "completed", "version": "1"}),
        (f"/actions/{theirs.id}/progress", {"percent": "5", "note": "x"}),
        (f"/actions/{theirs.id}/milestones/{milestone.id}/done", {"done": "1"}),
        (f"/actions/{theirs.id}/evidence/note", {"note-note": "x"}),
        (f"/evidence/{note.id}/withdraw", {}),
    ):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 404, url
    assert table_counts(session) == before


def test_owners_may_not_plan_or_assign_their_own_actions(session, world, sign_in):
    client = sign_in(world.owner)
    page = f"/actions/{world.action.id}"
    before = table_counts(session)
    response = post(
        client,
        f"{page}/milestones",
        page,
        {"milestone-title": "x", "milestone-weight": "1", "milestone-due_on": "2027-01-01"},
    )
    assert response.status_code == 403
    response = post(
        client,
        f"{page}/assign",
        page,
        {"assign-owner": world.owner.id, "assign-priority": "high", "assign-version": "1"},
    )
    assert response.status_code == 403
    assert client.get("/domains").status_code == 403
    assert table_counts(session) == before


def test_director_acts_only_in_the_domains_they_lead(session, world, sign_in):
    client = sign_in(world.director)
    theirs = f"/actions/{world.other_action.id}"  # domain 2, led by another director
    assert client.get(theirs).status_code == 200  # directors read everything
    before = table_counts(session)
    response = post(
        client,
        f"{theirs}/assign",
        theirs,
        {"assign-owner": world.owner.id, "assign-priority": "low", "assign-version": "1"},
    )
    assert response.status_code == 403
    note = make_note_evidence(session, world.other_action, world.other_owner)
    session.commit()
    assert client.get(f"/evidence/{note.id}/review").status_code == 403
    component = world.other_action.question.component_id
    response = post(
        client,
        f"/domains/{component}/assign",
        f"/domains/{component}",
        {"action_ids": [world.other_action.id], "owner": world.owner.id},
    )
    assert response.status_code == 403
    assert table_counts(session) == before | {"evidence": before["evidence"] + 1}


def test_viewer_reads_but_cannot_change_or_download(app, session, world, sign_in):
    piece = file_evidence(app, session, world)
    client = sign_in(world.viewer)
    for url in ("/dashboard", "/domains", f"/actions/{world.action.id}", "/actions"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/evidence/{piece.id}/download").status_code == 404
    page = f"/actions/{world.action.id}"
    assert "Save status" not in client.get(page).get_data(as_text=True)
    response = post(client, f"{page}/status", page, {"status": "completed", "version": "1"})
    assert response.status_code == 403


def test_bulk_assign_and_leaver_reassignment_through_the_web(session, world, sign_in):
    client = sign_in(world.director)
    component = world.action.question.component_id
    domain_page = f"/domains/{component}"
    response = post(
        client, f"/domains/{component}/assign", domain_page,
        {"action_ids": [world.action.id, world.unassigned.id], "owner": world.other_owner.id},
    )  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    assert world.unassigned.owner_id == world.action.owner_id == world.other_owner.id
    before = table_counts(session)
    response = post(client, f"/domains/{component}/assign", domain_page, {"owner": world.owner.id})
    assert response.status_code == 400 and "Select at least one action" in response.get_data(
        as_text=True
    )
    response = post(
        client, f"/domains/{component}/assign", domain_page,
        {"action_ids": [world.other_action.id], "owner": world.owner.id},
    )  # fmt: skip
    assert response.status_code == 400 and "from this domain only" in response.get_data(
        as_text=True
    )
    assert table_counts(session) == before
    leaver_page = "/domains/reassign-leaver"
    response = post(
        client,
        leaver_page,
        leaver_page,
        {"leaver": world.other_owner.id, "new_owner": world.owner.id},
    )
    assert response.status_code == 302
    session.expire_all()
    assert world.action.owner_id == world.unassigned.owner_id == world.owner.id
    assert (
        world.other_action.owner_id == world.other_owner.id
    )  # not in a domain this director leads


def test_withdraw_pending_evidence(session, world, sign_in):
    client = sign_in(world.owner)
    page = f"/actions/{world.action.id}"
    response = post(
        client, f"{page}/evidence/note", f"{page}/evidence/new", {"note-note": "Minutes"}
    )
    assert response.status_code == 302
    piece = session.scalars(select(Evidence)).one()
    assert post(client, f"/evidence/{piece.id}/withdraw", page, {}).status_code == 302
    session.expire_all()
    assert piece.deleted_at is not None
    assert (
        "Minutes"
        not in client.get(page)
        .get_data(as_text=True)
        .split('id="evidence"')[1]
        .split('id="history"')[0]
    )


def test_no_owner_is_preselected_and_choosing_nobody_is_refused(session, world, sign_in):
    client = sign_in(world.director)
    page = f"/actions/{world.unassigned.id}"
    shown = client.get(page).get_data(as_text=True)
    owner_select = shown.split('id="assign-owner"')[1].split("</select>")[0]
    assert '<option value="0">Choose a person</option>' in owner_select
    assert "selected" not in owner_select  # the browser shows the first choice: nobody
    before = table_counts(session)
    response = post(
        client, f"{page}/assign", page,
        {"assign-owner": "0", "assign-priority": "low", "assign-version": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Choose an active person who can own actions" in response.get_data(as_text=True)
    leaver_page = "/domains/reassign-leaver"
    response = post(client, leaver_page, leaver_page, {"leaver": "0", "new_owner": world.owner.id})
    assert response.status_code == 400
    assert "Choose the person who is leaving" in response.get_data(as_text=True)
    assert table_counts(session) == before
