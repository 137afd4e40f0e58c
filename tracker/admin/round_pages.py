"""Assessment rounds and their dates."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import RoundForm
from tracker.core.access import permission_required
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.errors import NotFound
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
