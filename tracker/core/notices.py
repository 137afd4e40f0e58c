"""The Notifier a view passes to a change that emails people (Flask glue: the site's address
comes from BASE_URL, so every link in an email is absolute)."""

from __future__ import annotations

from flask import current_app

from tracker.domain.notices import Notifier
from tracker.mailing.rendering import email_renderer


def notifier() -> Notifier:
    """Renders with the shipped email templates; links start with BASE_URL."""
    return Notifier(base_url=current_app.config["BASE_URL"], render=email_renderer())
