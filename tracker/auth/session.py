"""Loading the signed-in user, rejecting sessions a password change or deactivation ended."""

from __future__ import annotations

from flask_login import LoginManager

from tracker.database import db_session
from tracker.domain.accounts.sign_in import user_for_session
from tracker.models import User


def load_user(session_id: str) -> User | None:
    """The session id is "<user id>:<session version>"; a stale version means signed out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    return user_for_session(db_session(), int(user_id), int(version))


def register_user_loader(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to see this page."
    manager.login_message_category = "info"
    manager.session_protection = "strong"
