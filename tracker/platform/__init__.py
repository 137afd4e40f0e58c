"""Installation-level pages for platform admins: organisations, their first admin, systems."""

from tracker.platform import views  # noqa: F401  (registers the routes)
from tracker.platform.blueprint import blueprint

__all__ = ["blueprint"]
