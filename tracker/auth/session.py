"""Loading the signed-in user: only while the browser's live session is, and its version holds.

A session cookie or remember-me cookie whose live session was ended (signed out), expired, or
whose user's session version moved on (password change, deactivation) signs nobody in.
"""

from __future__ import annotations

from flask_login import LoginManager

from tracker import clock
from tracker.core.signed_in import parse_session_id
from tracker.database import db_session
from tracker.domain.accounts.live_sessions import user_for_live_session
from tracker.models import User


def load_user(session_id: str) -> User | None:
    """The session id is "<user id>:<session version>:<live session token>"."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user_id, version, token = parsed
    return user_for_live_session(
        db_session(), user_id=user_id, session_version=version, token=token, now=clock.now()
    )


def register_user_loader(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to see this page."
    manager.login_message_category = "info"
    manager.session_protection = "strong"
