"""Helpers for the accounts tests: posting real forms with their CSRF token."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


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
