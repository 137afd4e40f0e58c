"""Rendering account emails and sending the outbox after commit (Flask glue)."""

from __future__ import annotations

from flask import Flask, Response, after_this_request, current_app, url_for

from tracker.domain.accounts.invitations import INVITATION, Email
from tracker.mailing.rendering import email_renderer
from tracker.mailing.sender import deliver_outbox
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
    text, html = email_renderer()(purpose, {"user": user, "link": link, "base_url": base})
    return Email(subject=SUBJECTS[purpose], body_text=text, body_html=html)


def deliver_after_commit() -> None:
    """Send the account emails this request queued, once its response has gone to the browser.

    Sending after the response means the page answers as fast whether or not an email was
    queued (the forgotten-password page must not reveal who has an account by its timing), and
    nobody waits on the mail server. Only account emails are sent here; digests stay with the
    scheduler. If sending fails, the outbox keeps the message for the next attempt.
    """
    # Unavoidable: flask types current_app as Flask, not as the proxy that has this method.
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def send_when_closed(response: Response) -> Response:
        response.call_on_close(lambda: _deliver_account_emails(app))
        return response


def _deliver_account_emails(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_outbox(kinds=tuple(SUBJECTS))
        except Exception:
            app.logger.exception("sending queued email failed; it stays in the outbox")
