"""Component leads (which directors lead which components) and the read-only framework view."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import ActionForm, LeadForm
from tracker.core.access import permission_required
from tracker.domain.accounts import administration as user_admin
from tracker.domain.errors import DomainError
from tracker.extensions import db
from tracker.models import Component, DomainLead, Framework, Question, Role, User


def _lead_form() -> LeadForm:
    """The assign form with its choices: every component and every active director."""
    form = LeadForm()
    components = db.session.scalars(
        select(Component).order_by(Component.framework_id, Component.position)
    ).all()
    directors = db.session.scalars(
        select(User).where(User.role == Role.DIRECTOR, User.is_active).order_by(User.name)
    ).all()
    form.component.choices = [(0, "Choose a component")] + [(c.id, c.name) for c in components]
    form.user.choices = [(0, "Choose a director")] + [(u.id, u.name) for u in directors]
    return form


def _page(form: LeadForm, status: int = 200) -> tuple[str, int]:
    components = db.session.scalars(
        select(Component).order_by(Component.framework_id, Component.position)
    ).all()
    leads = db.session.scalars(
        select(DomainLead).options(joinedload(DomainLead.user)).order_by(DomainLead.id)
    ).all()
    by_component: dict[int, list[DomainLead]] = {}
    for lead in leads:
        by_component.setdefault(lead.component_id, []).append(lead)
    page = render_template(
        "admin/leads.html",
        form=form,
        components=components,
        by_component=by_component,
        action_form=ActionForm(),
    )
    return page, status


@blueprint.get("/leads")
@permission_required("manage_leads")
def leads() -> tuple[str, int]:
    return _page(_lead_form())


@blueprint.post("/leads")
@permission_required("manage_leads")
def assign_lead() -> tuple[str, int] | Response:
    form = _lead_form()
    if form.validate_on_submit():
        component = db.session.get(Component, form.component.data)
        director = db.session.get(User, form.user.data)
        assert component is not None and director is not None  # the choices came from the DB
        try:
            user_admin.assign_lead(
                db.session,
                current_user._get_current_object(),
                user=director,
                component=component,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            form.user.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{director.name} now leads {component.name}.", "success")
            return redirect(url_for("admin.leads"))
    return _page(form, 400)


@blueprint.post("/leads/<int:lead_id>/remove")
@permission_required("manage_leads")
def remove_lead(lead_id: int) -> Response:
    lead = db.session.get(DomainLead, lead_id)
    if lead is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    name, component = lead.user.name, lead.component.name
    user_admin.remove_lead(db.session, current_user._get_current_object(), lead, now=clock.now())
    db.session.commit()
    flash(f"{name} no longer leads {component}.", "success")
    return redirect(url_for("admin.leads"))


@blueprint.get("/framework")
@permission_required("edit_framework")
def framework() -> str:
    """Components, questions, the ordered scale and descriptors (read only)."""
    frameworks = db.session.scalars(
        select(Framework)
        .options(
            selectinload(Framework.levels),
            selectinload(Framework.components)
            .selectinload(Component.questions)
            .selectinload(Question.descriptors),
        )
        .order_by(Framework.id)
    ).all()
    return render_template("admin/framework.html", frameworks=frameworks)
