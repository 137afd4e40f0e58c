"""Component pages ("domains" in the URLs): each component's questions and actions, bulk
assignment and leaver reassignment."""

from tracker.components import views  # noqa: F401  (registers the routes)
from tracker.components.blueprint import blueprint

__all__ = ["blueprint"]
