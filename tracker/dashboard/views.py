"""The dashboard: what needs attention, each number linking to the matching list."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from tracker import clock
from tracker.core.access import require, scope_for
from tracker.dashboard.blueprint import blueprint
from tracker.database import db_session
from tracker.domain.actions import dashboard


@blueprint.get("/dashboard")
@login_required
def index() -> str:
    actor = require("view")
    summary = dashboard.summary(db_session(), scope_for(actor), today=clock.today())
    return render_template("dashboard/index.html", summary=summary, actor=actor)
