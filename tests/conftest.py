"""Shared fixtures: one migrated database per test worker, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set (the README
test command does both). Each pytest-xdist worker gets its own database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy.orm import Session

from tests.support import signing_in
from tests.support.databases import create_database, empty_all_tables
from tests.support.helpers import NOW, PASSWORD, ServerLikeClient
from tests.support.oidc_provider import oidc_provider  # noqa: F401  (a fixture)
from tracker import create_app
from tracker.domain.accounts.registration import create_user
from tracker.domain.framework.loader import (
    DEFAULT_FRAMEWORK_FILE,
    load_framework,
    read_framework_file,
)
from tracker.extensions import db
from tracker.models import Framework, User

# Property tests check results, never speed: no per-example deadline (a loaded CI machine would
# otherwise fail them at random); timings belong to python -m tracker.bench.
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")

os.environ.setdefault("TRACKER_ENV", "testing")


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database for this worker: a SQLite file, or a PostgreSQL database."""
    url, cleanup = create_database(f"tracker_test_{worker_id()}", tmp_path_factory.mktemp("db"))
    yield url
    cleanup()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on the worker's database, migrated with Alembic exactly as in production."""
    from flask_migrate import upgrade

    from config import TestingConfig

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.UPLOAD_DIR = str(tmp_path_factory.mktemp("uploads"))
    application = create_app(config)
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    application.config["OUTBOX_DIR"] = str(Path(application.instance_path) / "outbox")
    with application.app_context():
        upgrade()
    request_started.connect(forget_previous_request, application)
    application.test_client_class = ServerLikeClient
    yield application


def forget_previous_request(sender: Flask, **extra: Any) -> None:
    """Tests keep one app context open, which Flask reuses for every test-client request, so
    `g` (the signed-in user, the actor, the CSRF token) would leak from one request or client
    to the next. Start each request with an empty `g`, as it is in production."""
    g.__dict__.clear()


@pytest.fixture(autouse=True)
def app_context(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses the app runs inside its context and leaves the database empty."""
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    outbox = request.getfixturevalue("tmp_path") / "outbox"
    with application.app_context():
        application.config["OUTBOX_DIR"] = str(outbox)  # each test sees only its own mail
        yield
        db.session.rollback()
        db.session.remove()
        empty_all_tables(db.engine, db.metadata)


@pytest.fixture
def session(app: Flask) -> Session:
    return db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def framework(session: Session) -> Framework:
    """The shipped NHS IMPACT framework, loaded."""
    load_framework(session, read_framework_file(DEFAULT_FRAMEWORK_FILE))
    session.commit()
    return session.query(Framework).one()


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: str = "owner",
        *,
        name: str | None = None,
        email: str | None = None,
        password: str | None = PASSWORD,
        **fields: Any,
    ) -> User:
        n = next(counter)
        user = create_user(
            session,
            None,
            email=email or f"{role}{n}@example.nhs.uk",
            name=name or f"{role.capitalize()} Person{n}",
            role=role,
            password=password,
            now=NOW,
        )
        for key, value in fields.items():
            setattr(user, key, value)
        session.commit()
        return user

    return make


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[..., FlaskClient]:
    """Sign a user in on the `client` fixture through the real form; returns that client."""

    def do(user: User, password: str = PASSWORD) -> FlaskClient:
        signing_in.sign_in(client, user, password)
        return client

    return do


@pytest.fixture
def csrf_off(app: Flask) -> Iterator[None]:
    """CSRF checks off for the test (tests that post straight to a route, not through its form)."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


@pytest.fixture
def worker_id_suffix() -> str:
    """A name part unique to this pytest-xdist worker."""
    return worker_id()
