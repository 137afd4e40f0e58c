"""The action list's filter form (sent by GET) and its export: what the page and the download
share, so a CSV or XLSX holds exactly the actions the page listed."""

from __future__ import annotations

from typing import Any

from flask import abort, make_response, render_template, request
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField, SearchField, SelectField
from wtforms.validators import Length

from tracker import clock
from tracker.actions.blueprint import blueprint
from tracker.core.access import current_actor, require, scope_for
from tracker.core.downloads import content_disposition
from tracker.core.input_ranges import page_arg
from tracker.database import db_session
from tracker.domain.actions import dashboard, listing
from tracker.domain.actions.plan_export import HEADER, action_plan_rows
from tracker.domain.permissions import Actor, can
from tracker.domain.spreadsheet import write_csv, write_xlsx
from tracker.models import ActionStatus, Component, Role

NOT_ASSIGNED = "none"
STATUS_CHOICES = [
    ("", "Any status"),
    (listing.OPEN_ONLY, "Open (not started, in progress or review)"),
]
STATUS_CHOICES += [(s.value, s.value.replace("_", " ").capitalize()) for s in ActionStatus]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ActionFilterForm(FlaskForm):
    """The filters, read from the address (GET: no CSRF token, it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(
        "Search titles and descriptions",
        validators=[
            Length(max=listing.TEXT_MAX, message="Search text must be 200 characters or fewer")
        ],
    )
    component = SelectField(
        "Domain", default="", invalid_choice_message="Choose a domain from the list"
    )
    status = SelectField(
        "Status",
        choices=STATUS_CHOICES,
        default="",
        invalid_choice_message="Choose a status from the list",
    )
    owner = SelectField("Owner", default="", invalid_choice_message="Choose an owner from the list")
    overdue = BooleanField("Only overdue actions")
    awaiting_review = BooleanField("Only actions with evidence awaiting review")
    led = BooleanField("Only the domains I lead")

    def chosen(self, actor: Actor) -> listing.ActionFilter:
        """The filter the valid form asks for."""
        owner = self.owner.data or ""
        return listing.ActionFilter(
            status=self.status.data or None,
            component_id=int(self.component.data) if self.component.data else None,
            component_ids=actor.led_component_ids if self.led.data and leads(actor) else None,
            owner_id=listing.NOBODY if owner == NOT_ASSIGNED else (int(owner) if owner else None),
            overdue=bool(self.overdue.data),
            awaiting_review=bool(self.awaiting_review.data),
            text=(self.q.data or "").strip(),
        )

    def address_values(self) -> dict[str, str]:
        """The filters as query arguments (for pagination and the download links)."""
        values = {"q": (self.q.data or "").strip(), "component": self.component.data or "",
                  "status": self.status.data or "", "owner": self.owner.data or ""}  # fmt: skip
        values |= {name: "1" for name in ("overdue", "awaiting_review", "led") if self[name].data}
        return {key: value for key, value in values.items() if value}


def leads(actor: Actor) -> bool:
    return actor.role == Role.DIRECTOR and bool(actor.led_component_ids)


def filter_form(actor: Actor) -> ActionFilterForm:
    """The form on the address's arguments, with the organisation's domains and owners."""
    form = ActionFilterForm(request.args)
    session = db_session()
    components = session.scalars(select(Component).order_by(Component.position)).all()
    form.component.choices = [("", "All domains")] + [(str(c.id), c.name) for c in components]
    owners = listing.owners_of_actions(session, actor.organisation_id)
    form.owner.choices = [("", "Anyone"), (NOT_ASSIGNED, "Not assigned")]
    form.owner.choices += [(str(p.id), p.name) for p in owners]
    return form


@blueprint.get("/actions")
@login_required
def index() -> tuple[str, int]:
    actor = require("view")
    form = filter_form(actor)
    if not form.validate():
        return render_template("actions/index.html", form=form, page=None, actor=actor), 400
    page = dashboard.list_actions(
        db_session(), scope_for(actor), today=clock.today(), chosen=form.chosen(actor),
        page=page_arg(),
    )  # fmt: skip
    return render_template(
        "actions/index.html",
        form=form,
        page=page,
        actor=actor,
        values=form.address_values(),
        may_export=can(current_actor(), "export"),
        may_filter_owner=actor.role != Role.OWNER,
        may_filter_led=leads(actor),
    ), 200


@blueprint.get("/actions/export.<fmt>")
@login_required
def export(fmt: str) -> Response:
    """The filtered action list as the action plan spreadsheet (the same columns as
    `flask actions export`)."""
    actor = require("export")
    if fmt not in ("csv", "xlsx"):
        abort(404)
    form = filter_form(actor)
    if not form.validate():
        abort(400)
    scope = scope_for(actor)
    only = listing.matching_ids(
        actor.organisation_id, form.chosen(actor), owner_scope=scope.owner_id,
        review_component_ids=scope.review_component_ids,
        overdue_clause=dashboard.overdue_clause(clock.today()),
    )  # fmt: skip
    rows = action_plan_rows(db_session(), actor.organisation_id, only)
    cells: list[Any] = [row.cells() for row in rows]
    if fmt == "csv":
        response = make_response(write_csv(cells, HEADER))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = make_response(write_xlsx(cells, HEADER, "Action plan"))
        response.headers["Content-Type"] = XLSX
    name = f"action-plan-{clock.today().isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = content_disposition(name)
    return response
