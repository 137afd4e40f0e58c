"""Telling an owner their action was completed (with its outcome) or cancelled (with the
reason): one email per event through the outbox, unless they turned these emails off.

The outbox row's period names the audit event of the move, so the same event can never be
emailed twice while a later cancel or sign-off of the same action gets its own email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tracker.domain.outbox.queue import Renderer, enqueue
from tracker.models import Action, User

OUTCOME_WORDS = {
    "verified": "Verified: it did what it set out to do",
    "partly_effective": "Partly effective",
    "not_effective": "Not effective",
}
KINDS = {"sign_off": "action_completed", "cancel": "action_cancelled"}


@dataclass(frozen=True)
class Mail:
    """What a caller passes so a move can queue its email: the renderer and the address the
    links in the email start with."""

    render: Renderer
    base_url: str


def tell_owner(
    session: Session,
    action: Action,
    move: str,
    event_id: int,
    *,
    actor: User,
    mail: Mail,
    now: datetime,
) -> bool:
    """Queue the "completed" or "cancelled" email to the action's owner. Nothing is sent
    when there is no owner, the owner is inactive, made the move themselves, or turned these
    emails off. Returns whether an email was queued."""
    owner = action.owner
    if owner is None or not owner.is_active or owner.id == actor.id:
        return False
    if not owner.email_action_closed:
        return False
    kind = KINDS[move]
    base = mail.base_url.rstrip("/")
    context: dict[str, object] = {
        "name": owner.name,
        "title": action.title,
        "by": actor.name,
        "note": action.status_note,
        "outcome": OUTCOME_WORDS.get(action.outcome or "", ""),
        "link": f"{base}/actions/{action.id}",
        "preferences_link": f"{base}/account/preferences",
    }
    text, html = mail.render(kind, context)
    verb = "completed" if kind == "action_completed" else "cancelled"
    return enqueue(
        session, owner, kind=kind, period=f"event-{event_id}",
        subject=f"Your action “{action.title}” has been {verb}",
        body_text=text, body_html=html, now=now,
    )  # fmt: skip
