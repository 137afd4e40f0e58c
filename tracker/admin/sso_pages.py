"""The sign-in settings page: single sign-on's configuration and whether it works right now,
and who may still sign in with a password. Secrets are never shown, only whether they are set."""

from __future__ import annotations

from flask import current_app, render_template

from tracker.admin.blueprint import blueprint
from tracker.core import openid_client
from tracker.core.access import permission_required
from tracker.domain.accounts.password_sign_in import DESCRIPTIONS, PasswordSignIn


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
