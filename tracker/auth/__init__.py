"""Signing in and out, invitations, password resets and session revocation."""

from tracker.auth import passwords, provider_views, views  # noqa: F401  (registers the routes)
from tracker.auth.blueprint import blueprint

__all__ = ["blueprint"]
