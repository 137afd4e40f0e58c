"""Configuration read from environment variables (see README, "Configuration").

Every setting has an embedded default that needs nothing running: SQLite in the instance folder
and mail written as .eml files. Production refuses to start without SECRET_KEY.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE = ROOT / "instance"
# Who may still sign in with a password once single sign-on is configured.
PASSWORD_SIGN_IN_CHOICES = ("everyone", "admins", "off")


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "production"
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 7  # a week when the user asks for it
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    PREFERRED_URL_SCHEME = "https"
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_LOCKOUT_MINUTES = 15
    PASSWORD_RESETS_PER_ADDRESS = 10  # forgotten-password requests per address per lock-out window
    ASSETS_DIR = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
    TESTING = False
    DEBUG = False

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
        self.MAIL_PORT = _int("MAIL_PORT", 25)
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS")
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER = os.environ.get(
            "MAIL_DEFAULT_SENDER", "IMPACT action tracker <impact-tracker@localhost>"
        )
        self.BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
        self.UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or None
        self.REMINDER_CRON = os.environ.get("REMINDER_CRON", "first-weekday 08:00")
        self.MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 5)
        # Single sign-on (OpenID Connect): off unless OIDC_DISCOVERY_URL is set. The redirect
        # URI to register with the provider is BASE_URL + /auth/oidc/callback.
        self.OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL") or None
        self.OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
        self.OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
        self.OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME") or "NHSmail"
        self.OIDC_SCOPES = os.environ.get("OIDC_SCOPES") or "openid email profile"
        self.OIDC_TIMEOUT_SECONDS = _int("OIDC_TIMEOUT_SECONDS", 10)
        self.PASSWORD_SIGN_IN = os.environ.get("PASSWORD_SIGN_IN") or "everyone"
        if self.PASSWORD_SIGN_IN not in PASSWORD_SIGN_IN_CHOICES:
            raise RuntimeError(
                f"PASSWORD_SIGN_IN={self.PASSWORD_SIGN_IN!r} is not one of "
                + ", ".join(PASSWORD_SIGN_IN_CHOICES)
            )
        if self.OIDC_DISCOVERY_URL and not (self.OIDC_CLIENT_ID and self.OIDC_CLIENT_SECRET):
            raise RuntimeError(
                "OIDC_DISCOVERY_URL is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be too "
                "(from the app's registration with the provider)"
            )
        self.OUTBOX_POLL_SECONDS = _int("OUTBOX_POLL_SECONDS", 30)

    def check(self) -> None:
        """Refuse to run with settings that would be unsafe in this environment."""
        if not self.SECRET_KEY:
            raise RuntimeError(
                "SECRET_KEY is not set. Set it to a long random value, for example the output "
                "of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )


class DevelopmentConfig(Config):
    """Local use on 127.0.0.1: a fixed development key and cookies that work over plain HTTP."""

    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "development-only-not-secret"


class TestingConfig(DevelopmentConfig):
    """The test suite: TEST_DATABASE_URL when set, otherwise a SQLite file given by the tests."""

    __test__ = False  # not a pytest test class, despite the name
    ENV_NAME = "testing"
    TESTING = True
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or None
        self.MAIL_SERVER = None


CONFIGS: dict[str, type[Config]] = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def config_from_environment() -> Config:
    """The configuration named by TRACKER_ENV; production unless told otherwise, so a forgotten
    variable fails safe (it then demands SECRET_KEY)."""
    name = os.environ.get("TRACKER_ENV", "production")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(
            f"TRACKER_ENV={name!r} is not one of {', '.join(sorted(CONFIGS))}"
        ) from None
