"""Helpers for the action, domain, evidence and dashboard tests."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str) -> str:
    """The CSRF token from a form page (the session keeps one token per sign-in)."""
    response = client.get(page)
    assert response.status_code == 200, response.status_code
    match = TOKEN.search(response.get_data(as_text=True))
    assert match, "no csrf_token on " + page
    return match.group(1)


def post(client: FlaskClient, url: str, form_page: str, data: dict[str, Any], **kwargs: Any):
    """POST a form with a real CSRF token fetched from the page that shows it."""
    return client.post(url, data={"csrf_token": csrf_token(client, form_page), **data}, **kwargs)
