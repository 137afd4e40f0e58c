"""Error pages in production are generic: no traceback, no exception text, the security
headers still sent."""

from __future__ import annotations

from tests.security.headers import header_problems


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
