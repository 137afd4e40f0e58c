"""Cookie flags: the session and remember-me cookies are Secure, HttpOnly and SameSite=Lax in
production; Secure is left off only in local development."""

from __future__ import annotations

from config import DevelopmentConfig
from tracker import create_app


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
