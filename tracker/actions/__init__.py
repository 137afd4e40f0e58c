"""Action pages: my actions, the filtered list, and one action with its forms."""

from tracker.actions import filters, lifecycle_views, views  # noqa: F401  (registers the routes)
from tracker.actions.blueprint import blueprint

__all__ = ["blueprint"]
