"""Forgotten password, reset and invitation links, and changing your own password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth.blueprint import blueprint
from tracker.auth.forms import ChangePasswordForm, ForgottenPasswordForm, SetPasswordForm
from tracker.auth.views import login_limits
from tracker.core.account_emails import compose, deliver_after_commit
from tracker.domain.accounts.invitations import (
    INVITATION,
    PASSWORD_RESET,
    InvalidLink,
    WrongCurrentPassword,
    change_password,
    request_password_reset,
    set_password_with_token,
    user_for_token,
)
from tracker.domain.errors import DomainError
from tracker.extensions import db

TITLES = {INVITATION: "Set your password", PASSWORD_RESET: "Reset your password"}


@blueprint.route("/forgotten-password", methods=["GET", "POST"])
def forgotten_password() -> str | Response:
    """Always answers the same, whether or not an account has the address."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        request_password_reset(
            db.session,
            email=form.email.data or "",
            now=clock.now(),
            secret_key=current_app.config["SECRET_KEY"],
            compose=compose,
        )
        db.session.commit()
        deliver_after_commit()
        return redirect(url_for("auth.forgotten_password_sent"))
    return render_template("auth/forgotten_password.html", form=form)


@blueprint.get("/forgotten-password/sent")
def forgotten_password_sent() -> str:
    return render_template("auth/forgotten_password_sent.html")


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    return _set_password(token, INVITATION)


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    return _set_password(token, PASSWORD_RESET)


def _set_password(token: str, purpose: str) -> str | Response | tuple[str, int]:
    """Show the set-password form for a valid link; a spent or expired link says so."""
    secret = current_app.config["SECRET_KEY"]
    try:
        user = user_for_token(
            db.session, token, purpose=purpose, secret_key=secret, now=clock.now()
        )
    except InvalidLink as error:
        return _invalid_link(error.message)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_with_token(
                db.session,
                token=token,
                purpose=purpose,
                password=form.password.data or "",
                secret_key=secret,
                now=clock.now(),
            )
        except InvalidLink as error:
            db.session.rollback()
            return _invalid_link(error.message)
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            flash("Your password has been set. Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template(
        "auth/set_password.html", form=form, user=user, title=TITLES[purpose], purpose=purpose
    )


def _invalid_link(message: str) -> tuple[str, int]:
    return render_template("auth/link_invalid.html", message=message), 400


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_own_password() -> str | Response:
    """Change your password; your other sessions end, this one carries on."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(
                db.session,
                user,
                current_password=form.current_password.data or "",
                new_password=form.new_password.data or "",
                now=clock.now(),
                address=request.remote_addr or "unknown",
                limits=login_limits(),
            )
        except DomainError as error:
            if isinstance(error, WrongCurrentPassword):
                db.session.commit()  # keep the failure count and its audit event
            else:
                db.session.rollback()
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            db.session.commit()
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(user, remember=remembered in request.cookies)
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("home.home"))
    return render_template("auth/change_password.html", form=form)
