"""Rendering account emails and sending the outbox after commit (Flask glue)."""

from __future__ import annotations

from flask import current_app, render_template, url_for

from tracker.domain.invitations import INVITATION, Email
from tracker.mailer import deliver_outbox
from tracker.models import User

SUBJECTS = {
    INVITATION: "You have been invited to the IMPACT action tracker",
    "password_reset": "Reset your IMPACT action tracker password",
}
ENDPOINTS = {INVITATION: "auth.accept_invitation", "password_reset": "auth.reset_password"}


def compose(purpose: str, user: User, token: str) -> Email:
    """Render templates/email/<purpose>.txt and .html with the link spelled out."""
    base = current_app.config["BASE_URL"].rstrip("/")
    link = base + url_for(ENDPOINTS[purpose], token=token)
    context = {"user": user, "link": link, "base_url": base}
    return Email(
        subject=SUBJECTS[purpose],
        body_text=render_template(f"email/{purpose}.txt", **context),
        body_html=render_template(f"email/{purpose}.html", **context),
    )


def deliver_after_commit() -> None:
    """Send what is queued now; if sending fails the outbox keeps it for the next attempt."""
    try:
        deliver_outbox()
    except Exception:
        current_app.logger.exception("sending queued email failed; it stays in the outbox")
