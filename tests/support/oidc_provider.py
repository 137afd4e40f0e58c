"""A real OpenID provider for the suite (oidc-provider from npm, tests/oidc/provider.mjs), and a
driver that takes its development login screens by plain HTTP, as a browser would.

The app side of a round trip goes through the Flask test client; the provider side through
`requests` against the running provider; the app's own calls to the provider (discovery,
token, JWKS) are real HTTP too.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "tracker"
CLIENT_SECRET = "tracker-test-secret"
OTHER_CLIENT_ID = "other-client"
OTHER_CLIENT_SECRET = "other-client-secret"
APP_BASE_URL = "http://127.0.0.1:5000"  # the test client's address (never listened on)
_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')
_ABORT = re.compile(r'href="([^"]*/abort)"')


@dataclass(frozen=True)
class Provider:
    issuer: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def start_provider(log: Path) -> tuple[subprocess.Popen[str], Provider]:
    """Start the provider on a free loopback port and wait for its discovery document."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            ["node", str(SCRIPT), "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"ready at (http://127\.0\.0\.1:\d+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"the OIDC provider did not start: {log.read_text()[-2000:]}")
    provider = Provider(match.group(1))
    deadline = time.monotonic() + 20
    while True:
        try:
            if requests.get(provider.discovery_url, timeout=2).ok:
                return process, provider
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the OIDC provider never served its discovery document")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """One provider process for the whole session (per test worker), stopped afterwards."""
    process, provider = start_provider(tmp_path_factory.mktemp("oidc") / "provider.log")
    try:
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def with_params(url: str, **changes: str) -> str:
    """`url` with some query parameters replaced (to tamper with an authorization request)."""
    parts = urlsplit(url)
    params = {**query(url), **changes}
    return urlunsplit(parts._replace(query=urlencode(params)))


def at_provider(url: str, login: str, *, approve: bool = True) -> str:
    """Take the provider's screens from an authorization URL, as `login` (a subject or email),
    approving or cancelling; return where the provider finally sends the browser."""
    browser = requests.Session()
    answer = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(12):
        if answer.is_redirect:
            location = requests.compat.urljoin(answer.url, answer.headers["Location"])
            if not location.startswith(url.split("/auth")[0]):
                return location
            answer = browser.get(location, allow_redirects=False, timeout=10)
            continue
        page = answer.text
        action = _ACTION.search(page)
        assert answer.status_code == 200 and action, (answer.status_code, page[:2000])
        target = requests.compat.urljoin(answer.url, action.group(1))
        if not approve:
            abort = _ABORT.search(page)
            assert abort, page[:2000]
            answer = browser.get(
                requests.compat.urljoin(answer.url, abort.group(1)), allow_redirects=False
            )
        elif 'name="login"' in page:
            data = {"prompt": "login", "login": login, "password": "any password"}
            answer = browser.post(target, data=data, allow_redirects=False, timeout=10)
        else:
            answer = browser.post(
                target, data={"prompt": "consent"}, allow_redirects=False, timeout=10
            )
    raise AssertionError("the provider never sent the browser back")


def app_path(url: str) -> str:
    """The path and query of an address on the app, for the test client."""
    assert url.startswith(APP_BASE_URL + "/"), url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def start(client: FlaskClient, path: str = "/auth/oidc/start") -> str:
    """Press "Sign in with NHSmail": the app's redirect to the provider."""
    answer = client.get(path)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return str(answer.headers["Location"])


def round_trip(
    client: FlaskClient,
    login: str,
    *,
    path: str = "/auth/oidc/start",
    tamper: Callable[[str], str] | None = None,
    approve: bool = True,
) -> TestResponse:
    """Sign in with the provider from start to the app's answer on its callback."""
    authorize = start(client, path)
    if tamper is not None:
        authorize = tamper(authorize)
    return client.get(app_path(at_provider(authorize, login, approve=approve)))


def token_for_other_client(provider: Provider, login: str = "owner-sub") -> tuple[dict, str]:
    """A real token response the provider issued to "other-client" (its own PKCE round
    trip), and the nonce it was asked for."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    nonce = secrets.token_urlsafe(16)
    redirect_uri = APP_BASE_URL + "/auth/oidc/callback"
    params = {
        "response_type": "code",
        "client_id": OTHER_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(16),
        "nonce": nonce,
        "code_challenge": challenge.decode().rstrip("="),
        "code_challenge_method": "S256",
    }
    back = at_provider(f"{provider.issuer}/auth?{urlencode(params)}", login)
    answer = requests.post(
        requests.get(provider.discovery_url, timeout=5).json()["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": query(back)["code"],
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        auth=(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET),
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json(), nonce
