from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.support.reminders import SMTPServer


@pytest.fixture
def smtp(app: Flask) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1, with the app pointed at it for this test."""
    server = SMTPServer().start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        yield server
    finally:
        server.stop()
        app.config.update(saved)


@pytest.fixture
def org(session, framework, make_user):
    """The small organisation of tests.support.reminders, committed."""
    from tests.support.reminders import build_organisation

    return build_organisation(session, make_user)
