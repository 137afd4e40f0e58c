"""Loading the signed-in user, rejecting sessions a password change or deactivation ended."""

from __future__ import annotations

from flask_login import LoginManager

from tracker.extensions import db
from tracker.models import User


def load_user(session_id: str) -> User | None:
    """The session id is "<user id>:<session version>"; a stale version means signed out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def register_user_loader(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to see this page."
    manager.login_message_category = "info"
    manager.session_protection = "strong"
