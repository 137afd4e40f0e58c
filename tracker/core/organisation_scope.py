"""Each request's database session is scoped to the signed-in user's organisation (a platform
admin's to none), and the scope is dropped when the request ends. The boundary itself lives in
tracker.domain.boundary."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from tracker.database import db_session
from tracker.domain.boundary import PLATFORM, clear_scope, install_boundary, scope_session


def scope_request() -> None:
    """Before every request: look the user up unscoped, then scope the session to them.

    Signed-out requests stay unscoped: they reach only the sign-in, invitation and password
    reset pages, which find an account by its email address or a signed link."""
    session = db_session()
    clear_scope(session)
    if current_user.is_authenticated:
        organisation_id = current_user.organisation_id
        scope_session(session, organisation_id if organisation_id is not None else PLATFORM)


def unscope_request(error: BaseException | None = None) -> None:
    clear_scope(db_session())


def register_organisation_scope(app: Flask) -> None:
    install_boundary()
    app.before_request(scope_request)
    app.teardown_request(unscope_request)
