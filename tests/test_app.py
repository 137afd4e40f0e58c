"""The app factory, configuration, home page, health check and assets."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from config import Config, DevelopmentConfig, TestingConfig
from tests.support.helpers import SAMPLE, SHARED_SAMPLE
from tracker import create_app
from tracker.extensions import db


def test_home_page_says_what_the_service_is(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Turn your NHS IMPACT self-assessment into improvement work" in page
    assert 'href="/assets/nhsuk-frontend.min.css"' in page


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/missing-dir/nope.db"
    app = create_app(config)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_nhsuk_assets_are_served_under_assets(client):
    css = client.get("/assets/nhsuk-frontend.min.css")
    assert css.status_code == 200
    assert b".nhsuk-header" in css.data
    assert client.get("/assets/images/favicon.svg").status_code == 200
    assert client.get("/assets/app.js").status_code == 200
    assert client.get("/assets/../config.py").status_code == 404


def test_missing_assets_explain_how_to_install_them(app: Flask, tmp_path):
    original = app.config["ASSETS_DIR"]
    app.config["ASSETS_DIR"] = tmp_path
    try:
        page = app.test_client().get("/").get_data(as_text=True)
    finally:
        app.config["ASSETS_DIR"] = original
    assert "The page styles are not installed" in page
    assert "make setup" in page


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(Config())


def test_production_starts_with_secret_key_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app(Config())
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(DevelopmentConfig())
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///")
    assert Path(uri.removeprefix("sqlite:///")).parent == Path(app.instance_path)


def test_sqlite_connections_enforce_foreign_keys_wal_and_busy_timeout(app: Flask):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection settings")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_the_test_sample_is_the_shared_sample_byte_for_byte():
    if not SHARED_SAMPLE.exists():
        pytest.skip("shared/ is not beside this clone")
    assert SAMPLE.read_bytes() == SHARED_SAMPLE.read_bytes()


def test_unknown_environment_name_is_refused(monkeypatch):
    from config import config_from_environment

    monkeypatch.setenv("TRACKER_ENV", "staging")
    with pytest.raises(RuntimeError, match="TRACKER_ENV='staging'"):
        config_from_environment()
