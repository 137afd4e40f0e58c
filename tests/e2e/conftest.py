"""Browser harness: the app served by a live werkzeug server on 127.0.0.1, driven by Debian's
Chromium through Python Playwright, with every visited page scanned by axe.

The live server shares the worker's database (the `app` fixture), so a test commits its data
with the `session` fixture and then drives the browser. Every request that is not to
127.0.0.1 is aborted, so pages never wait on the font host or anything else outside.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.e2e.journey import Journey

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is an e2e test (marked, so `-m "not e2e"` skips it)."""
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app on a free loopback port in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium per test session; each test gets its own fresh context (cookies, storage).
    Playwright's launch() gives the browser a fresh temporary user-data directory."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install_browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def journey(browser: object, live_server: str, request: pytest.FixtureRequest) -> Iterator[Journey]:
    """A browser page on the live server that scans each page it visits with axe and saves a
    screenshot of the last page under test-artifacts/screenshots/<test name>.png."""
    context = browser.new_context(base_url=live_server, accept_downloads=True)  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    context.route("**/*", _only_loopback)
    page = context.new_page()
    trip = Journey(page, live_server)
    try:
        yield trip
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        finally:
            context.close()


def _only_loopback(route: object, req: object) -> None:
    """Abort every request that leaves 127.0.0.1 (fonts, analytics, anything)."""
    from urllib.parse import urlsplit

    host = urlsplit(req.url).hostname  # type: ignore[attr-defined]
    if host == "127.0.0.1":
        route.continue_()  # type: ignore[attr-defined]
    else:
        route.abort()  # type: ignore[attr-defined]
