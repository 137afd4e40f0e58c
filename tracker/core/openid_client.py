"""The OpenID Connect client for single sign-on (Authlib's Flask client), one per app.

Authlib does the protocol: the authorization code flow with PKCE (S256), `state` and `nonce`
kept in the session and checked on the way back, and the ID token's signature (the provider's
JWKS, fetched again when a token names a key it has not seen: key rotation), issuer, audience,
expiry and nonce validated. This module turns the outcome into a ProviderIdentity for the
domain, or a ProviderFailure naming what went wrong, and never logs a token, code or secret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from tracker.domain.accounts.password_sign_in import PasswordSignIn, effective_policy
from tracker.domain.accounts.single_sign_on import ProviderIdentity

EXTENSION = "tracker.openid_client"
CALLBACK_PATH = "/auth/oidc/callback"
log = logging.getLogger("tracker.sso")


class ProviderFailure(Exception):
    """The round trip with the provider failed; `reason` is a key of single_sign_on.HEADINGS
    and `detail` a short description for admins (an error code, an exception's class)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def register(app: Flask) -> None:
    """Create this app's client when OIDC_DISCOVERY_URL is set; without it nothing changes."""
    config = app.config
    if not config.get("OIDC_DISCOVERY_URL"):
        return
    discovery = urlsplit(config["OIDC_DISCOVERY_URL"])
    app.config["SSO_PROVIDER_ORIGIN"] = f"{discovery.scheme}://{discovery.netloc}"
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        "oidc",
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_DISCOVERY_URL"],
        client_kwargs={
            "scope": config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": config["OIDC_TIMEOUT_SECONDS"],
        },
    )


def configured() -> bool:
    return EXTENSION in current_app.extensions


def provider_name() -> str:
    return str(current_app.config["OIDC_PROVIDER_NAME"])


def password_policy() -> PasswordSignIn:
    """Who may sign in with a password here (everyone when single sign-on is not set up)."""
    setting = PasswordSignIn(current_app.config["PASSWORD_SIGN_IN"])
    return effective_policy(setting, single_sign_on=configured())


def redirect_uri() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/") + CALLBACK_PATH


def _client() -> Any:
    return current_app.extensions[EXTENSION]


def begin() -> Response:
    """Send the browser to the provider (state, nonce and PKCE verifier kept in the session)."""
    try:
        response: Response = _client().authorize_redirect(redirect_uri())
    except (requests.RequestException, ValueError) as error:
        raise _failure("provider_down", type(error).__name__) from None
    return response


def finish() -> ProviderIdentity:
    """Check the provider's answer on the callback and return who signed in."""
    try:
        token = _client().authorize_access_token(claims_options=claims_options())
    except MismatchingStateError:
        raise _failure("state_mismatch", "state missing or not this browser's") from None
    except OAuthError as error:
        reason = "denied" if error.error in {"access_denied", "consent_required"} else "bad_token"
        raise _failure(reason, f"provider error {error.error}") from None
    except (JoseError, AuthlibBaseError) as error:
        raise _failure("bad_token", f"ID token refused: {type(error).__name__}") from None
    except (requests.RequestException, ValueError) as error:
        raise _failure("provider_down", type(error).__name__) from None
    claims = token.get("userinfo")
    if not claims:
        raise _failure("bad_token", "no ID token in the token response")
    if not claims.get("email"):
        claims = {**_userinfo(token), **claims}
    return _identity(claims)


def claims_options() -> dict[str, Any]:
    """What the ID token must say: issued by this provider, to this client. (Authlib checks
    the audience only when told which; the nonce, expiry and signature it always checks.)"""
    client = _client()
    issuer = client.load_server_metadata().get("issuer")
    return {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [client.client_id]},
    }


def _userinfo(token: dict[str, Any]) -> dict[str, Any]:
    """The userinfo endpoint's claims, for a provider that leaves the email out of the ID token
    (kept only when they describe the same subject)."""
    try:
        info = dict(_client().userinfo(token=token))
    except (requests.RequestException, ValueError, AuthlibBaseError) as error:
        raise _failure("provider_down", f"userinfo: {type(error).__name__}") from None
    subject = token["userinfo"].get("sub")
    return {key: value for key, value in info.items() if info.get("sub") == subject}


def _identity(claims: dict[str, Any]) -> ProviderIdentity:
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"/"false"
        verified = verified.lower() == "true"
    return ProviderIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=str(claims["email"]) if claims.get("email") else None,
        email_verified=verified if isinstance(verified, bool) else None,
        name=str(claims["name"]) if claims.get("name") else None,
    )


def end_session_url(post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session address for signing out there too, when it offers one (and
    its discovery document can be read right now); None otherwise."""
    client = _client()
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    url = client.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri, client_id=client.client_id
    )["url"]
    return str(url)


def _failure(reason: str, detail: str) -> ProviderFailure:
    log.warning("Single sign-on refused (%s): %s", reason, detail)
    return ProviderFailure(reason, detail)


@dataclass(frozen=True)
class ConfigurationStatus:
    """What the admin page shows about the provider, never a secret."""

    discovery_reachable: bool
    discovery_problem: str | None
    issuer: str | None
    end_session_offered: bool
    client_accepted: bool | None  # None when it could not be checked
    client_problem: str | None


def status() -> ConfigurationStatus:
    """Read the discovery document and check the client's credentials at the token endpoint.

    The credentials are checked by presenting them with an authorization code that cannot be
    valid: a provider that accepts the client answers `invalid_grant` (the code was wrong), one
    that does not answers `invalid_client`."""
    timeout = current_app.config["OIDC_TIMEOUT_SECONDS"]
    try:
        answer = requests.get(current_app.config["OIDC_DISCOVERY_URL"], timeout=timeout)
        answer.raise_for_status()
        metadata = answer.json()
        token_endpoint = metadata["token_endpoint"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        unread = f"The discovery document could not be read ({type(error).__name__})"
        return ConfigurationStatus(False, unread, None, False, None, None)
    accepted, problem = _client_accepted(token_endpoint, timeout)
    return ConfigurationStatus(
        True,
        None,
        str(metadata.get("issuer") or ""),
        bool(metadata.get("end_session_endpoint")),
        accepted,
        problem,
    )


def _client_accepted(token_endpoint: str, timeout: int) -> tuple[bool | None, str | None]:
    config = current_app.config
    try:
        answer = requests.post(
            token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": "status-check-not-a-real-code",
                "redirect_uri": redirect_uri(),
                "code_verifier": "status-check-" + "x" * 43,
            },
            auth=(config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"]),
            timeout=timeout,
        )
        error = answer.json().get("error")
    except (requests.RequestException, ValueError, AttributeError) as failure:
        return None, f"The token endpoint did not answer ({type(failure).__name__})"
    if error == "invalid_client" or answer.status_code == 401:
        return False, "The provider refused the client ID or secret (invalid_client)"
    if error in {"invalid_grant", "invalid_request"}:
        return True, None
    return None, f"The token endpoint answered {answer.status_code} {error or ''}".strip()
