"""Organisations and systems, for platform admins only."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import permission_required, require
from tracker.core.account_emails import compose
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.organisations import directory
from tracker.platform.blueprint import blueprint
from tracker.platform.forms import OrganisationForm, SystemForm


@blueprint.get("/organisations")
@permission_required("manage_organisations")
def organisations() -> str:
    session = db_session()
    return render_template(
        "platform/organisations.html",
        organisations=directory.list_organisations(session),
        systems=directory.list_systems(session),
    )


def _organisation_form() -> OrganisationForm:
    form = OrganisationForm()
    form.system.choices = [("", "None yet")] + [
        (system.code, f"{system.name} ({system.code})")
        for system in directory.list_systems(db_session())
    ]
    return form


@blueprint.route("/organisations/new", methods=["GET", "POST"])
@permission_required("manage_organisations")
def new_organisation() -> tuple[str, int] | Response:
    actor = require("manage_organisations")
    form = _organisation_form()

    def page(status: int) -> tuple[str, int]:
        return render_template("platform/new_organisation.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: directory.create_organisation_with_admin(
            db_session(),
            actor.user,
            code=form.code.data or "",
            name=form.name.data or "",
            system_code=form.system.data or None,
            admin_name=form.admin_name.data or "",
            admin_email=form.email.data or "",
            now=clock.now(),
            secret_key=current_app.config["SECRET_KEY"],
            compose=compose,
        ),
        done=lambda org: (
            f"{org.name} ({org.ods_code}) added. Its first admin has been emailed an invitation."
        ),
        then=url_for("platform.organisations"),
        failed=page,
        refused_status=200,
        error_field="code",
    )


@blueprint.route("/systems/new", methods=["GET", "POST"])
@permission_required("manage_organisations")
def new_system() -> tuple[str, int] | Response:
    actor = require("manage_organisations")
    form = SystemForm()

    def page(status: int) -> tuple[str, int]:
        return render_template("platform/new_system.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: directory.create_system(
            db_session(),
            actor.user,
            code=form.code.data or "",
            name=form.name.data or "",
            now=clock.now(),
        ),
        done=lambda system: f"{system.name} ({system.code}) added.",
        then=url_for("platform.organisations"),
        failed=page,
        refused_status=200,
        error_field="code",
    )
