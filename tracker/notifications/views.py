"""/admin/notifications: failed and pending emails with their errors; retry one or all failed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import require
from tracker.domain.outbox.delivery import outbox_overview, retry_failed
from tracker.extensions import db
from tracker.mailing.sender import deliver_outbox
from tracker.notifications.blueprint import blueprint


class RetryForm(FlaskForm):
    """No fields: the CSRF token is the form."""


@blueprint.get("")
@login_required
def index() -> str:
    require("manage_notifications")
    rows = outbox_overview(db.session)
    return render_template(
        "notifications/index.html",
        failed=[row for row in rows if row.status == "failed"],
        waiting=[row for row in rows if row.status != "failed"],
        form=RetryForm(),
    )


@blueprint.post("/<int:notification_id>/retry")
@login_required
def retry_one(notification_id: int) -> Response:
    actor = require("manage_notifications")
    if not RetryForm().validate_on_submit():
        abort(400)
    count = retry_failed(db.session, actor.user, now=clock.now(), notification_id=notification_id)
    if count == 0:
        abort(404)
    db.session.commit()
    report = deliver_outbox()
    flash(f"Email queued again: {report.sent} sent now.", "success")
    return redirect(url_for("notifications.index"))


@blueprint.post("/retry-failed")
@login_required
def retry_all() -> Response:
    actor = require("manage_notifications")
    if not RetryForm().validate_on_submit():
        abort(400)
    count = retry_failed(db.session, actor.user, now=clock.now())
    db.session.commit()
    report = deliver_outbox(None)
    flash(
        f"{count} failed email{'s' if count != 1 else ''} queued again: {report.sent} sent now.",
        "success",
    )
    return redirect(url_for("notifications.index"))
