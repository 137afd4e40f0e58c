"""The Mail a lifecycle move needs to tell an owner (Flask glue: BASE_URL from the config)."""

from __future__ import annotations

from flask import current_app

from tracker.domain.actions.closing_emails import Mail
from tracker.mailing.rendering import email_renderer


def action_mail() -> Mail:
    """The shipped email renderer and the service's address, for links in the email."""
    return Mail(email_renderer(), str(current_app.config["BASE_URL"]))
