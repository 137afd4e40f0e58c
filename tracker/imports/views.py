"""GET/POST /admin/imports: upload a round's results (admins only).

All or nothing: on any problem the page lists every one (row and column) and nothing is
written; on success it redirects with the one-line summary.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import require
from tracker.core.saving import save_change, show_error
from tracker.database import db_session
from tracker.domain.errors import DomainError, InvalidInput
from tracker.domain.rounds.comparison import list_rounds
from tracker.domain.rounds.importing import CONCURRENT_IMPORT, import_round
from tracker.imports.blueprint import blueprint
from tracker.imports.forms import ImportForm


@blueprint.route("/admin/imports", methods=["GET", "POST"])
@login_required
def upload() -> tuple[str, int] | Response:
    """A file's problems are listed in full; any other refusal is shown on its field (the file
    when it names none); losing a race with another import says so on the round name."""
    require("import_round")
    form = ImportForm()

    def page(status: int, invalid: InvalidInput | None = None) -> tuple[str, int]:
        rounds = list_rounds(db_session(), current_user.organisation_id)
        return render_template(
            "imports/upload.html",
            form=form,
            problems=invalid.problems if invalid else [],
            more_problems=invalid.more if invalid else 0,
            total_problems=invalid.total if invalid else 0,
            rounds=rounds,
        ), status

    def raced(_: IntegrityError) -> tuple[str, int]:
        show_error(form, DomainError(CONCURRENT_IMPORT, "round_name"))
        return page(400)

    if not form.is_submitted():
        return page(200)
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    return save_change(
        form,
        lambda: import_round(
            db_session(),
            current_user,
            organisation=current_user.organisation,
            data=form.file.data.read(max_bytes + 1),
            round_name=form.round_name.data or "",
            held_on=form.held_on.data or clock.today(),
            next_round_on=form.next_round_on.data,
            replace=form.replace.data,
            sheet=(form.sheet.data or "").strip() or None,
            now=clock.now(),
            max_bytes=max_bytes,
        ),
        done=str,
        then=url_for("imports.upload"),
        failed=page,
        error_field="file",
        answers={
            InvalidInput: lambda error: page(400, error),
            IntegrityError: raced,
        },
    )
