"""Every HTML page of the app, opened in Chromium and scanned by axe, as admin and as owner
(the sample world gives every URL argument a real object)."""

from __future__ import annotations

import pytest

from tests.e2e.journey import Journey
from tests.support.proof import build_url, build_world, methods_of, routes

pytestmark = pytest.mark.e2e
NOT_PAGES = {"home.assets", "home.healthz"}


@pytest.mark.parametrize("role", ["admin", "owner_own"])
def test_every_page_passes_axe(journey: Journey, app, session, framework, role) -> None:
    world = build_world(session, app.config["UPLOAD_DIR"])
    journey.sign_in(world.users[role].email)
    scanned = []
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
        response = journey.goto(path)
        assert response is not None
        assert response.status < 500, f"{path}: {response.status}"
        scanned.append(path)
    assert len(scanned) >= 10, scanned
