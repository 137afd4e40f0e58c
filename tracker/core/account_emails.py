"""Rendering account emails (Flask glue: links need url_for and BASE_URL).

Nothing here sends: account emails are queued in the outbox with the change that needs them
and the sender process (`flask scheduler run`) delivers them, so a slow or silent mail server
never holds up a web worker, and the forgotten-password page does the same work whether or
not an account has the address."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for

from tracker.domain.accounts.invitations import INVITATION, Email
from tracker.domain.audit.wording import value_words
from tracker.mailing.rendering import email_renderer
from tracker.models import User

SUBJECTS = {
    INVITATION: "{inviter} has invited you to the IMPACT action tracker for {organisation}",
    "password_reset": "Reset your IMPACT action tracker password",
}
ENDPOINTS = {INVITATION: "auth.accept_invitation", "password_reset": "auth.reset_password"}


def compose(purpose: str, user: User, token: str, *, inviter: User | None = None) -> Email:
    """Render templates/email/<purpose>.txt and .html with the link spelled out; an invitation
    names the person who sent it, the organisation and the role it gives."""
    base = current_app.config["BASE_URL"].rstrip("/")
    link = base + _link_path(purpose, token)
    organisation = user.organisation.name if user.organisation else "your organisation"
    context = {
        "user": user,
        "link": link,
        "base_url": base,
        "inviter": inviter.name if inviter else "An administrator",
        "organisation": organisation,
        "role": value_words("role", user.role, {}),
    }
    text, html = email_renderer()(purpose, context)
    subject = SUBJECTS[purpose].format(inviter=context["inviter"], organisation=organisation)
    return Email(subject=subject[:300], body_text=text, body_html=html)


def _link_path(purpose: str, token: str) -> str:
    """The link's path; the sender process answers reset requests outside any web request,
    so there it builds the path in a bare request context (the host comes from BASE_URL)."""
    if has_request_context():
        return url_for(ENDPOINTS[purpose], token=token)
    with current_app.test_request_context():
        return url_for(ENDPOINTS[purpose], token=token)
