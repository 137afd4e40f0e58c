"""The dashboard: what needs attention, each number linking to the matching list."""

from tracker.dashboard import views  # noqa: F401  (registers the routes)
from tracker.dashboard.blueprint import blueprint

__all__ = ["blueprint"]
