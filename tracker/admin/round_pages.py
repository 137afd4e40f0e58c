"""Assessment rounds: their names and dates, and deleting one imported by mistake (a
confirmation page that says what would go, or why it cannot)."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import ActionForm, RoundForm
from tracker.core.access import permission_required
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.errors import NotFound
from tracker.domain.rounds.deleting import delete_round, plan_deletion
from tracker.domain.rounds.editing import load_round, rounds_newest_first, update_round


@blueprint.get("/rounds")
@permission_required("manage_rounds")
def rounds() -> str:
    return render_template("admin/rounds.html", rounds=rounds_newest_first(db_session()))


@blueprint.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@permission_required("manage_rounds")
def edit_round(round_id: int) -> Response | tuple[str, int]:
    try:
        assessment_round = load_round(db_session(), round_id)
    except NotFound:
        abort(404)
    form = RoundForm(obj=assessment_round)

    def page(status: int) -> tuple[str, int]:
        return render_template("admin/round.html", form=form, round=assessment_round), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: update_round(
            db_session(),
            current_user._get_current_object(),
            assessment_round,
            name=form.name.data or "",
            held_on=form.held_on.data,
            next_round_on=form.next_round_on.data,
            now=clock.now(),
        ),
        done=lambda changed: (
            f"{assessment_round.name} saved." if changed else "Nothing was changed."
        ),
        then=url_for("admin.rounds"),
        failed=page,
        error_field="name",
    )


@blueprint.route("/rounds/<int:round_id>/delete", methods=["GET", "POST"])
@permission_required("manage_rounds")
def delete_round_page(round_id: int) -> Response | tuple[str, int]:
    """GET: what deleting would remove, or why it cannot; POST (from that page): delete."""
    try:
        assessment_round = load_round(db_session(), round_id)
    except NotFound:
        abort(404)
    form = ActionForm()

    def page(status: int) -> tuple[str, int]:
        plan = plan_deletion(db_session(), assessment_round)
        return render_template(
            "admin/round_delete.html", form=form, round=assessment_round, plan=plan
        ), status

    if not form.is_submitted():
        return page(200)
    name = assessment_round.name
    return save_change(
        form,
        lambda: delete_round(
            db_session(), current_user._get_current_object(), assessment_round, now=clock.now()
        ),
        done=f"{name} deleted.",
        then=url_for("admin.rounds"),
        failed=page,
    )
