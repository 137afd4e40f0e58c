"""Security headers on every route (anonymous and as admin, over HTTP and HTTPS), on error
pages, and evidence downloads served as attachments."""

from __future__ import annotations

import pytest

from tests.security.headers import header_problems
from tests.support.proof import build_url, build_world, fetch, routes, signed_in_client


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_every_route_sends_the_security_headers(app, session, framework, https):
    world = build_world(session, app.config["UPLOAD_DIR"])
    base_url = "https://localhost" if https else "http://localhost"
    problems: list[str] = []
    checked = 0
    for who in (None, world.users["admin"]):
        client = signed_in_client(app, who)
        for rule in routes(app):
            path = build_url(app, rule, world.url_values())
            # GET on every route (a POST-only route answers 405, which must carry them too).
            response = fetch(client, "GET", path, base_url=base_url)
            problems += header_problems(f"GET {path}", response.headers, https=https)
            checked += 1
    assert checked >= 2 * len(list(routes(app)))
    assert not problems, "\n".join(problems)


def test_not_found_and_error_responses_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not header_problems("/no-such-page", response.headers, https=False)


def test_evidence_files_are_served_as_attachments(app, session, framework):
    world = build_world(session, app.config["UPLOAD_DIR"])
    client = signed_in_client(app, world.users["owner_own"])
    response = fetch(client, "GET", f"/evidence/{world.evidence.id}/download")
    assert response.status_code == 200
    assert response.data == world.evidence_bytes
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
