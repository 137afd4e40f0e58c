"""Admin page for the email outbox: failed and pending notifications, and retrying them."""

from tracker.notifications import views  # noqa: F401  (registers the routes)
from tracker.notifications.blueprint import blueprint

__all__ = ["blueprint"]
