"""Every admin route is refused to directors, owners and viewers, and sends anonymous users to
sign in. The routes are read from the URL map, so a new admin route is covered automatically."""

from __future__ import annotations

import pytest

from tests.support.accounts import browser, csrf_token
from tests.support.helpers import table_counts
from tests.support.signing_in import sign_in


def admin_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            url = rule.rule
            for argument in rule.arguments:
                url = url.replace(f"<int:{argument}>", "1")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, url


def test_the_admin_routes_are_the_expected_ones(app):
    urls = {url for _, url in admin_routes(app)}
    assert {
        "/admin",
        "/admin/users",
        "/admin/users/invite",
        "/admin/leads",
        "/admin/framework",
        "/admin/rounds",
        "/admin/audit",
    } <= urls
    assert len(list(admin_routes(app))) >= 15


@pytest.mark.parametrize("role", ["director", "owner", "viewer"])
def test_admin_routes_are_refused_to_other_roles(app, session, make_user, role):
    user = make_user(role)
    make_user("admin")
    client = browser(app)
    sign_in(client, user)
    token = csrf_token(client, "/account/password")
    before = table_counts(session)
    for method, url in admin_routes(app):
        response = client.open(url, method=method, data={"csrf_token": token, "role": "admin"})
        assert response.status_code == 403, (role, method, url, response.status_code)
    session.rollback()
    assert table_counts(session) == before


def test_admin_routes_send_anonymous_users_to_sign_in(app, session, make_user):
    make_user("admin")
    client = browser(app)
    token = csrf_token(client, "/sign-in")
    before = table_counts(session)
    for method, url in admin_routes(app):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url)
        assert response.location.startswith("/sign-in?next="), (method, url)
    assert table_counts(session) == before


def test_admin_index_links_to_every_admin_page(app, make_user):
    client = browser(app)
    sign_in(client, make_user("admin"))
    page = client.get("/admin").get_data(as_text=True)
    for url in (
        "/admin/users",
        "/admin/leads",
        "/admin/rounds",
        "/admin/framework",
        "/admin/audit",
    ):
        assert f'href="{url}"' in page
    assert 'href="/admin"' in client.get("/admin/users").get_data(as_text=True)


def test_posts_without_a_csrf_token_are_refused(app, session, make_user):
    admin, other = make_user("admin"), make_user("owner")
    client = browser(app)
    sign_in(client, admin)
    before = table_counts(session)
    response = client.post(f"/admin/users/{other.id}/deactivate")
    assert response.status_code == 400
    session.rollback()
    assert table_counts(session) == before and other.is_active
