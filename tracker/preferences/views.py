"""/account/preferences: choose a monthly or weekly reminder digest."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker import clock
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.reminders.sweeps import set_digest_frequency
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


@blueprint.route("/preferences", methods=["GET", "POST"])
@login_required
def edit() -> tuple[str, int] | Response:
    form = PreferencesForm(digest_frequency=current_user.digest_frequency)

    def page(status: int) -> tuple[str, int]:
        return render_template("preferences/edit.html", form=form), status

    if not form.is_submitted():
        return page(200)
    return save_change(
        form,
        lambda: set_digest_frequency(
            db_session(), current_user, form.digest_frequency.data, now=clock.now()
        ),
        done="Your email preferences have been saved.",
        then=url_for("preferences.edit"),
        failed=page,
        refused_status=200,
    )
