"""What users send cannot script a page, be stored with a NUL character or send someone off
the site after signing in."""

from __future__ import annotations

import pytest

from tests.support.proof import build_world, fetch, signed_in_client


def test_user_text_inside_the_nhsuk_macros_is_escaped(app):
    from flask import render_template_string

    template = (
        '{% from "nhsuk/components/textarea/macro.jinja" import textarea %}'
        '{{ textarea({"name": "n", "id": "n", "label": {"text": label}, "value": value}) }}'
    )
    with app.test_request_context():
        html = render_template_string(
            template, label="<i>Label</i>", value="</textarea><script>alert(1)</script>"
        )
    assert "<script>" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html
    assert "&lt;i&gt;Label" in html


def test_a_nul_character_in_input_is_refused_and_nothing_is_written(app, session, framework):
    from tests.support.helpers import table_counts

    world = build_world(session, app.config["UPLOAD_DIR"])
    client = signed_in_client(app, world.users["owner_own"])
    before = table_counts(session)
    session.rollback()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = fetch(
            client,
            "POST",
            f"/actions/{world.action.id}/progress",
            data={"percent": "40", "note": "Going well\x00 really"},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 400
    assert "contains a character that cannot be saved" in response.get_data(as_text=True)
    assert table_counts(session) == before
    assert fetch(client, "GET", "/actions?q=a%00b").status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:x",
    ],
)
def test_sign_in_never_redirects_off_site(app, session, framework, target):
    world = build_world(session, app.config["UPLOAD_DIR"])
    client = signed_in_client(app, None)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = fetch(
            client,
            "POST",
            "/sign-in",
            query_string={"next": target},
            data={"email": world.users["viewer"].email, "password": "a-long-test-passphrase"},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
