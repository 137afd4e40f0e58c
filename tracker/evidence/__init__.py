"""Evidence pages: adding a file, link or note to an action, opening files, reviewing evidence."""

from tracker.evidence import views  # noqa: F401  (registers the routes)
from tracker.evidence.blueprint import blueprint

__all__ = ["blueprint"]
