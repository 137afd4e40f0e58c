"""/notifications: what the tracker has emailed the signed-in person. /admin/notifications:
failed and pending emails with their errors; retry one or all failed."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import require
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.errors import NotFound
from tracker.domain.notices.inbox import SHOWN, messages_for
from tracker.domain.outbox.delivery import outbox_overview, retry_failed, retry_one_failed
from tracker.notifications.blueprint import blueprint


class RetryForm(FlaskForm):
    """No fields: the CSRF token is the form."""


@blueprint.get("/notifications")
@login_required
def mine() -> str:
    """Every signed-in person may see what was sent to them, and only that."""
    messages = messages_for(db_session(), current_user)
    return render_template("notifications/mine.html", messages=messages, shown=SHOWN)


@blueprint.get("/admin/notifications")
@login_required
def index() -> str:
    require("manage_notifications")
    rows = outbox_overview(db_session())
    return render_template(
        "notifications/index.html",
        failed=[row for row in rows if row.status == "failed"],
        waiting=[row for row in rows if row.status != "failed"],
        form=RetryForm(),
    )


def _retry(change: Callable[[], int], *, message: Callable[[int], str]) -> Response:
    """Re-queue failed emails. Nothing is sent from the web worker: the sender process
    (`flask scheduler run`) sends due emails every OUTBOX_POLL_SECONDS, so a slow or silent
    mail server never holds a page up."""
    form = RetryForm()
    if not form.validate_on_submit():
        abort(400)
    return save_change(
        form,
        change,
        validate=False,
        done=message,
        then=url_for("notifications.index"),
        failed=abort,  # retrying is never refused on the form; a conflict answers its status
        answers={NotFound: lambda _: abort(404)},
    )


@blueprint.post("/admin/notifications/<int:notification_id>/retry")
@login_required
def retry_one(notification_id: int) -> Response:
    actor = require("manage_notifications")
    return _retry(
        lambda: retry_one_failed(db_session(), actor.user, notification_id, now=clock.now()),
        message=lambda _: "Email queued again: it will be sent within a minute or two.",
    )


@blueprint.post("/admin/notifications/retry-failed")
@login_required
def retry_all() -> Response:
    actor = require("manage_notifications")
    return _retry(
        lambda: retry_failed(db_session(), actor.user, now=clock.now()),
        message=lambda count: (
            f"{count} failed email{'s' if count != 1 else ''} queued again: "
            "they will be sent within a minute or two."
        ),
    )
