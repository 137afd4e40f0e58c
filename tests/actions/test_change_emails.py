"""The emails one change sends: an action assigned (to its new owner, and to the previous
owner), a bulk assignment (one email per person), evidence not accepted (with the reviewer's
note). Each is queued once per event, to the right people, with links that open the action,
and not at all for someone who turned it off or who made the change themselves."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.support import signing_in
from tests.support.actions import post
from tests.support.factories import make_action, make_note_evidence
from tests.support.helpers import NOW, table_counts
from tracker.domain.actions.updates import assign, reassign_leaver
from tracker.domain.errors import DomainError
from tracker.domain.notices import Notifier
from tracker.mailing.rendering import EMAIL_TEMPLATES, EmailRenderer
from tracker.models import AuditEvent, Notification


def emails(session, kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(session.scalars(query))


def opens(app, client, link: str, expected: str) -> None:
    """The link is absolute (the site's address) and opens a page showing `expected`."""
    assert link.startswith(app.config["BASE_URL"].rstrip("/") + "/")
    response = client.get(urlsplit(link).path)
    assert response.status_code == 200, link
    assert expected in response.get_data(as_text=True)


def as_(app, user):
    """A new browser signed in as `user`, to follow a link from their email."""
    client = app.test_client()
    signing_in.sign_in(client, user)
    return client


def notifier(app) -> Notifier:
    return Notifier(base_url=app.config["BASE_URL"], render=EmailRenderer(EMAIL_TEMPLATES))


def test_reassigning_on_the_action_page_tells_both_owners_once(app, session, world, sign_in):
    page = f"/actions/{world.action.id}"
    client = sign_in(world.director)
    data = {"assign-owner": world.other_owner.id, "assign-priority": "high", "assign-version": "1"}
    assert post(client, f"{page}/assign", page, data).status_code == 302
    [given] = emails(session, "assignment")
    [taken] = emails(session, "assignment_removed")
    assert given.to_address == world.other_owner.email
    assert given.subject == "Action assigned to you: Write the vision"
    assert "Dana Director has given you this improvement action to own" in given.body_text
    assert taken.to_address == world.owner.email
    assert "Write the vision: now owned by Priya Peer" in taken.body_text
    assert given.link == f"{app.config['BASE_URL']}{page}" and given.link in given.body_text
    assert f'href="{given.link}"' in given.body_html
    # saving the same assignment again is no new event: nothing more is queued
    data["assign-version"] = str(session.get(type(world.action), world.action.id).version)
    assert post(client, f"{page}/assign", page, data).status_code == 302
    assert len(emails(session)) == 2
    opens(app, as_(app, world.other_owner), given.link, "Write the vision")


def test_a_bulk_assignment_is_one_email_per_person(app, session, world, sign_in):
    extra = [
        make_action(session, world.round, number, title=f"Extra work {number}") for number in (3, 4)
    ]
    session.commit()
    chosen = [world.action.id, world.unassigned.id, *(a.id for a in extra)]
    component = world.action.question.component_id
    client = sign_in(world.director)
    response = post(
        client, f"/domains/{component}/assign", f"/domains/{component}",
        {"action_ids": chosen, "owner": world.other_owner.id},
    )  # fmt: skip
    assert response.status_code == 302
    [given] = emails(session, "assignment")
    assert given.to_address == world.other_owner.email
    assert given.subject == "4 actions assigned to you"
    for title in ("Write the vision", "Share the plan", "Extra work 3", "Extra work 4"):
        assert given.body_text.count(title) == 1
    assert given.link == f"{app.config['BASE_URL']}/my-actions"
    [taken] = emails(session, "assignment_removed")  # only the vision had an owner before
    assert taken.to_address == world.owner.email
    assert "Share the plan" not in taken.body_text
    client = as_(app, world.other_owner)
    opens(app, client, given.link, "Extra work 4")
    opens(app, client, f"{app.config['BASE_URL']}/actions/{extra[0].id}", "Extra work 3")


def test_nobody_is_emailed_who_turned_it_off_or_made_the_change(app, session, world, sign_in):
    client = sign_in(world.other_owner)
    response = post(
        client, "/account/preferences", "/account/preferences",
        {"digest_frequency": "monthly", "email_on_evidence_rejected": "y",
         "email_action_closed": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    session.refresh(world.other_owner)
    assert world.other_owner.email_on_assignment is False
    assert world.other_owner.email_on_evidence_rejected is True
    event = session.scalars(select(AuditEvent).where(AuditEvent.verb == "email_preferences")).one()
    assert (event.before, event.after) == (
        {"email_on_assignment": True},
        {"email_on_assignment": False},
    )
    notify = notifier(app)
    assign(
        session, world.director, world.action, owner=world.other_owner, due_on=None,
        priority="medium", now=NOW, notify=notify,
    )  # fmt: skip
    # the previous owner still hears; the new one asked not to
    assert [(n.kind, n.to_address) for n in emails(session)] == [
        ("assignment_removed", world.owner.email)
    ]
    # only people who can own actions can be given one: nothing is queued for a refusal
    with pytest.raises(DomainError, match="can own actions"):
        assign(
            session, world.director, world.unassigned, owner=world.director, due_on=None,
            priority="medium", now=NOW, notify=notify,
        )  # fmt: skip
    assert len(emails(session)) == 1


def test_a_leaver_s_actions_reach_their_new_owner_in_one_email(app, session, world):
    world.owner.is_active = False
    moved = reassign_leaver(
        session, world.admin, leaver=world.owner, new_owner=world.other_owner,
        component_ids=None, now=NOW, notify=notifier(app),
    )  # fmt: skip
    assert moved == 1
    # the leaver is deactivated, so only the new owner is emailed
    assert [(n.kind, n.to_address) for n in emails(session)] == [
        ("assignment", world.other_owner.email)
    ]


def review_page(evidence) -> str:
    return f"/evidence/{evidence.id}/review"


def test_rejected_evidence_emails_its_owner_with_the_note_once(app, session, world, sign_in):
    evidence = make_note_evidence(session, world.action, world.owner, title="Huddle notes")
    session.commit()
    client = sign_in(world.director)
    page = review_page(evidence)
    data = {"decision": "rejected", "note": "Please add the dates", "version": "1"}
    assert post(client, page, page, data).status_code == 302
    [email] = emails(session)
    assert (email.kind, email.to_address) == ("evidence_rejected", world.owner.email)
    assert email.subject == "Evidence not accepted: Write the vision"
    assert "Please add the dates" in email.body_text and "Please add the dates" in email.body_html
    assert "Dana Director has reviewed the evidence you added" in email.body_text
    assert "Huddle notes" in email.body_text
    assert email.link == f"{app.config['BASE_URL']}/actions/{world.action.id}#evidence"
    # accepting it later sends nothing
    data = {"decision": "accepted", "note": "", "version": "2"}
    assert post(client, page, page, data).status_code == 302
    assert len(emails(session)) == 1
    opens(app, as_(app, world.owner), email.link, "Huddle notes")


def test_a_rejection_reaches_whoever_added_it_and_the_owner(app, session, world, sign_in):
    evidence = make_note_evidence(session, world.action, world.other_owner, title="Survey")
    world.owner.email_on_evidence_rejected = False
    session.commit()
    client = sign_in(world.director)
    page = review_page(evidence)
    data = {"decision": "rejected", "note": "Wrong survey", "version": "1"}
    assert post(client, page, page, data).status_code == 302
    # the owner turned these off; the person who added it still hears
    [email] = emails(session)
    assert email.to_address == world.other_owner.email
    assert "has reviewed the evidence you added" in email.body_text
    # with it back on, a second decision is a new event: both hear of it, once each
    world.owner.email_on_evidence_rejected = True
    session.commit()
    data = {"decision": "rejected", "note": "Still the wrong survey", "version": "2"}
    assert post(client, page, page, data).status_code == 302
    later = {n.to_address: n for n in emails(session)[1:]}
    assert set(later) == {world.owner.email, world.other_owner.email}
    assert "has reviewed evidence for" in later[world.owner.email].body_text
    assert "Still the wrong survey" in later[world.owner.email].body_text


def test_a_rejection_without_a_note_is_refused_and_sends_nothing(app, session, world, sign_in):
    evidence = make_note_evidence(session, world.action, world.owner, title="Huddle notes")
    session.commit()
    client = sign_in(world.director)
    page = review_page(evidence)
    before = table_counts(session)
    response = post(client, page, page, {"decision": "rejected", "note": " ", "version": "1"})
    assert response.status_code == 400
    assert "Enter a note telling the owner why" in response.get_data(as_text=True)
    assert table_counts(session) == before
