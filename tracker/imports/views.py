"""GET/POST /admin/imports: upload a round's results (admins only).

All or nothing: on any problem the page lists every one (row and column) and nothing is
written; on success it redirects with the one-line summary.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import require
from tracker.domain.errors import DomainError, InvalidInput, Problem
from tracker.domain.rounds.comparison import list_rounds
from tracker.domain.rounds.importing import CONCURRENT_IMPORT, import_round
from tracker.extensions import db
from tracker.imports.blueprint import blueprint
from tracker.imports.forms import ImportForm


@blueprint.route("/admin/imports", methods=["GET", "POST"])
@login_required
def upload() -> tuple[str, int] | Response:
    require("import_round")
    form = ImportForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        max_bytes = current_app.config["IMPORT_MAX_BYTES"]
        try:
            summary = import_round(
                db.session,
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
            )
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.round_name.errors.append(CONCURRENT_IMPORT)
        except InvalidInput as error:
            db.session.rollback()
            problems = error.problems
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "file", form.file).errors.append(error.message)
        else:
            flash(str(summary), "success")
            return redirect(url_for("imports.upload"))
    status = 400 if problems or form.errors else 200
    rounds = list_rounds(db.session, current_user.organisation_id)
    return render_template(
        "imports/upload.html", form=form, problems=problems, rounds=rounds
    ), status
