"""Signing in with single sign-on (OpenID Connect): off to the provider and back.

The callback is a GET by the protocol (the provider redirects the browser to it); it is
protected by the `state`, nonce and PKCE verifier kept in this browser's session rather than by
a CSRF token, and a replayed or forged callback is refused. Every refusal is audited, logged
without secrets, shown on a page that says what to do, and creates no account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from flask import abort, current_app, redirect, render_template, request, session
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth.blueprint import blueprint
from tracker.auth.views import safe_next
from tracker.core import openid_client
from tracker.core.openid_client import ProviderFailure
from tracker.core.saving import save_change
from tracker.core.signed_in import begin, session_lasts
from tracker.database import db_session
from tracker.domain.accounts.single_sign_on import (
    SingleSignOnRefused,
    accept_invitation_with_provider,
    refuse,
    sign_in_with_provider,
)
from tracker.models import User

NEXT = "sso_next"
INVITATION = "sso_invitation"
STATUS = {"unknown_person": 403, "deactivated": 403, "provider_down": 502}


@blueprint.get("/auth/oidc/start")
def sso_start() -> Response | tuple[str, int]:
    """Start afresh (nothing from an earlier session carries over) and go to the provider."""
    if not openid_client.configured():
        abort(404)
    next_page = safe_next(request.args.get("next"))
    invitation = request.args.get("invitation", "")[:2000]
    if current_user.is_authenticated and not invitation:
        return redirect(next_page)
    session.clear()
    session[NEXT] = next_page
    if invitation:
        session[INVITATION] = invitation
    try:
        return openid_client.begin()
    except ProviderFailure as failure:
        return _refused_now(failure)


@blueprint.get("/auth/oidc/callback")
def sso_callback() -> Response | tuple[str, int]:
    """The provider's answer: sign the person in (or accept their invitation), or say why not."""
    if not openid_client.configured():
        abort(404)
    next_page = safe_next(session.pop(NEXT, None))
    invitation = session.pop(INVITATION, None)
    now, address = clock.now(), request.remote_addr or "unknown"
    provider, lasts = openid_client.provider_name(), session_lasts(remember=False)

    def change() -> tuple[User, str]:
        try:
            identity = openid_client.finish()
        except ProviderFailure as failure:
            _refuse(failure)
        if invitation:
            return accept_invitation_with_provider(
                db_session(), identity, token=invitation,
                secret_key=current_app.config["SECRET_KEY"], provider=provider,
                address=address, now=now, lasts=lasts,
            )  # fmt: skip
        return sign_in_with_provider(
            db_session(), identity, provider=provider, address=address, now=now, lasts=lasts
        )

    return _through_save_change(
        change, then=next_page, after=lambda signed_in: begin(*signed_in, remember=False)
    )


def _refuse(failure: ProviderFailure) -> NoReturn:
    refuse(
        db_session(), failure.reason, provider=openid_client.provider_name(),
        address=request.remote_addr or "unknown", now=clock.now(),
        details={"detail": failure.detail},
    )  # fmt: skip


def _refused_now(failure: ProviderFailure) -> Response | tuple[str, int]:
    """A failure before the provider was reached: audited and shown like any other."""
    return _through_save_change(lambda: _refuse(failure), then="", after=None)


def _through_save_change(
    change: Callable[[], object], *, then: str, after: Callable[..., object] | None
) -> Response | tuple[str, int]:
    """save_change with the refusal's own page: a refusal's audit event is committed."""
    refused: list[SingleSignOnRefused] = []

    def attempt() -> object:
        try:
            return change()
        except SingleSignOnRefused as error:
            refused.append(error)
            raise

    def page(status: int) -> tuple[str, int]:
        error = refused[0]
        return render_template(
            "auth/sso_refused.html",
            heading=error.heading,
            message=error.message,
            reason=error.reason,
            provider_name=openid_client.provider_name(),
        ), STATUS.get(error.reason, 400)

    return save_change(
        FlaskForm(meta={"csrf": False}),
        attempt,
        validate=False,
        done="",
        then=then,
        failed=page,
        commit_refused=(SingleSignOnRefused,),
        after_commit=after,
    )
