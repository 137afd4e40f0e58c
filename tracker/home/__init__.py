"""Pages for everyone: the home page (what the service is), the health check and the UI assets."""

from tracker.home import views  # noqa: F401  (registers the routes)
from tracker.home.blueprint import blueprint

__all__ = ["blueprint"]
