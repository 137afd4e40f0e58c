"""Sign in and sign out, with failed attempts limited per account and per address."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth.blueprint import blueprint
from tracker.auth.forms import SignInForm
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.accounts.sign_in import Limits, SignInRefused, authenticate

_UNSAFE = set(string.whitespace) | {"\\"} | {chr(c) for c in range(32)} | {chr(127)}


def safe_next(target: str | None) -> str:
    """Only follow `next` within this site: a path, never another host or scheme.

    Backslashes and control characters are refused too, since browsers read "/\\evil.com"
    and "/\\t/evil.com" as links to another host.
    """
    if target and target.startswith("/") and not _UNSAFE.intersection(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return url_for("home.home")


def login_limits() -> Limits:
    config = current_app.config
    return Limits(
        per_account=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        lockout_minutes=config["LOGIN_LOCKOUT_MINUTES"],
    )


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> tuple[str, int] | Response:
    """A refused sign-in is kept (its failure counts and audit event are committed) and shown
    on the email field; a good one signs the user in once committed."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()

    def page(status: int) -> tuple[str, int]:
        return render_template("auth/sign_in.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: authenticate(
            db_session(),
            email=form.email.data or "",
            password=form.password.data or "",
            address=request.remote_addr or "unknown",
            now=clock.now(),
            limits=login_limits(),
        ),
        done="",
        then=safe_next(request.args.get("next")),
        failed=page,
        refused_status=200,
        commit_refused=(SignInRefused,),
        after_commit=lambda user: login_user(user, remember=bool(form.remember.data)),
    )


@blueprint.post("/sign-out")
@login_required
def sign_out() -> Response:
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
