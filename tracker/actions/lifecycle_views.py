"""Lifecycle moves from the action page, the cancel confirmation, withdrawing a milestone and
the director's decisions queue. Every refusal (an owner cancelling, an illegal move, a
missing reason) is the domain's clear message on the page, and nothing is written."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker import clock
from tracker.actions.blueprint import blueprint
from tracker.actions.forms import CancelForm, MoveForm, ReviewManyForm, WithdrawMilestoneForm
from tracker.actions.views import back_to, load_milestone_or_404, save_from_page
from tracker.core.access import action_or_404, current_actor, require
from tracker.core.action_mail import action_mail
from tracker.core.input_ranges import form_ids
from tracker.core.saving import in_section, save_change
from tracker.database import db_session
from tracker.domain.actions import decisions, lifecycle, milestones
from tracker.domain.errors import PermissionDenied
from tracker.domain.permissions import Actor

DONE = {  # what each move did, without its full stop (the queue adds the action's title)
    "start": "Work started",
    "propose_done": "Action sent to the lead director to sign off",
    "return_to_work": "Action returned to work",
    "sign_off": "Action signed off as completed",
    "cancel": "Action cancelled",
    "reopen": "Action reopened",
}


def _done(form: Any, title: str | None = None) -> str:
    """What the move did, in a sentence; naming the action when the page lists several."""
    did = DONE.get(form.move.data or "", "Saved")
    return f"{did}: “{title}”." if title else f"{did}."


@blueprint.post("/actions/<int:action_id>/status")
@login_required
def change_status(action_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    actor = require("update_action", action)
    form = MoveForm(prefix="move")
    return save_from_page(action_id, "move_form", form, lambda: lifecycle.apply(
        db_session(), actor, action, form.move.data or "", now=clock.now(),
        note=form.note.data or "", outcome=form.outcome.data,
        expected_version=form.shown_version(), mail=action_mail(),
    ), lambda _: _done(form), "change-status")  # fmt: skip


@blueprint.route("/actions/<int:action_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(action_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    actor = require("update_action", action)
    form = CancelForm()

    def page(status: int) -> tuple[str, int]:
        html = render_template("actions/cancel.html", action=action, form=form,
                               may=lifecycle.allowed(actor, action, lifecycle.Move.CANCEL))  # fmt: skip
        return html, status

    if request.method == "GET":
        form.version.data = str(action.version)
        return page(200)
    return save_change(
        form,
        lambda: lifecycle.apply(
            db_session(),
            actor,
            action,
            lifecycle.Move.CANCEL,
            now=clock.now(),
            note=form.note.data or "",
            expected_version=form.shown_version(),
            mail=action_mail(),
        ),
        done="Action cancelled. Its owner has been told.",
        then=back_to(action_id, "change-status"),
        flash_category=in_section("change-status"),
        failed=page,
    )


@blueprint.route(
    "/actions/<int:action_id>/milestones/<int:milestone_id>/withdraw", methods=["GET", "POST"]
)
@login_required
def withdraw_milestone(action_id: int, milestone_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    milestone = load_milestone_or_404(action, milestone_id)
    actor = require("decide_action", milestone)
    form = WithdrawMilestoneForm()

    def page(status: int) -> tuple[str, int]:
        html = render_template(
            "actions/withdraw_milestone.html", action=action, milestone=milestone, form=form
        )
        return html, status

    if request.method == "GET":
        form.version.data = str(milestone.version)
        return page(200)
    return save_change(
        form,
        lambda: milestones.withdraw(
            db_session(),
            actor.user,
            milestone,
            reason=form.reason.data or "",
            now=clock.now(),
            expected_version=form.shown_version(),
        ),
        done="Milestone withdrawn. It stays in the history and no longer counts.",
        then=back_to(action_id, "milestones"),
        flash_category=in_section("milestones"),
        failed=page,
    )


def _queue_scope(actor: Actor) -> frozenset[int] | None:
    """Where the actor decides (`decisions.decision_scope`); a 403 for anyone who does not."""
    try:
        return decisions.decision_scope(actor)
    except PermissionDenied:
        abort(403)


def render_queue(status: int = 200, **forms: Any) -> tuple[str, int]:
    actor = current_actor()
    if actor is None:
        abort(403)
    queue = decisions.load_queue(db_session(), _queue_scope(actor))
    page = render_template(
        "actions/decisions.html",
        queue=queue,
        why=decisions.why_in_review,
        move_form=forms.get("move_form") or MoveForm(formdata=None, prefix="move"),
        blank_move_form=MoveForm(formdata=None, prefix="move"),
        failed_action=forms.get("failed_action"),
        review_form=forms.get("review_form") or ReviewManyForm(formdata=None, prefix="review"),
    )
    return page, status


@blueprint.get("/decisions")
@login_required
def decisions_queue() -> tuple[str, int]:
    require("view")
    return render_queue()


@blueprint.post("/decisions/actions/<int:action_id>")
@login_required
def decide(action_id: int) -> Response | tuple[str, int]:
    action = action_or_404(action_id)
    actor = require("decide_action", action)
    form = MoveForm(prefix="move")
    return save_change(
        form,
        lambda: lifecycle.apply(
            db_session(),
            actor,
            action,
            form.move.data or "",
            now=clock.now(),
            note=form.note.data or "",
            outcome=form.outcome.data,
            expected_version=form.shown_version(),
            mail=action_mail(),
        ),
        done=lambda _: _done(form, action.title),
        then=url_for("actions.decisions_queue"),
        failed=lambda status: render_queue(status, move_form=form, failed_action=action_id),
    )


@blueprint.post("/decisions/evidence")
@login_required
def review_evidence_many() -> Response | tuple[str, int]:
    actor = require("view")
    scope = _queue_scope(actor)
    form = ReviewManyForm(prefix="review")
    chosen = form_ids("evidence_ids")

    def reviewed(count: int) -> str:
        word = "accepted" if form.decision.data == "accepted" else "rejected"
        return f"{count} piece{'s' if count != 1 else ''} of evidence {word}."

    return save_change(
        form,
        lambda: decisions.review_many(
            db_session(),
            actor.user,
            scope,
            chosen,
            decision=form.decision.data or "",
            note=form.note.data or "",
            now=clock.now(),
        ),
        done=reviewed,
        then=url_for("actions.decisions_queue"),
        failed=lambda status: render_queue(status, review_form=form),
    )
