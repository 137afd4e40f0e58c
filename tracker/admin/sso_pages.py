"""The sign-in settings page: single sign-on's configuration and whether it works right now,
and who may still sign in with a password (secrets are never shown, only whether they are
set); and unlinking a user's single sign-on identity."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.user_pages import _user_action
from tracker.core import openid_client
from tracker.core.access import permission_required
from tracker.database import db_session
from tracker.domain.accounts.password_sign_in import DESCRIPTIONS, PasswordSignIn
from tracker.domain.accounts.single_sign_on import unlink_provider


@blueprint.get("/sign-in")
@permission_required("manage_users")
def sign_in_settings() -> str:
    """Checks the provider live (discovery document, client credentials) on each visit."""
    config = current_app.config
    configured = openid_client.configured()
    setting = PasswordSignIn(config["PASSWORD_SIGN_IN"])
    return render_template(
        "admin/sign_in_settings.html",
        configured=configured,
        provider_name=openid_client.provider_name(),
        discovery_url=config["OIDC_DISCOVERY_URL"],
        client_id=config["OIDC_CLIENT_ID"],
        secret_set=bool(config["OIDC_CLIENT_SECRET"]),
        scopes=config["OIDC_SCOPES"],
        redirect_uri=openid_client.redirect_uri(),
        status=openid_client.status() if configured else None,
        setting=setting.value,
        in_force=DESCRIPTIONS[openid_client.password_policy()],
    )


@blueprint.post("/users/<int:user_id>/single-sign-on/unlink")
@permission_required("manage_users")
def unlink_single_sign_on(user_id: int) -> tuple[str, int] | Response:
    """Forget the provider identity linked to a user (a recycled address, a replaced account)."""
    return _user_action(
        user_id,
        lambda person: unlink_provider(
            db_session(), current_user._get_current_object(), person, now=clock.now()
        ),
        "{name} is no longer linked to a single sign-on account and has been signed out.",
    )
