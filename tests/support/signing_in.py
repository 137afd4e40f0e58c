"""Signing a user in on a test client: the one helper every test signs in with.

The e2e tests sign in through a real browser instead (tests/e2e/journey.py).
"""

from __future__ import annotations

from typing import Literal, overload

from flask import session as flask_session
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.accounts import post_form
from tests.support.helpers import PASSWORD
from tracker import clock
from tracker.core.signed_in import begin, session_lasts
from tracker.database import db_session
from tracker.domain.accounts.live_sessions import start_session
from tracker.models import SignInMethod, User


@overload
def sign_in(
    client: FlaskClient,
    user: User,
    password: str = ...,
    *,
    through_form: Literal[True] = ...,
    **fields: str,
) -> TestResponse: ...


@overload
def sign_in(
    client: FlaskClient,
    user: User,
    password: str = ...,
    *,
    through_form: Literal[False],
    **fields: str,
) -> None: ...


def sign_in(
    client: FlaskClient,
    user: User,
    password: str = PASSWORD,
    *,
    through_form: bool = True,
    **fields: str,
) -> TestResponse | None:
    """Sign `user` in on `client`.

    Through the form (the default): fetch /sign-in for its CSRF token, post the email,
    `password` and any other `fields` (e.g. remember="y"), assert the redirect that means
    success, and return that response (its Set-Cookie headers, say).

    With `through_form=False`: start a live session and write the client's session exactly as
    signing in leaves it, without a request. For tests that sign in every role for every route, where a
    password check (a deliberately slow scrypt) per sign-in would make the suite slow and
    trip the sign-in throttle.
    """
    if through_form:
        data = {"email": user.email, "password": password, **fields}
        response = post_form(client, "/sign-in", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response
    app = client.application
    with (
        app.app_context(),
        client.session_transaction() as stored,
        app.test_request_context(environ_base=client.environ_base),
    ):
        token = start_session(
            db_session(),
            user,
            method=SignInMethod.PASSWORD,
            now=clock.now(),
            lasts=session_lasts(remember=False),
        )
        db_session().commit()
        begin(user, token, remember=False)
        stored.update(dict(flask_session))
    return None
