"""Single sign-on in real Chromium: the real provider's screens, our pages scanned by axe."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tests.e2e.conftest import _only_loopback
from tests.e2e.journey import Journey
from tests.sign_in.conftest import provider_settings, sso_app
from tests.support.oidc_provider import Provider

pytestmark = pytest.mark.e2e


@pytest.fixture
def sso_server(tmp_path_factory, database_url, oidc_provider: Provider) -> Iterator[str]:
    """The app with single sign-on on a free loopback port (its BASE_URL), in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    application = sso_app(
        tmp_path_factory, database_url, **provider_settings(oidc_provider, BASE_URL=base_url)
    )
    server = make_server("127.0.0.1", port, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="sso-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def sso_journey(browser, sso_server: str) -> Iterator[Journey]:
    context = browser.new_context(base_url=sso_server)
    context.set_default_timeout(10_000)
    context.route("**/*", _only_loopback)
    try:
        yield Journey(context.new_page(), sso_server)
    finally:
        context.close()


def at_provider(journey: Journey, login: str) -> None:
    """The provider's development screens (not ours, so not scanned): log in, then consent."""
    page = journey.page
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    journey.settle()


def test_an_invited_person_signs_in_with_one_click_and_a_stranger_is_refused(
    sso_journey: Journey, make_user
) -> None:
    make_user("owner", name="Olu Owner", email="owner@example.nhs.uk", password=None)
    journey = sso_journey
    journey.goto("/sign-in")
    journey.page.get_by_role("button", name="Sign in with NHSmail").click()
    at_provider(journey, "owner-sub")
    assert journey.heading() == "Dashboard"
    assert "Olu Owner" in journey.page.inner_text("header")

    # our session ends, then the provider (its page, not scanned) asks to sign out there too
    journey.page.get_by_role("button", name="Sign out").click()
    journey.page.get_by_role("button", name="Yes, sign me out").click()
    journey.settle()
    assert journey.heading() == "Sign in"
    assert "You have signed out" in journey.page.inner_text("main")

    journey.page.get_by_role("button", name="Sign in with NHSmail").click()
    at_provider(journey, "stranger-sub")
    assert journey.heading() == "You do not have an account yet"
    assert "Ask your improvement lead for an invitation" in journey.page.inner_text("main")
