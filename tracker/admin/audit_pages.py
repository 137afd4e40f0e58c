"""The whole audit trail, filtered and paginated (a fixed number of queries per page)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for

from tracker.admin.blueprint import blueprint
from tracker.admin.forms import AuditFilterForm
from tracker.core.access import permission_required
from tracker.core.input_ranges import page_arg
from tracker.database import db_session
from tracker.domain.audit.trail import TrailFilter, TrailPage, filter_choices, search
from tracker.domain.audit.wording import ENTITIES, VERBS, describe_events


@blueprint.get("/audit")
@permission_required("view_audit_trail")
def audit_trail() -> tuple[str, int]:
    form = AuditFilterForm(request.args)
    actors, entities, verbs = filter_choices(db_session())
    form.actor.choices = [("", "Anyone")] + [(str(u.id), f"{u.name} ({u.email})") for u in actors]
    form.entity.choices = [("", "Anything")] + [
        (e, ENTITIES.get(e, e.replace("_", " "))) for e in entities
    ]
    form.verb.choices = [("", "Anything")] + [(v, VERBS.get(v, v.replace("_", " "))) for v in verbs]
    if not form.validate():
        empty = TrailPage(events=[], total=0, page=1, pages=1)
        return (
            render_template("admin/audit.html", form=form, trail=empty, events=[], pages={}),
            400,
        )
    wanted = TrailFilter(
        actor_id=int(form.actor.data) if form.actor.data else None,
        entity=form.entity.data or None,
        verb=form.verb.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )
    trail = search(db_session(), wanted, page=page_arg())
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page" and v}
    pages = {
        "previous": url_for("admin.audit_trail", **args, page=trail.page - 1)
        if trail.page > 1
        else None,
        "next": url_for("admin.audit_trail", **args, page=trail.page + 1)
        if trail.page < trail.pages
        else None,
    }
    events = describe_events(db_session(), trail.events)
    page_html = render_template(
        "admin/audit.html", form=form, trail=trail, events=events, pages=pages
    )
    return page_html, 200
