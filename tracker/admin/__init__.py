"""Admin pages: users and roles, component leads, the framework, rounds and the audit trail."""

from tracker.admin import (  # noqa: F401  (registers the routes)
    audit_pages,
    home,
    leads,
    round_pages,
    sso_pages,
    user_pages,
)
from tracker.admin.blueprint import blueprint

__all__ = ["blueprint"]
