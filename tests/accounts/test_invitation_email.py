"""The invitation names who sent it, the organisation and the role, and its link opens the page
where the person sets their password."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from tests.support.accounts import browser, post_form
from tests.support.signing_in import sign_in
from tracker.models import Notification, User


def test_the_invitation_names_the_inviter_the_organisation_and_the_role(app, session, make_user):
    admin = make_user("admin", name="Alex Admin")
    client = browser(app)
    sign_in(client, admin)
    fields = {"name": "Nia Newcomer", "email": "nia@example.nhs.uk", "role": "director"}
    assert post_form(client, "/admin/users/invite", fields).status_code == 302
    session.rollback()
    [email] = session.scalars(select(Notification).where(Notification.kind == "invitation"))
    organisation = admin.organisation.name
    assert email.subject == (
        f"Alex Admin has invited you to the IMPACT action tracker for {organisation}"
    )
    for body in (email.body_text, email.body_html):
        assert f"Alex Admin has invited you to join {organisation}" in body
        assert "Director" in body
        assert "ask Alex Admin to send a new invitation" in body
    # the sign-in token is never listed on the person's notifications page
    assert email.link is None
    link = next(word for word in email.body_text.split() if "/invitation/" in word)
    assert link.startswith(app.config["BASE_URL"])
    page = browser(app).get(urlsplit(link).path)
    assert page.status_code == 200
    invited = session.scalars(select(User).where(User.email == "nia@example.nhs.uk")).one()
    assert invited.role == "director"
