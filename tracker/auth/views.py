"""Sign in and sign out, with failed attempts limited per account and per address."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth.blueprint import blueprint
from tracker.auth.forms import SignInForm
from tracker.core import openid_client
from tracker.core.saving import save_change
from tracker.core.signed_in import begin, current_token, end, session_lasts
from tracker.database import db_session
from tracker.domain.accounts.live_sessions import end_session
from tracker.domain.accounts.password_sign_in import sign_in_with_password
from tracker.domain.accounts.sign_in import Limits, SignInRefused
from tracker.models import SignInMethod, User

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
    on the email field; a good one starts a fresh signed-in session once committed. With single
    sign-on the page offers it first, and the break-glass setting decides who may still use a
    password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    policy = openid_client.password_policy()

    def page(status: int) -> tuple[str, int]:
        return render_template(
            "auth/sign_in.html",
            form=form,
            single_sign_on=openid_client.configured(),
            provider_name=openid_client.provider_name(),
            password_sign_in=policy.value,
            next_page=request.args.get("next"),
        ), status

    if not form.is_submitted():
        return page(200)
    remember = bool(form.remember.data)
    return save_change(
        form,
        lambda: sign_in_with_password(
            db_session(),
            email=form.email.data or "",
            password=form.password.data or "",
            address=request.remote_addr or "unknown",
            now=clock.now(),
            limits=login_limits(),
            policy=policy,
            provider_name=openid_client.provider_name(),
            lasts=session_lasts(remember=remember),
        ),
        done="",
        then=safe_next(request.args.get("next")),
        failed=page,
        refused_status=200,
        commit_refused=(SignInRefused,),
        after_commit=lambda signed_in: begin(*signed_in, remember=remember),
    )


@blueprint.post("/sign-out")
@login_required
def sign_out() -> Response:
    """End this browser's session server-side (its cookies, copied or not, stop working), start
    a fresh one, and after single sign-on also sign out at the provider when it offers that."""
    user: User = current_user._get_current_object()
    token = current_token() or ""
    return save_change(
        FlaskForm(),
        lambda: end_session(db_session(), user, token, now=clock.now()),
        done="You have signed out.",
        then=_after_sign_out,
        failed=lambda status: redirect(url_for("home.home")),
        after_commit=lambda method: end(),
    )


def _after_sign_out(method: str | None) -> str:
    signed_out = url_for("auth.sign_in")
    if method == SignInMethod.SINGLE_SIGN_ON and openid_client.configured():
        base = str(current_app.config["BASE_URL"]).rstrip("/")
        return openid_client.end_session_url(base + signed_out) or signed_out
    return signed_out
