"""A signed-in user's email preferences (monthly or weekly reminder digest)."""

from tracker.preferences import views  # noqa: F401  (registers the routes)
from tracker.preferences.blueprint import blueprint

__all__ = ["blueprint"]
