"""Action pages: my actions, the filtered list, and one action with its forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker import clock
from tracker.actions.blueprint import blueprint
from tracker.actions.forms import (
    AssignForm,
    MilestoneForm,
    MoveForm,
    ProgressForm,
    ReplanForm,
    TickForm,
)
from tracker.core.access import action_or_404, current_actor, require
from tracker.core.choices import owner_choices
from tracker.core.notices import notifier
from tracker.core.saving import in_section, save_change
from tracker.database import db_session
from tracker.domain.actions import dashboard, decisions, lifecycle, milestones
from tracker.domain.actions import updates as actions
from tracker.domain.audit.wording import describe_events
from tracker.domain.errors import NotFound
from tracker.domain.permissions import can
from tracker.models import Action, Milestone

PAGE_VERBS = (
    "update_action",
    "decide_action",
    "assign_action",
    "plan_action",
    "replan_milestone",
    "add_evidence",
    "review_evidence",
    "view_evidence_file",
)


def render_action(action_id: int, status: int = 200, **forms: Any) -> tuple[str, int]:
    """The action page; forms passed in (with their errors) replace the blank ones."""
    session = db_session()
    action = actions.load_action_page(session, action_id)
    actor = current_actor()
    allowed = {verb: can(actor, verb, action) for verb in PAGE_VERBS}
    defaults: dict[str, Any] = {
        "move_form": MoveForm(formdata=None, prefix="move"),
        "progress_form": ProgressForm(formdata=None),
        "milestone_form": MilestoneForm(formdata=None, prefix="milestone"),
        "assign_form": AssignForm(
            formdata=None,
            prefix="assign",
            owner=action.owner_id,
            due_on=action.due_on,
            priority=action.priority,
            version=action.version,
        ),
        "tick_form": TickForm(formdata=None),
    }
    defaults.update(forms)
    defaults["assign_form"].owner.choices = owner_choices()
    defaults["move_form"].version.data = action.version
    defaults["assign_form"].version.data = action.version
    history = actions.history(session, action)
    page = render_template(
        "actions/show.html",
        action=action,
        history=describe_events(session, history),
        allowed=allowed,
        moves=lifecycle.moves_for(actor, action) if actor else [],
        why_in_review=decisions.why_in_review(action),
        today=clock.today(),
        messages_in_sections=True,
        **defaults,
    )
    return page, status


@blueprint.get("/my-actions")
@login_required
def mine() -> str:
    actor = require("view")
    scope = dashboard.Scope(organisation_id=actor.organisation_id, owner_id=actor.user.id)
    rows = dashboard.my_actions(db_session(), scope, today=clock.today())
    return render_template("actions/mine.html", rows=rows, today=clock.today())


@blueprint.get("/actions/<int:action_id>")
@login_required
def show(action_id: int) -> tuple[str, int]:
    require("view_action", action_or_404(action_id))
    return render_action(action_id)


def back_to(action_id: int, section: str) -> str:
    """Where a save from the action page goes: back to its section (its message shows there,
    flashed in the category `in_section(section)`)."""
    return url_for("actions.show", action_id=action_id, _anchor=section)


def save_from_page(
    action_id: int,
    form_name: str,
    form: Any,
    change: Callable[[], object],
    done: str | Callable[[Any], str],
    section: str = "about",
) -> Response | tuple[str, int]:
    """Every form on the action page: the shared save_change, then back to the section of the
    action page the form is in (SECTIONS), its message shown there; on a refusal the page
    again with that form's errors (400) or the conflict message (409)."""
    return save_change(
        form,
        change,
        done=done,
        failed=lambda status: render_action(action_id, status, **{form_name: form}),
        then=back_to(action_id, section),
        flash_category=in_section(section),
    )


@blueprint.post("/actions/<int:action_id>/assign")
@login_required
def assign(action_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    actor = require("assign_action", action)
    form = AssignForm(prefix="assign")
    form.owner.choices = owner_choices()
    return save_from_page(action_id, "assign_form", form, lambda: actions.assign_by_id(
        db_session(), actor.user, action, owner_id=form.owner.data,
        due_on=form.due_on.data, priority=form.priority.data or "",
        now=clock.now(), expected_version=form.version_number() or -1, notify=notifier(),
    ), "Assignment saved.", "assignment")  # fmt: skip


@blueprint.post("/actions/<int:action_id>/progress")
@login_required
def progress(action_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    actor = require("update_action", action)
    form = ProgressForm()
    return save_from_page(action_id, "progress_form", form, lambda: actions.add_progress(
        db_session(), actor.user, action, percent=form.percent.data,
        text=form.note.data or "", now=clock.now(),
    ), "Progress update saved.", "progress")  # fmt: skip


@blueprint.post("/actions/<int:action_id>/milestones")
@login_required
def add_milestone(action_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    actor = require("plan_action", action)
    form = MilestoneForm(prefix="milestone")
    return save_from_page(action_id, "milestone_form", form, lambda: milestones.add_milestone(
        db_session(), actor.user, action, title=form.title.data or "",
        weight=form.weight.data, due_on=form.due_on.data, now=clock.now(),
    ), "Milestone added.", "milestones")  # fmt: skip


def load_milestone_or_404(action: Action, milestone_id: int) -> Milestone:
    try:
        return milestones.load_milestone(db_session(), action, milestone_id)
    except NotFound:
        abort(404)


@blueprint.post("/actions/<int:action_id>/milestones/<int:milestone_id>/done")
@login_required
def tick(action_id: int, milestone_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    milestone = load_milestone_or_404(action, milestone_id)
    actor = require("update_action", milestone)
    form = TickForm()

    def marked(_: object) -> str:
        done = form.done.data == "1"
        return "Milestone marked as done." if done else "Milestone marked as not done."

    return save_from_page(action_id, "tick_form", form, lambda: milestones.set_done(
        db_session(), actor.user, milestone, done=form.done.data == "1", now=clock.now(),
        expected_version=form.shown_version(),
    ), marked, "milestones")  # fmt: skip


@blueprint.route(
    "/actions/<int:action_id>/milestones/<int:milestone_id>/replan", methods=["GET", "POST"]
)
@login_required
def replan(action_id: int, milestone_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    milestone = load_milestone_or_404(action, milestone_id)
    actor = require("replan_milestone", milestone)
    form = ReplanForm()

    def page(status: int) -> tuple[str, int]:
        html = render_template("actions/replan.html", action=action, milestone=milestone, form=form)
        return html, status

    if request.method == "GET":
        form.due_on.data = milestone.due_on
        form.version.data = str(milestone.version)
        return page(200)
    return save_change(
        form,
        lambda: milestones.replan(
            db_session(),
            actor.user,
            milestone,
            new_due_on=form.due_on.data,
            reason=form.reason.data or "",
            now=clock.now(),
            expected_version=form.shown_version(),
        ),
        done="Milestone re-planned.",
        failed=page,
        then=back_to(action_id, "milestones"),
        flash_category=in_section("milestones"),
    )
