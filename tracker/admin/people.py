"""Users and roles: list, invite, change role, deactivate and reactivate, resend invitations."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import ActionForm, InviteForm, RoleForm
from tracker.core.access import permission_required
from tracker.core.account_emails import compose, deliver_after_commit
from tracker.domain.accounts import administration as user_admin
from tracker.domain.accounts.invitations import invite_user, send_invitation
from tracker.domain.errors import DomainError
from tracker.extensions import db
from tracker.models import DomainLead, User


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _me() -> User:
    return current_user._get_current_object()


@blueprint.get("/users")
@permission_required("manage_users")
def users() -> str:
    people = db.session.scalars(select(User).order_by(User.name, User.id)).all()
    return render_template("admin/users.html", people=people)


@blueprint.route("/users/invite", methods=["GET", "POST"])
@permission_required("manage_users")
def invite() -> str | Response:
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = invite_user(
                db.session,
                _me(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or "",
                now=clock.now(),
                secret_key=current_app.config["SECRET_KEY"],
                compose=compose,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            deliver_after_commit()
            flash(f"Invitation sent to {user.email}. The link works for 7 days.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/invite.html", form=form)


@blueprint.get("/users/<int:user_id>")
@permission_required("manage_users")
def user(user_id: int) -> tuple[str, int]:
    person = _user_or_404(user_id)
    return _user_page(person, RoleForm(role=person.role))


def _user_page(
    person: User, role_form: RoleForm, status: int = 200, problem: str | None = None
) -> tuple[str, int]:
    """The user's page: details, role form, buttons, and a problem to show when there is one."""
    leads = db.session.scalars(
        select(DomainLead)
        .options(joinedload(DomainLead.component))
        .where(DomainLead.user_id == person.id)
        .order_by(DomainLead.id)
    ).all()
    page = render_template(
        "admin/user.html",
        person=person,
        role_form=role_form,
        action_form=ActionForm(),
        leads=leads,
        problem=problem,
    )
    return page, status


@blueprint.post("/users/<int:user_id>/role")
@permission_required("manage_users")
def change_role(user_id: int) -> tuple[str, int] | Response:
    person = _user_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            user_admin.change_role(db.session, _me(), person, form.role.data or "", now=clock.now())
        except DomainError as error:
            db.session.rollback()
            form.role.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{person.name} is now {person.role}.", "success")
            return redirect(url_for("admin.user", user_id=person.id))
    return _user_page(person, form, 400)


def _user_action(
    user_id: int, change: Callable[[User], object], done: str
) -> tuple[str, int] | Response:
    """Run one button's change (deactivate, reactivate, resend) and report the outcome."""
    person = _user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change(person)
    except DomainError as error:
        db.session.rollback()
        return _user_page(person, RoleForm(formdata=None, role=person.role), 400, error.message)
    db.session.commit()
    flash(done.format(name=person.name), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@blueprint.post("/users/<int:user_id>/deactivate")
@permission_required("manage_users")
def deactivate(user_id: int) -> tuple[str, int] | Response:
    return _user_action(
        user_id,
        lambda person: user_admin.deactivate(db.session, _me(), person, now=clock.now()),
        "{name} has been deactivated and signed out everywhere.",
    )


@blueprint.post("/users/<int:user_id>/reactivate")
@permission_required("manage_users")
def reactivate(user_id: int) -> tuple[str, int] | Response:
    return _user_action(
        user_id,
        lambda person: user_admin.reactivate(db.session, _me(), person, now=clock.now()),
        "{name} can sign in again.",
    )


@blueprint.post("/users/<int:user_id>/resend-invitation")
@permission_required("manage_users")
def resend_invitation(user_id: int) -> tuple[str, int] | Response:
    def resend(person: User) -> None:
        send_invitation(
            db.session,
            _me(),
            person,
            now=clock.now(),
            secret_key=current_app.config["SECRET_KEY"],
            compose=compose,
        )

    response = _user_action(user_id, resend, "A new invitation has been sent to {name}.")
    if isinstance(response, Response):
        deliver_after_commit()
    return response
