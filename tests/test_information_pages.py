"""About, accessibility, privacy and cookies: linked from every page's footer, open to everyone."""

from __future__ import annotations

import pytest

from tests.support.signing_in import sign_in

PAGES = {
    "/about": "About this service",
    "/accessibility": "Accessibility statement",
    "/privacy": "Privacy notice",
    "/cookies": "Cookies",
}


@pytest.mark.parametrize("path", PAGES)
def test_each_page_opens_signed_out_and_is_in_the_footer(client, path):
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"<h1>{PAGES[path]}</h1>" in html
    footer = html[html.index('class="nhsuk-footer') :]
    for linked in PAGES:
        assert f'href="{linked}"' in footer


def test_the_pages_say_what_matters(client):
    cookies = client.get("/cookies").get_data(as_text=True)
    assert "We do not use analytics" in cookies and "session" in cookies
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "How long we keep it" in privacy and "data controller" in privacy
    accessibility = client.get("/accessibility").get_data(as_text=True)
    assert "WCAG" in accessibility and "2.2" in accessibility
    assert "Enforcement procedure" in accessibility


def test_about_this_service_stays_put_for_signed_in_people(app, client, make_user):
    sign_in(client, make_user("owner"))
    about = client.get("/about")
    assert about.status_code == 200
    assert "About this service" in about.get_data(as_text=True)
    assert client.get("/").status_code == 302  # the home page still goes on to the dashboard
