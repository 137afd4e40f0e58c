"""Component leads (which directors lead which components) and the read-only framework view."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import ActionForm, LeadForm
from tracker.core.access import permission_required
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.accounts import administration as user_admin
from tracker.domain.errors import NotFound
from tracker.domain.framework.outline import list_frameworks
from tracker.models import DomainLead


def _lead_form() -> LeadForm:
    """The assign form with its choices: every component and every active director."""
    form = LeadForm()
    components = user_admin.components_in_order(db_session())
    directors = user_admin.active_directors(db_session())
    form.component.choices = [(0, "Choose a component")] + [(c.id, c.name) for c in components]
    form.user.choices = [(0, "Choose a director")] + [(u.id, u.name) for u in directors]
    return form


def _page(form: LeadForm, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "admin/leads.html",
        form=form,
        components=user_admin.components_in_order(db_session()),
        by_component=user_admin.leads_by_component(db_session()),
        action_form=ActionForm(),
    )
    return page, status


def _lead_or_404(lead_id: int) -> DomainLead:
    try:
        return user_admin.load_lead(db_session(), lead_id)
    except NotFound:
        abort(404)


@blueprint.get("/leads")
@permission_required("manage_leads")
def leads() -> tuple[str, int]:
    return _page(_lead_form())


@blueprint.post("/leads")
@permission_required("manage_leads")
def assign_lead() -> tuple[str, int] | Response:
    form = _lead_form()
    return save_change(
        form,
        lambda: user_admin.assign_lead_by_id(
            db_session(),
            current_user._get_current_object(),
            user_id=form.user.data,
            component_id=form.component.data,
            now=clock.now(),
        ),
        done=lambda lead: f"{lead.user.name} now leads {lead.component.name}.",
        then=url_for("admin.leads"),
        failed=lambda status: _page(form, status),
        error_field="user",
    )


@blueprint.post("/leads/<int:lead_id>/remove")
@permission_required("manage_leads")
def remove_lead(lead_id: int) -> Response:
    lead = _lead_or_404(lead_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    name, component = lead.user.name, lead.component.name
    return save_change(
        form,
        lambda: user_admin.remove_lead(
            db_session(), current_user._get_current_object(), lead, now=clock.now()
        ),
        validate=False,
        done=f"{name} no longer leads {component}.",
        then=url_for("admin.leads"),
        failed=abort,  # removing a lead is never refused; a conflict answers its status
    )


@blueprint.get("/framework")
@permission_required("edit_framework")
def framework() -> str:
    """Components, questions, the ordered scale and descriptors (read only)."""
    return render_template("admin/framework.html", frameworks=list_frameworks(db_session()))
