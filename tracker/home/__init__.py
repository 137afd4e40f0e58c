"""Pages for everyone: the home page (what the service is), about, accessibility, privacy and
cookies, the health check and the UI assets."""

from tracker.home import information, views  # noqa: F401  (registers the routes)
from tracker.home.blueprint import blueprint

__all__ = ["blueprint"]
