"""/account/preferences: choose a monthly or weekly reminder digest, and whether to get the
emails about assignments, evidence not accepted, and actions you own completed or cancelled."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired

from tracker import clock
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.notices.preferences import save_preferences
from tracker.models import DigestFrequency
from tracker.preferences.blueprint import blueprint


class PreferencesForm(FlaskForm):
    digest_frequency = RadioField(
        "How often do you want a summary of your actions?",
        choices=[
            (DigestFrequency.MONTHLY.value, "Monthly, on the first weekday of the month"),
            (DigestFrequency.WEEKLY.value, "Weekly, on Mondays"),
        ],
        validators=[InputRequired("Select how often you want a summary")],
    )
    email_on_assignment = BooleanField(
        "When an action is assigned to me, or one of mine is given to someone else"
    )
    email_on_evidence_rejected = BooleanField("When evidence I added or own is not accepted")
    email_action_closed = BooleanField("When an action I own is completed or cancelled")


@blueprint.route("/preferences", methods=["GET", "POST"])
@login_required
def edit() -> tuple[str, int] | Response:
    form = PreferencesForm(
        digest_frequency=current_user.digest_frequency,
        email_on_assignment=current_user.email_on_assignment,
        email_on_evidence_rejected=current_user.email_on_evidence_rejected,
        email_action_closed=current_user.email_action_closed,
    )

    def page(status: int) -> tuple[str, int]:
        return render_template("preferences/edit.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: save_preferences(
            db_session(),
            current_user,
            digest_frequency=form.digest_frequency.data,
            email_on_assignment=bool(form.email_on_assignment.data),
            email_on_evidence_rejected=bool(form.email_on_evidence_rejected.data),
            email_action_closed=bool(form.email_action_closed.data),
            now=clock.now(),
        ),
        done="Your email preferences have been saved.",
        then=url_for("preferences.edit"),
        failed=page,
        refused_status=200,
    )
