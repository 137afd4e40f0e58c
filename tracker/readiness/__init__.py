"""Readiness pages: the forecast, round comparison, board report and exports, with the
SVG charts they draw."""

from tracker.readiness import views  # noqa: F401  (registers the routes)
from tracker.readiness.blueprint import blueprint

__all__ = ["blueprint"]
