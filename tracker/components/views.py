"""Domain pages: each component's questions, levels and actions; bulk and leaver reassignment."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker import clock
from tracker.components.blueprint import blueprint
from tracker.components.forms import BulkAssignForm, LeaverForm
from tracker.core.access import current_actor, require
from tracker.core.choices import owner_choices
from tracker.core.input_ranges import PAGE_MAX, int_arg, page_arg
from tracker.core.notices import notifier
from tracker.core.pagination import numbered_pages
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.actions import component_page, dashboard
from tracker.domain.actions import updates as actions
from tracker.domain.errors import NotFound
from tracker.domain.permissions import can


@blueprint.get("/domains")
@login_required
def index() -> str:
    require("view_domains")
    rows = dashboard.domain_overview(db_session(), current_user.organisation_id)
    return render_template("components/index.html", rows=rows)


def render_show(
    component_id: int, form: BulkAssignForm | None = None, status: int = 200
) -> tuple[str, int]:
    """The domain page at `?page=N` (50 actions a page; past the end shows the last page)."""
    try:
        detail = component_page.domain_detail(
            db_session(),
            current_user.organisation_id,
            component_id,
            today=clock.today(),
            page=page_arg(),
        )
    except NotFound:
        abort(404)
    if form is None:
        form = BulkAssignForm(formdata=None)
    form.owner.choices = owner_choices()
    may_assign = can(current_actor(), "assign_action", detail.component)
    page = render_template(
        "components/show.html",
        detail=detail,
        form=form,
        may_assign=may_assign,
        today=clock.today(),
        pages=page_links(detail.actions, component_id),
    )
    return page, status


def page_links(listing: dashboard.ActionPage, component_id: int) -> dict[str, object] | None:
    """Parameters for the NHS.UK pagination macro (None when there is one page)."""

    def href(number: int) -> str:
        return url_for("domains.show", component_id=component_id, page=number, _anchor="actions")

    return numbered_pages(listing.page, listing.pages, href)


@blueprint.get("/domains/<int:component_id>")
@login_required
def show(component_id: int) -> tuple[str, int]:
    require("view_domains")
    return render_show(component_id)


@blueprint.post("/domains/<int:component_id>/assign")
@login_required
def bulk_assign(component_id: int) -> Response | tuple[str, int]:
    require("view_domains")
    try:
        component = component_page.load_component(db_session(), component_id)
    except NotFound:
        abort(404)
    actor = require("assign_action", component)
    form = BulkAssignForm()
    form.owner.choices = owner_choices()

    def assigned(done: actions.BulkAssignment) -> str:
        plural = "s" if done.changed != 1 else ""
        return f"{done.changed} action{plural} assigned to {done.owner.name}."

    return save_change(
        form,
        lambda: actions.bulk_assign_in_component(
            db_session(),
            actor.user,
            component_id,
            form.action_ids.data or [],
            form.owner.data,
            now=clock.now(),
            notify=notifier(),
            due_on=form.due_on.data,
            priority=form.priority.data or None,
        ),
        done=assigned,
        then=url_for(
            "domains.show", component_id=component_id, page=int_arg("page", maximum=PAGE_MAX)
        ),
        failed=lambda status: render_show(component_id, form, status),
    )


@blueprint.route("/domains/reassign-leaver", methods=["GET", "POST"])
@login_required
def reassign_leaver() -> Response | tuple[str, int]:
    actor = require("reassign_leaver")
    form = LeaverForm()
    people = actions.organisation_people(db_session(), actor.organisation_id)
    form.leaver.choices = [(0, "Choose a person")] + [
        (p.id, f"{p.name} ({p.email})") for p in people
    ]
    form.new_owner.choices = owner_choices()

    def page(status: int) -> tuple[str, int]:
        html = render_template("components/leaver.html", form=form, limited=not actor.is_admin)
        return html, status

    if request.method == "GET":
        return page(200)
    return save_change(
        form,
        lambda: actions.reassign_leaver_by_id(
            db_session(),
            actor.user,
            leaver_id=form.leaver.data,
            new_owner_id=form.new_owner.data,
            component_ids=None if actor.is_admin else actor.led_component_ids,
            now=clock.now(),
            notify=notifier(),
        ),
        done=lambda moved: f"{moved} open action{'s' if moved != 1 else ''} reassigned.",
        then=url_for("domains.index"),
        failed=page,
    )
