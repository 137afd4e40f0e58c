"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth.forms import SignInForm
from tracker.domain import audit
from tracker.domain.accounts import password_matches
from tracker.extensions import db
from tracker.models import User

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only follow `next` within this site: a path, never another host or scheme."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("core.home")


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignInForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.is_active and password_matches(user, form.password.data or ""):
            user.last_sign_in_at = clock.now()
            audit.record(db.session, user, "user", user.id, "signed_in", at=clock.now())
            db.session.commit()
            login_user(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@blueprint.post("/sign-out")
@login_required
def sign_out() -> Response:
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
