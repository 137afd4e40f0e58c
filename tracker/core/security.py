"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' https://assets.nhs.uk",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy() -> str:
    """The policy; with single sign-on, forms may also lead to the provider's origin (signing
    out redirects there, and browsers apply form-action to a form's redirects)."""
    provider = current_app.config.get("SSO_PROVIDER_ORIGIN")
    if not provider:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {provider}")


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "home.assets":
        headers.setdefault("Cache-Control", "no-store")
    return response


def refuse_nul_characters() -> tuple[str, int] | None:
    """Refuse form or query values holding a NUL character (never typed by a person): PostgreSQL
    cannot store one and SQLite cuts text at it, so it would otherwise end as a 500 or a
    silently shortened value."""
    values = [*request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        from tracker.core.error_pages import render_error

        return render_error(
            400,
            "What you entered contains a character that cannot be saved. Remove it and try again.",
        )
    return None


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.before_request(refuse_nul_characters)
