"""Admins invite people, change roles, deactivate and reactivate; bad input writes nothing."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests.support.accounts import browser, post_form, text_of
from tests.support.factories import make_lead
from tests.support.helpers import NOW, table_counts
from tests.support.signing_in import sign_in
from tracker.domain.accounts import administration as user_admin
from tracker.domain.errors import DomainError
from tracker.models import AuditEvent, DomainLead


@pytest.fixture
def admin_browser(app, make_user):
    admin = make_user("admin", name="Alex Admin")
    client = browser(app)
    sign_in(client, admin)
    client.admin = admin
    return client


def events(session, verb):
    session.rollback()
    return session.scalars(select(AuditEvent).where(AuditEvent.verb == verb)).all()


def test_users_page_lists_people_with_role_and_status(admin_browser, make_user, session):
    make_user("viewer", name="Vera Viewer")
    make_user("owner", name="Olly Owner", password=None)
    make_user("director", name="Dee Gone", is_active=False)
    page = text_of(admin_browser.get("/admin/users"))
    for words in ("Vera Viewer", "Olly Owner", "Invited, no password yet", "Deactivated", "Active"):
        assert words in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"name": "", "email": "a@example.nhs.uk", "role": "owner"},
            "Enter the person's full name",
        ),
        ({"name": "A Person", "email": "", "role": "owner"}, "Enter the person's email address"),
        (
            {"name": "A Person", "email": "not-an-email", "role": "owner"},
            "Enter an email address in the correct format",
        ),
        (
            {"name": "A Person", "email": "a@example.nhs.uk", "role": "superuser"},
            "Choose one of the roles listed",
        ),
        ({"name": "A Person", "email": "TAKEN@example.nhs.uk", "role": "owner"}, "already exists"),
    ],
)
def test_bad_invitations_say_why_and_write_nothing(
    admin_browser, make_user, session, fields, message
):
    make_user("owner", email="taken@example.nhs.uk")
    before = table_counts(session)
    page = post_form(admin_browser, "/admin/users/invite", fields)
    assert page.status_code == 200
    assert str(escape(message)) in text_of(page) and "There is a problem" in text_of(page)
    session.rollback()
    assert table_counts(session) == before


def test_change_role_is_audited_with_before_and_after(admin_browser, make_user, session):
    person = make_user("viewer")
    done = post_form(
        admin_browser,
        f"/admin/users/{person.id}/role",
        {"role": "owner"},
        form_url=f"/admin/users/{person.id}",
    )
    assert done.status_code == 302
    (event,) = events(session, "role_changed")
    assert (event.before, event.after) == ({"role": "viewer"}, {"role": "owner"})
    assert event.actor_id == admin_browser.admin.id and person.role == "owner"


def test_demoting_a_director_ends_their_leads(admin_browser, make_user, session, framework):
    director = make_user("director")
    make_lead(session, director, 1)
    session.commit()
    post_form(
        admin_browser,
        f"/admin/users/{director.id}/role",
        {"role": "owner"},
        form_url=f"/admin/users/{director.id}",
    )
    session.rollback()
    assert session.scalars(select(DomainLead)).all() == []
    assert len(events(session, "removed")) == 1


def test_admin_cannot_demote_or_deactivate_themselves(admin_browser, session):
    me = admin_browser.admin
    before = table_counts(session)
    page = post_form(
        admin_browser, f"/admin/users/{me.id}/role", {"role": "viewer"}, form_url="/admin/users"
    )
    assert page.status_code == 400 and "cannot change your own role" in text_of(page)
    page = post_form(admin_browser, f"/admin/users/{me.id}/deactivate", {}, form_url="/admin/users")
    assert page.status_code == 400 and "cannot deactivate your own account" in text_of(page)
    session.rollback()
    assert table_counts(session) == before and me.role == "admin" and me.is_active


def test_same_role_or_unknown_role_is_refused(admin_browser, make_user, session):
    person = make_user("viewer")
    before = table_counts(session)
    for role, message in (
        ("viewer", "already a viewer"),
        ("boss", "Choose one of the roles listed"),
    ):
        page = post_form(
            admin_browser,
            f"/admin/users/{person.id}/role",
            {"role": role},
            form_url=f"/admin/users/{person.id}",
        )
        assert page.status_code == 400 and message in text_of(page)
    session.rollback()
    assert table_counts(session) == before


def test_deactivate_and_reactivate(admin_browser, make_user, session):
    person = make_user("owner")
    url = f"/admin/users/{person.id}"
    assert post_form(admin_browser, f"{url}/deactivate", {}, form_url=url).status_code == 302
    session.rollback()
    assert not person.is_active and person.session_version == 2
    page = post_form(admin_browser, f"{url}/deactivate", {}, form_url=url)
    assert page.status_code == 400 and "already deactivated" in text_of(page)
    assert post_form(admin_browser, f"{url}/reactivate", {}, form_url=url).status_code == 302
    session.rollback()
    assert person.is_active
    (off,) = events(session, "deactivated")
    assert (off.before, off.after) == ({"is_active": True}, {"is_active": False})
    assert len(events(session, "reactivated")) == 1


def test_resend_invitation_only_for_people_without_a_password(admin_browser, make_user, session):
    waiting, active = make_user("owner", password=None), make_user("owner")
    url = f"/admin/users/{waiting.id}"
    assert "Send the invitation again" in text_of(admin_browser.get(url))
    assert post_form(admin_browser, f"{url}/resend-invitation", {}, form_url=url).status_code == 302
    assert len(events(session, "invitation_sent")) == 1
    before = table_counts(session)
    url = f"/admin/users/{active.id}"
    page = post_form(admin_browser, f"{url}/resend-invitation", {}, form_url=url)
    assert page.status_code == 400 and "already set a password" in text_of(page)
    session.rollback()
    assert table_counts(session) == before


def test_unknown_user_is_404(admin_browser):
    assert admin_browser.get("/admin/users/999").status_code == 404


def test_domain_refuses_non_directors_as_leads(session, make_user, framework):
    from tests.support.factories import component

    admin, owner = make_user("admin"), make_user("owner")
    with pytest.raises(DomainError, match="Only active users with the director role"):
        user_admin.assign_lead(session, admin, user=owner, component=component(session, 1), now=NOW)
