"""The dashboard: what needs attention, each number linking to the matching list."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from tracker import clock
from tracker.domain import dashboard
from tracker.domain.permissions import Actor
from tracker.extensions import db
from tracker.models import Role
from tracker.web import require

blueprint = Blueprint("dashboard", __name__)


def scope_for(actor: Actor) -> dashboard.Scope:
    """Owners see their own actions; directors review evidence in the components they lead."""
    user = actor.user
    return dashboard.Scope(
        organisation_id=user.organisation_id,
        owner_id=user.id if user.role == Role.OWNER else None,
        review_component_ids=actor.led_component_ids if user.role == Role.DIRECTOR else None,
    )


@blueprint.get("/dashboard")
@login_required
def index() -> str:
    actor = require("view")
    summary = dashboard.summary(db.session, scope_for(actor), today=clock.today())
    return render_template("dashboard/index.html", summary=summary, actor=actor)
