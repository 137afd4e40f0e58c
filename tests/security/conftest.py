"""Fixtures for the security tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from config import Config
from tracker import create_app


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
