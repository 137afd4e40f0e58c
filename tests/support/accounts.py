"""Helpers for the accounts tests: clients that behave like separate browsers, and posting real
forms with their CSRF token (signing in: tests/support/signing_in.py)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.helpers import ServerLikeClient

_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


class IsolatedClient(ServerLikeClient):
    """Runs each request in its own app context, as a real server does.

    The shared test fixture keeps one app context open for the whole test, so requests from
    different clients would share `g` (Flask-Login's cached user, Flask-WTF's CSRF token) and
    the database session. Two of these clients share only cookies of their own and the database,
    like two browsers talking to two workers.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


def browser(app: Flask, address: str = "127.0.0.1") -> IsolatedClient:
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token from the form on the page at `url`."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], *, form_url: str | None = None
) -> TestResponse:
    """Fetch the form page for its token, then post `data` with it."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token})


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)
