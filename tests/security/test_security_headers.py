"""Hardening on every route: security headers, cookie flags and generic error pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from config import Config, DevelopmentConfig
from tests.support.proof import build_url, build_world, fetch, routes, signed_in_client
from tracker import create_app

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": None,  # any value, as long as it is set
}


def header_problems(path: str, headers: object, *, https: bool) -> list[str]:
    """Everything wrong with one response's security headers, in words."""
    problems = []
    csp = headers.get("Content-Security-Policy", "")  # type: ignore[attr-defined]
    directives = {
        part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()
    }
    if not csp:
        problems.append(f"{path}: no Content-Security-Policy")
    else:
        script = directives.get("script-src", directives.get("default-src", ""))
        if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
            problems.append(f"{path}: CSP allows inline or eval'd script ({script!r})")
        if directives.get("frame-ancestors") != "frame-ancestors 'none'":
            problems.append(f"{path}: CSP lacks frame-ancestors 'none'")
    for name, value in REQUIRED_HEADERS.items():
        got = headers.get(name)  # type: ignore[attr-defined]
        if not got or (value is not None and got != value):
            problems.append(f"{path}: {name} is {got!r}")
    hsts = headers.get("Strict-Transport-Security")  # type: ignore[attr-defined]
    if https and not (hsts and "max-age=" in hsts):
        problems.append(f"{path}: no Strict-Transport-Security over HTTPS")
    if not https and hsts:
        problems.append(f"{path}: Strict-Transport-Security sent over plain HTTP")
    return problems


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


@pytest.fixture
def production_app(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[Flask]:
    """The production configuration (with a SECRET_KEY) on the test database, plus a
    test-only route that fails, registered on this instance alone."""
    monkeypatch.setenv("SECRET_KEY", "p" * 64)
    config = Config()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.UPLOAD_DIR = str(tmp_path / "uploads")
    application = create_app(config)

    @application.get("/__test-only/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail 0xDEADBEEF")

    yield application


def test_session_cookie_is_secure_httponly_and_lax_in_production(production_app):
    client = production_app.test_client()
    response = client.get("/sign-in", base_url="https://localhost")
    cookie = next(
        value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "secure" in flags
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_remember_cookie_is_secure_httponly_and_lax_in_production(production_app):
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
    assert production_app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert production_app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_is_not_secure_only_in_local_development(database_url, tmp_path):
    config = DevelopmentConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.UPLOAD_DIR = str(tmp_path / "uploads")
    client = create_app(config).test_client()
    cookie = next(
        value
        for value in client.get("/sign-in").headers.getlist("Set-Cookie")
        if value.startswith("session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "secure" not in flags
    assert {"httponly", "samesite=lax"} <= flags


def test_an_unexpected_error_shows_a_generic_page_without_a_traceback(production_app):
    response = production_app.test_client().get("/__test-only/boom", base_url="https://localhost")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    for leak in ("Traceback", "RuntimeError", "0xDEADBEEF", "secret internal detail", 'File "'):
        assert leak not in page
    assert not header_problems("/__test-only/boom", response.headers, https=True)


def test_not_found_page_is_generic_in_production(production_app):
    response = production_app.test_client().get("/nothing/here", base_url="https://localhost")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


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


def test_evidence_files_are_served_as_attachments(app, session, framework):
    world = build_world(session, app.config["UPLOAD_DIR"])
    client = signed_in_client(app, world.users["owner_own"])
    response = fetch(client, "GET", f"/evidence/{world.evidence.id}/download")
    assert response.status_code == 200
    assert response.data == world.evidence_bytes
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


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
