"""Admin upload page for importing a self-assessment round."""

from tracker.imports import views  # noqa: F401  (registers the routes)
from tracker.imports.blueprint import blueprint

__all__ = ["blueprint"]
