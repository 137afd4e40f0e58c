"""Users and roles: list, invite, change role, deactivate and reactivate, resend invitations."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import ActionForm, InviteForm, RoleForm
from tracker.core.access import permission_required
from tracker.core.account_emails import compose
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.accounts import administration as user_admin
from tracker.domain.accounts.invitations import invite_user, send_invitation
from tracker.domain.errors import NotFound
from tracker.models import User


def _user_or_404(user_id: int) -> User:
    try:
        return user_admin.load_user(db_session(), user_id)
    except NotFound:
        abort(404)


def _me() -> User:
    me: User = current_user._get_current_object()
    return me


@blueprint.get("/users")
@permission_required("manage_users")
def users() -> str:
    return render_template("admin/users.html", people=user_admin.list_users(db_session()))


@blueprint.route("/users/invite", methods=["GET", "POST"])
@permission_required("manage_users")
def invite() -> tuple[str, int] | Response:
    form = InviteForm()

    def page(status: int) -> tuple[str, int]:
        return render_template("admin/invite.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: invite_user(
            db_session(),
            _me(),
            email=form.email.data or "",
            name=form.name.data or "",
            role=form.role.data or "",
            now=clock.now(),
            secret_key=current_app.config["SECRET_KEY"],
            compose=compose,
        ),
        done=lambda user: f"Invitation sent to {user.email}. The link works for 7 days.",
        then=url_for("admin.users"),
        failed=page,
        refused_status=200,
        error_field="email",
    )


@blueprint.get("/users/<int:user_id>")
@permission_required("manage_users")
def user(user_id: int) -> tuple[str, int]:
    person = _user_or_404(user_id)
    return _user_page(person, RoleForm(role=person.role))


def _user_page(
    person: User, role_form: RoleForm, status: int = 200, problem: str | None = None
) -> tuple[str, int]:
    """The user's page: details, role form, buttons, and a problem to show when there is one."""
    page = render_template(
        "admin/user.html",
        person=person,
        role_form=role_form,
        action_form=ActionForm(),
        leads=user_admin.leads_of(db_session(), person),
        problem=problem,
    )
    return page, status


@blueprint.post("/users/<int:user_id>/role")
@permission_required("manage_users")
def change_role(user_id: int) -> tuple[str, int] | Response:
    person = _user_or_404(user_id)
    form = RoleForm()
    return save_change(
        form,
        lambda: user_admin.change_role(
            db_session(), _me(), person, form.role.data or "", now=clock.now()
        ),
        done=lambda _: f"{person.name} is now {person.role}.",
        then=url_for("admin.user", user_id=person.id),
        failed=lambda status: _user_page(person, form, status),
        error_field="role",
    )


def _user_action(
    user_id: int, change: Callable[[User], object], done: str
) -> tuple[str, int] | Response:
    """Run one button's change (deactivate, reactivate, resend) and report the outcome; a
    refusal is shown above the user's page."""
    person = _user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return save_change(
        form,
        lambda: change(person),
        validate=False,
        done=lambda _: done.format(name=person.name),
        then=url_for("admin.user", user_id=person.id),
        failed=lambda status: _user_page(
            person,
            RoleForm(formdata=None, role=person.role),
            status,
            " ".join(form.form_errors),
        ),
    )


@blueprint.post("/users/<int:user_id>/deactivate")
@permission_required("manage_users")
def deactivate(user_id: int) -> tuple[str, int] | Response:
    return _user_action(
        user_id,
        lambda person: user_admin.deactivate(db_session(), _me(), person, now=clock.now()),
        "{name} has been deactivated and signed out everywhere.",
    )


@blueprint.post("/users/<int:user_id>/reactivate")
@permission_required("manage_users")
def reactivate(user_id: int) -> tuple[str, int] | Response:
    return _user_action(
        user_id,
        lambda person: user_admin.reactivate(db_session(), _me(), person, now=clock.now()),
        "{name} can sign in again.",
    )


@blueprint.post("/users/<int:user_id>/resend-invitation")
@permission_required("manage_users")
def resend_invitation(user_id: int) -> tuple[str, int] | Response:
    return _user_action(
        user_id,
        lambda person: send_invitation(
            db_session(),
            _me(),
            person,
            now=clock.now(),
            secret_key=current_app.config["SECRET_KEY"],
            compose=compose,
        ),
        "A new invitation has been sent to {name}.",
    )
