"""Evidence: add a file, link or note to an action; download a file; review; withdraw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import action_or_404, require
from tracker.core.downloads import content_disposition
from tracker.core.notices import notifier
from tracker.core.saving import in_section, save_change
from tracker.database import db_session
from tracker.domain.errors import NotFound
from tracker.domain.evidence import storage as evidence_storage
from tracker.domain.evidence import submissions as evidence_domain
from tracker.evidence.blueprint import blueprint
from tracker.evidence.forms import (
    FileEvidenceForm,
    LinkEvidenceForm,
    NoteEvidenceForm,
    ReviewForm,
    WithdrawForm,
)
from tracker.models import Action, Evidence, ReviewStatus, User

IN_EVIDENCE = in_section("evidence")  # every save returns to the action page's evidence
FORMS = {"file": FileEvidenceForm, "link": LinkEvidenceForm, "note": NoteEvidenceForm}


def load_evidence_or_404(evidence_id: int) -> Evidence:
    try:
        return evidence_domain.load_evidence(db_session(), evidence_id)
    except NotFound:
        abort(404)


def with_milestones(form: Any, action: Action) -> Any:
    choices = [(0, "Not tied to a milestone")]
    form.milestone_id.choices = choices + [(m.id, m.title) for m in action.milestones]
    return form


def render_new(action: Action, status: int = 200, **given: Any) -> tuple[str, int]:
    forms = {
        f"{kind}_form": given.get(kind) or with_milestones(cls(formdata=None, prefix=kind), action)
        for kind, cls in FORMS.items()
    }
    page = render_template(
        "evidence/new.html",
        action=action,
        max_mb=current_app.config["EVIDENCE_MAX_BYTES"] // (1024 * 1024),
        allowed=evidence_storage.ALLOWED_DESCRIPTION,
        **forms,
    )
    return page, status


@blueprint.get("/actions/<int:action_id>/evidence/new")
@login_required
def new(action_id: int) -> tuple[str, int]:
    action = action_or_404(action_id)
    require("add_evidence", action)
    return render_new(action)


def read_upload(form: FileEvidenceForm) -> tuple[str, bytes]:
    """The uploaded name and at most one byte more than the limit (enough to refuse it)."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return "", b""
    return upload.filename, upload.stream.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)


def adding(kind: str, form: Any, actor: User, action: Action) -> Callable[[], Evidence]:
    """The one domain call that adds this kind of evidence from its form, once it is valid."""

    def add() -> Evidence:
        session, now = db_session(), clock.now()
        title, milestone_id = form.title.data or "", form.milestone_id.data or None
        if kind == "file":
            filename, data = read_upload(form)
            return evidence_domain.add_file(
                session, actor, action, filename=filename, data=data, title=title,
                milestone_id=milestone_id, upload_dir=current_app.config["UPLOAD_DIR"],
                max_bytes=current_app.config["EVIDENCE_MAX_BYTES"], now=now,
            )  # fmt: skip
        if kind == "link":
            return evidence_domain.add_link(
                session, actor, action, url=form.url.data or "", title=title,
                milestone_id=milestone_id, now=now,
            )  # fmt: skip
        return evidence_domain.add_note(
            session, actor, action, note=form.note.data or "", title=title,
            milestone_id=milestone_id, now=now,
        )  # fmt: skip

    return add


def discard_file(added: Evidence) -> None:
    """A file stored for evidence whose row was not committed is removed again."""
    if added.stored_name:
        evidence_storage.discard(current_app.config["UPLOAD_DIR"], added.stored_name)


@blueprint.post("/actions/<int:action_id>/evidence/<kind>")
@login_required
def add(action_id: int, kind: str) -> Response | tuple[str, int]:
    if kind not in FORMS:
        abort(404)
    action = action_or_404(action_id)
    actor = require("add_evidence", action)
    form = with_milestones(FORMS[kind](prefix=kind), action)
    return save_change(
        form,
        adding(kind, form, actor.user, action),
        done="Evidence added. The director will review it.",
        then=url_for("actions.show", action_id=action_id, _anchor="evidence"),
        flash_category=IN_EVIDENCE,
        failed=lambda status: render_new(action, status, **{kind: form}),
        undo=discard_file,
    )


def unavailable(title: str, message: str, code: int) -> tuple[str, int]:
    page = render_template("evidence/unavailable.html", title=title, message=message)
    return page, code


@blueprint.get("/evidence/<int:evidence_id>/download")
@login_required
def download(evidence_id: int) -> Response | tuple[str, int]:
    evidence = load_evidence_or_404(evidence_id)
    require("view_evidence_file", evidence)
    if evidence.kind != "file":
        abort(404)
    try:
        data = evidence_storage.read_verified(
            current_app.config["UPLOAD_DIR"], evidence.stored_name or "", evidence.sha256 or ""
        )
    except evidence_storage.EvidenceFileChanged as error:
        current_app.logger.warning("evidence %s failed its hash check", evidence.id)
        return unavailable("This file has changed since it was uploaded", error.message, 409)
    except evidence_storage.EvidenceFileMissing as error:
        return unavailable("This file is no longer available", error.message, 410)
    response = Response(data, mimetype=evidence.content_type or "application/octet-stream")
    filename = evidence.original_filename or "evidence"
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/evidence/<int:evidence_id>/review", methods=["GET", "POST"])
@login_required
def review(evidence_id: int) -> Response | tuple[str, int]:
    evidence = load_evidence_or_404(evidence_id)
    actor = require("review_evidence", evidence)
    form = ReviewForm()

    def page(status: int) -> tuple[str, int]:
        return render_template("evidence/review.html", evidence=evidence, form=form), status

    def reviewed(_: object) -> str:
        word = "accepted" if form.decision.data == ReviewStatus.ACCEPTED else "rejected"
        return f"Evidence {word}."

    if request.method == "GET":
        form.version.data = str(evidence.version)
        return page(200)
    return save_change(
        form,
        lambda: evidence_domain.review(
            db_session(),
            actor.user,
            evidence,
            decision=form.decision.data or "",
            note=form.note.data or "",
            now=clock.now(),
            expected_version=form.shown_version(),
            notify=notifier(),
        ),
        done=reviewed,
        then=url_for("actions.show", action_id=evidence.action_id, _anchor="evidence"),
        flash_category=IN_EVIDENCE,
        failed=page,
    )


@blueprint.post("/evidence/<int:evidence_id>/withdraw")
@login_required
def withdraw(evidence_id: int) -> Response:
    evidence = load_evidence_or_404(evidence_id)
    actor = require("add_evidence", evidence)
    back = url_for("actions.show", action_id=evidence.action_id, _anchor="evidence")
    # A button on the action page: nothing to validate (CSRFProtect has checked its token);
    # a refusal is flashed there.
    return save_change(
        WithdrawForm(),
        lambda: evidence_domain.withdraw(db_session(), actor.user, evidence, now=clock.now()),
        done="Evidence withdrawn.",
        then=back,
        flash_category=IN_EVIDENCE,
        failed=lambda status: redirect(back),
        validate=False,
        flash_refusal="info",
    )
