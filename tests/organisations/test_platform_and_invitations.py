"""A platform admin adds systems and organisations with their first admin; an organisation's
admin invites people into their own organisation only (never the first one in the database)."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.helpers import table_counts
from tests.support.proof import cached_password_hash, fetch, signed_in_client
from tracker.domain.boundary import unscoped
from tracker.models import Notification, Organisation, User


def platform_admin(session) -> User:
    person = User(
        organisation=None,
        email="pat@nhs.net",
        name="Pat Platform",
        role="platform_admin",
        password_hash=cached_password_hash(),
    )
    session.add(person)
    session.commit()
    return person


def test_an_invitation_creates_the_user_in_the_inviting_admins_organisation(
    app, session, trusts, csrf_off
):
    first, second = trusts
    admin = signed_in_client(app, second.people["admin"])
    response = fetch(
        admin,
        "POST",
        "/admin/users/invite",
        data={"name": "Mallory Example", "email": "mallory@nhs.net", "role": "admin"},
    )
    assert response.status_code == 302
    mallory = session.scalar(select(User).where(User.email == "mallory@nhs.net"))
    assert mallory.organisation_id == second.organisation_id
    page = fetch(admin, "GET", "/admin/users").get_data(as_text=True)
    assert "Mallory Example" in page and first.people["admin"].email not in page


def test_a_platform_admin_adds_a_system_and_an_organisation_with_its_first_admin(
    app, session, framework, csrf_off
):
    client = signed_in_client(app, platform_admin(session))
    assert fetch(client, "GET", "/").headers["Location"].endswith("/platform/organisations")
    response = fetch(client, "POST", "/platform/systems/new", data={"code": "qt1",
                     "name": "Nottingham and Nottinghamshire ICS"})  # fmt: skip
    assert response.status_code == 302
    response = fetch(
        client,
        "POST",
        "/platform/organisations/new",
        data={
            "code": "RX1",
            "name": "Nottingham University Hospitals",
            "system": "QT1",
            "admin_name": "Ada Admin",
            "email": "ada.admin@nhs.net",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with unscoped(session):
        ada = session.scalar(select(User).where(User.email == "ada.admin@nhs.net"))
        assert ada.role == "admin" and ada.organisation.ods_code == "RX1"
        assert ada.organisation.system.code == "QT1"
        assert session.scalar(select(Notification.kind)) == "invitation"
    page = fetch(client, "GET", "/platform/organisations").get_data(as_text=True)
    assert (
        "Nottingham University Hospitals" in page and "Nottingham and Nottinghamshire ICS" in page
    )


def test_a_duplicate_code_is_refused_on_the_page_and_nothing_is_written(
    app, session, trusts, csrf_off
):
    client = signed_in_client(app, platform_admin(session))
    before = table_counts(session)
    response = fetch(
        client,
        "POST",
        "/platform/organisations/new",
        data={"code": "rx1", "name": "A new trust", "system": "", "admin_name": "Ann New",
              "email": "ann.new@nhs.net"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "An organisation with the code RX1 already exists" in response.get_data(as_text=True)
    session.expire_all()
    assert table_counts(session) == before


def test_a_platform_admin_sees_no_organisations_people_or_work(app, session, trusts):
    first, _ = trusts
    client = signed_in_client(app, platform_admin(session))
    for url in (
        "/dashboard",
        "/admin/users",
        "/readiness",
        "/system",
        f"/actions/{first.action_id}",
    ):
        assert fetch(client, "GET", url).status_code in (403, 404), url
    page = fetch(client, "GET", "/platform/organisations").get_data(as_text=True)
    assert first.people["admin"].email not in page
    assert session.scalar(select(Organisation.id).where(Organisation.ods_code == "RX1"))
