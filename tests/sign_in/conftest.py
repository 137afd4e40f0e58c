"""The app with single sign-on pointed at the suite's real OpenID provider."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request_started

from tests.conftest import forget_previous_request
from tests.support.helpers import ServerLikeClient
from tests.support.oidc_provider import APP_BASE_URL, CLIENT_ID, CLIENT_SECRET, Provider
from tracker import create_app


def sso_app(tmp_path_factory: pytest.TempPathFactory, database_url: str, **settings: Any) -> Flask:
    """An app on the worker's database with these settings (OIDC_*, BASE_URL, ...)."""
    from config import TestingConfig

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.UPLOAD_DIR = str(tmp_path_factory.mktemp("uploads"))
    for key, value in settings.items():
        setattr(config, key, value)
    application = create_app(config)
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    application.config["OUTBOX_DIR"] = str(Path(application.instance_path) / "outbox")
    request_started.connect(forget_previous_request, application)
    application.test_client_class = ServerLikeClient
    return application


def provider_settings(provider: Provider, **overrides: Any) -> dict[str, Any]:
    return {
        "OIDC_DISCOVERY_URL": provider.discovery_url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "BASE_URL": APP_BASE_URL,
        "OIDC_TIMEOUT_SECONDS": 5,
        **overrides,
    }


@pytest.fixture(scope="session")
def app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, oidc_provider: Provider
) -> Iterator[Flask]:
    """Overrides the suite's `app`: the same database, migrated, with single sign-on on."""
    from flask_migrate import upgrade

    application = sso_app(tmp_path_factory, database_url, **provider_settings(oidc_provider))
    with application.app_context():
        upgrade()
    yield application
