"""Admin pages: users and roles, component leads, the framework, rounds and the audit trail."""

from tracker.admin import home, leads, people, round_pages, trail  # noqa: F401  (registers the routes)
from tracker.admin.blueprint import blueprint

__all__ = ["blueprint"]
