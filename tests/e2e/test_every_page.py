"""Every HTML page of the app, opened in Chromium and scanned by axe, as admin and as owner
(the sample world gives every URL argument a real object), and at phone width for every role.
A full-page screenshot of each is saved under test-artifacts/screenshots/{desktop,phone}/<role>/
to look at."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.journey import Journey
from tests.support.proof import build_url, build_world, methods_of, routes

pytestmark = pytest.mark.e2e
NOT_PAGES = {"home.assets", "home.healthz"}


def html_pages(app, world):
    """(endpoint, path) of every GET page the sample world can fill in (files left out)."""
    for rule in routes(app):
        if (
            "GET" not in methods_of(rule)
            or rule.endpoint in NOT_PAGES
            or rule.arguments - set(world.url_values())
        ):
            continue
        path = build_url(app, rule, world.url_values())
        if path.endswith((".pdf", ".csv", ".xlsx")) or "/download" in path:
            continue  # files, not pages
        yield rule.endpoint, path


@pytest.mark.parametrize("role", ["admin", "owner_own"])
def test_every_page_passes_axe(journey: Journey, app, session, framework, role) -> None:
    world = build_world(session, app.config["UPLOAD_DIR"])
    journey.sign_in(world.users[role].email)
    folder = ARTIFACTS / "desktop" / role
    folder.mkdir(parents=True, exist_ok=True)
    scanned = []
    for endpoint, path in html_pages(app, world):
        response = journey.goto(path)
        assert response is not None
        assert response.status < 500, f"{path}: {response.status}"
        if response.status < 400:
            journey.page.screenshot(path=str(folder / f"{endpoint}.png"), full_page=True)
        scanned.append(path)
    assert len(scanned) >= 10, scanned


PHONE = {"width": 390, "height": 844}
# How far the page is wider than the window (0 when nothing scrolls sideways).
SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("role", ["admin", "director_leading", "owner_own", "viewer"])
def test_no_page_scrolls_sideways_on_a_phone(journey: Journey, app, session, framework, role):
    """Every page at 390 x 844 (a common phone) fits the width of the screen; a screenshot of
    each is saved under test-artifacts/screenshots/phone/<role>/ to look at."""
    world = build_world(session, app.config["UPLOAD_DIR"])
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.sign_in(world.users[role].email)
    folder = ARTIFACTS / "phone" / role
    folder.mkdir(parents=True, exist_ok=True)
    too_wide, seen = {}, 0
    for endpoint, path in html_pages(app, world):
        response = page.goto(path)
        assert response is not None
        if response.status >= 400:
            continue  # pages this role may not open
        seen += 1
        page.screenshot(path=str(folder / f"{endpoint}.png"), full_page=True)
        overflow = page.evaluate(SIDEWAYS_SCROLL)
        if overflow > 0:
            too_wide[path] = overflow
    assert seen >= 5
    assert not too_wide, f"Pages wider than a 390 px phone (extra px): {too_wide}"
