"""Assessment rounds and their dates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import clock
from tracker.admin.blueprint import blueprint
from tracker.admin.forms import RoundForm
from tracker.core.access import permission_required
from tracker.domain.errors import DomainError
from tracker.domain.rounds.editing import update_round
from tracker.extensions import db
from tracker.models import AssessmentRound


@blueprint.get("/rounds")
@permission_required("manage_rounds")
def rounds() -> str:
    listed = db.session.scalars(
        select(AssessmentRound).order_by(AssessmentRound.held_on.desc(), AssessmentRound.id)
    ).all()
    return render_template("admin/rounds.html", rounds=listed)


@blueprint.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@permission_required("manage_rounds")
def edit_round(round_id: int) -> str | Response | tuple[str, int]:
    assessment_round = db.session.get(AssessmentRound, round_id)
    if assessment_round is None:
        abort(404)
    form = RoundForm(obj=assessment_round)
    if form.validate_on_submit():
        try:
            changed = update_round(
                db.session,
                current_user._get_current_object(),
                assessment_round,
                name=form.name.data or "",
                held_on=form.held_on.data,
                next_round_on=form.next_round_on.data,
                status=form.status.data or "",
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(
                f"{assessment_round.name} saved." if changed else "Nothing was changed.", "success"
            )
            return redirect(url_for("admin.rounds"))
    status = 400 if form.errors else 200
    return render_template("admin/round.html", form=form, round=assessment_round), status
