"""Beginning and ending a signed-in browser session (Flask-Login), the one way to do either.

The id Flask-Login keeps in the session cookie, and copies into the remember-me cookie, is
"<user id>:<session version>:<live session token>" (tracker.domain.accounts.live_sessions), so
both cookies stop working the moment that session is ended server-side. Signing in and signing
out both start a fresh Flask session, so nothing from before (a CSRF token, a half-finished
sign-in) carries over to the next person on the same browser.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user, logout_user

from tracker.models import User

USER_ID = "_user_id"  # where Flask-Login keeps the id in the session


def session_lasts(*, remember: bool) -> timedelta:
    """How long a new session may live server-side: the remember-me cookie's duration when
    the person asked to be remembered, otherwise the session cookie's lifetime."""
    config = current_app.config
    seconds = (
        config["REMEMBER_COOKIE_DURATION"] if remember else config["PERMANENT_SESSION_LIFETIME"]
    )
    return seconds if isinstance(seconds, timedelta) else timedelta(seconds=int(seconds))


def session_id(user: User, token: str) -> str:
    return f"{user.id}:{user.session_version}:{token}"


def parse_session_id(value: str) -> tuple[int, int, str] | None:
    """(user id, session version, token) from a session id; None for anything malformed."""
    parts = value.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[2]:
        return None
    return int(parts[0]), int(parts[1]), parts[2]


def begin(user: User, token: str, *, remember: bool) -> None:
    """Sign `user` in on this browser with the live session `token`, in a fresh session."""
    session.clear()
    login_user(user, remember=remember)
    session[USER_ID] = session_id(user, token)


def current_token() -> str | None:
    """This browser's live session token, when signed in."""
    parsed = parse_session_id(str(session.get(USER_ID, "")))
    return parsed[2] if parsed else None


def renew(user: User) -> None:
    """Keep this browser signed in after its user's session version moved on (a password
    change), with the same live session and remember-me choice."""
    token = current_token()
    if token is None:
        return
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=remembered in request.cookies)
    session[USER_ID] = session_id(user, token)


def end() -> None:
    """Sign this browser out (the caller has ended the live session) and start afresh."""
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # Flask-Login then deletes the remember-me cookie too
