"""GET/POST /admin/imports: upload a round's results (admins only); GET
/admin/imports/results/<id>: what an import did.

All or nothing: on any problem the page lists every one (row and column) and nothing is
written; on success it redirects to the import's result page (back to the upload page with
the one-line summary when the import changed nothing).
"""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import require
from tracker.core.saving import save_change, show_error
from tracker.database import db_session
from tracker.domain.errors import DomainError, InvalidInput, NotFound
from tracker.domain.rounds.comparison import list_rounds
from tracker.domain.rounds.importing import CONCURRENT_IMPORT, ImportSummary, import_round
from tracker.domain.rounds.importing.summary import import_result
from tracker.domain.rounds.importing.writer import NoFramework, ScoresDiffer
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

    def no_framework(_: NoFramework) -> tuple[str, int]:
        show_error(form, DomainError(NO_FRAMEWORK, "file"))
        return page(400)

    def differ(error: ScoresDiffer) -> tuple[str, int]:
        show_error(form, DomainError(f"{error.message}. {REPLACE_ADVICE}", "replace"))
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
        then=_result_page,
        failed=page,
        error_field="file",
        answers={
            InvalidInput: lambda error: page(400, error),
            IntegrityError: raced,
            ScoresDiffer: differ,
            NoFramework: no_framework,
        },
    )


NO_FRAMEWORK = (
    "No framework is loaded yet, so results cannot be matched to its questions. Ask the person "
    "who runs the tracker for your organisation to load the NHS IMPACT framework."
)
REPLACE_ADVICE = (
    "To overwrite them, tick “Replace the scores if this round already has different ones” "
    "and upload the file again: every action and its history are kept. Or use a new round name."
)


def _result_page(summary: ImportSummary) -> str:
    if summary.event_id is None:
        return url_for("imports.upload")
    return url_for("imports.result", event_id=summary.event_id)


@blueprint.get("/admin/imports/results/<int:event_id>")
@login_required
def result(event_id: int) -> str:
    """What the import did: questions moved, actions spawned, carried forward, to review."""
    require("import_round")
    try:
        summary = import_result(db_session(), current_user.organisation_id, event_id)
    except NotFound:
        abort(404)
    return render_template("imports/result.html", summary=summary)
