"""Readiness pages: the forecast, round comparison, board report and exports."""
