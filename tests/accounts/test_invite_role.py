"""The invite form: no role is chosen for the admin; sending it without one says so."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import table_counts
from tests.support.signing_in import sign_in
from tracker.models import User


def test_no_role_is_preselected(app, make_user):
    admin_browser = browser(app)
    sign_in(admin_browser, make_user("admin"))
    html = text_of(admin_browser.get("/admin/users/invite"))
    select_html = re.search(r'<select[^>]*name="role".*?</select>', html, re.S).group(0)
    assert "selected" not in select_html
    assert '<option value="">Choose a role</option>' in select_html


def test_inviting_without_a_role_is_refused_and_writes_nothing(app, session, make_user):
    admin_browser = browser(app)
    sign_in(admin_browser, make_user("admin"))
    before = table_counts(session)
    page = post_form(
        admin_browser,
        "/admin/users/invite",
        {"name": "Ada Lovelace", "email": "ada@example.nhs.uk", "role": ""},
    )
    assert page.status_code == 200
    assert "Choose a role for the person you are inviting" in text_of(page)
    session.rollback()
    assert table_counts(session) == before
    assert session.scalars(select(User).where(User.email == "ada@example.nhs.uk")).first() is None
