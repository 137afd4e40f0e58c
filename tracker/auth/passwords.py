"""Forgotten password, reset and invitation links, and changing your own password."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth.blueprint import blueprint
from tracker.auth.forms import ChangePasswordForm, ForgottenPasswordForm, SetPasswordForm
from tracker.auth.views import login_limits
from tracker.core import openid_client
from tracker.core.saving import save_change
from tracker.core.signed_in import renew
from tracker.database import db_session
from tracker.domain.accounts.invitations import (
    INVITATION,
    PASSWORD_RESET,
    InvalidLink,
    WrongCurrentPassword,
    change_password,
    set_password_with_token,
    user_for_token,
)
from tracker.domain.accounts.password_resets import request_password_reset
from tracker.domain.accounts.password_sign_in import (
    PasswordSignIn,
    closed_message,
    password_allowed,
)
from tracker.domain.accounts.sign_in import TooManyResetRequests
from tracker.models import User

TITLES = {INVITATION: "Set your password", PASSWORD_RESET: "Reset your password"}


@blueprint.route("/forgotten-password", methods=["GET", "POST"])
def forgotten_password() -> tuple[str, int] | Response:
    """Always answers the same, whether or not an account has the address."""
    form = ForgottenPasswordForm()
    policy = openid_client.password_policy()

    def page(status: int) -> tuple[str, int]:
        return render_template(
            "auth/forgotten_password.html",
            form=form,
            passwords_off=policy is PasswordSignIn.OFF,
            provider_name=openid_client.provider_name(),
        ), status

    if not form.is_submitted() or policy is PasswordSignIn.OFF:
        return page(200)
    return save_change(
        form,
        lambda: request_password_reset(
            db_session(),
            email=form.email.data or "",
            now=clock.now(),
            address=request.remote_addr or "unknown",
            per_address=current_app.config["PASSWORD_RESETS_PER_ADDRESS"],
            limits=login_limits(),
        ),
        done="",
        then=url_for("auth.forgotten_password_sent"),
        failed=page,
        refused_status=200,
        commit_refused=(TooManyResetRequests,),
    )


@blueprint.get("/forgotten-password/sent")
def forgotten_password_sent() -> str:
    return render_template("auth/forgotten_password_sent.html")


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | tuple[str, int]:
    return _set_password(token, INVITATION)


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int]:
    return _set_password(token, PASSWORD_RESET)


def _set_password(token: str, purpose: str) -> Response | tuple[str, int]:
    """Show the set-password form for a valid link; a spent or expired link says so."""
    secret = current_app.config["SECRET_KEY"]
    try:
        user = user_for_token(
            db_session(), token, purpose=purpose, secret_key=secret, now=clock.now()
        )
    except InvalidLink as error:
        return _invalid_link(error)
    form = SetPasswordForm()
    policy = openid_client.password_policy()
    passwords_open = password_allowed(policy, user)

    def page(status: int) -> tuple[str, int]:
        return render_template(
            "auth/set_password.html",
            form=form,
            user=user,
            title=TITLES[purpose],
            purpose=purpose,
            token=token,
            single_sign_on=openid_client.configured(),
            provider_name=openid_client.provider_name(),
            passwords_open=passwords_open,
        ), status

    if not form.is_submitted():
        return page(200)
    if not passwords_open:
        form.form_errors.append(closed_message(policy, openid_client.provider_name()))
        return page(200)
    return save_change(
        form,
        lambda: set_password_with_token(
            db_session(),
            token=token,
            purpose=purpose,
            password=form.password.data or "",
            secret_key=secret,
            now=clock.now(),
        ),
        done="Your password has been set. Sign in with your new password.",
        then=url_for("auth.sign_in"),
        failed=page,
        refused_status=200,
        error_field="password",
        answers={InvalidLink: _invalid_link},
    )


def _invalid_link(error: InvalidLink) -> tuple[str, int]:
    return render_template("auth/link_invalid.html", message=error.message), 400


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_own_password() -> tuple[str, int] | Response:
    """Change your password; your other sessions end, this one carries on.

    A wrong current password is kept (its failure count and audit event are committed, as for
    a failed sign-in); once the change is committed this session signs in again with the new
    session version, keeping its live session and "remember me" choice."""
    form = ChangePasswordForm()
    user: User = current_user._get_current_object()

    def page(status: int) -> tuple[str, int]:
        return render_template("auth/change_password.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: change_password(
            db_session(),
            user,
            current_password=form.current_password.data or "",
            new_password=form.new_password.data or "",
            now=clock.now(),
            address=request.remote_addr or "unknown",
            limits=login_limits(),
        ),
        done="Your password has been changed. Other devices have been signed out.",
        then=url_for("home.home"),
        failed=page,
        refused_status=200,
        error_field="new_password",
        commit_refused=(WrongCurrentPassword,),
        after_commit=lambda _: renew(user),
    )
