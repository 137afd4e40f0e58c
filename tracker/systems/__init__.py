"""The system (ICS) view partners share, and an organisation admin's sharing choices."""

from tracker.systems import views  # noqa: F401  (registers the routes)
from tracker.systems.blueprint import blueprint

__all__ = ["blueprint"]
