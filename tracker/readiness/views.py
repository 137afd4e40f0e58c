"""Readiness pages: thin views over tracker.domain.readiness (load, authorise, render)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import action_or_404, current_actor, require
from tracker.core.action_mail import action_mail
from tracker.core.input_ranges import int_arg, page_arg
from tracker.core.pagination import numbered_pages
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.errors import NotFound
from tracker.domain.framework.levels import describe_level, level_with_words
from tracker.domain.organisations.partners import partner_comparison
from tracker.domain.permissions import can
from tracker.domain.readiness import ReadinessReport, compute_readiness, load_trend, round2
from tracker.domain.readiness.board import build_board_pack
from tracker.domain.readiness.calibration import MIN_OUTCOMES
from tracker.domain.readiness.chances import PRIOR_FINISHED
from tracker.domain.readiness.exports import export_rows, load_baseline
from tracker.domain.readiness.history import check_model, record_outcome, rounds_with_means
from tracker.domain.readiness.model import (
    ON_TRACK_FROM,
    PRIOR_SUCCESSES,
    PRIOR_WEIGHT,
    SOME_ISSUES_FROM,
)
from tracker.domain.readiness.report import percent
from tracker.domain.readiness.risks import STALE_AFTER_DAYS
from tracker.domain.spreadsheet import write_csv, write_xlsx
from tracker.readiness import board_charts, charts
from tracker.readiness.at_risk import AT_RISK_SHOWN, at_risk_page
from tracker.readiness.blueprint import blueprint
from tracker.readiness.forms import OutcomeForm
from tracker.readiness.pdf import cached_pdf

METHOD = {
    "prior_successes": PRIOR_SUCCESSES,
    "prior_weight": PRIOR_WEIGHT,
    "on_track_from": int(ON_TRACK_FROM * 100),
    "some_issues_from": int(SOME_ISSUES_FROM * 100),
    "stale_after_days": STALE_AFTER_DAYS,
    "prior_on_time": dict(PRIOR_FINISHED)[0],
}


def _report() -> ReadinessReport | None:
    actor = require("view")
    return compute_readiness(
        db_session(), organisation_id=actor.organisation_id, as_of=clock.today()
    )


def _page(report: ReadinessReport) -> dict[str, Any]:
    """Everything the readiness page and the board report show, built once."""
    organisation_id = report.organisation_id
    rounds = rounds_with_means(db_session(), organisation_id)
    top = charts.max_rank(report)
    points = load_trend(db_session(), report.round_id)
    return {
        "report": report,
        "r2": round2,
        "pct": percent,
        "method": METHOD,
        "rounds": rounds,
        "radar": charts.radar(report, rounds, top),
        "bars": charts.bars(report, top),
        "trend": charts.trend(points, top),
        "component_trend": charts.component_trend(points, report),
        "components": {c.component_id: c for c in report.components},
        "can_export": can(current_actor(), "export"),
        "partners": partner_comparison(db_session(), organisation_id),
        "describe_level": describe_level,
        # Figures as shown (rounded, status from them, level names) and questions by name.
        "shown": report.shown,
        "with_words": lambda value: level_with_words(value, report.level_names),
        "question_text": {q.number: q.text for q in report.questions},
        "link_components": can(current_actor(), "view_domains"),
        "at_risk_shown": AT_RISK_SHOWN,
    }


def _board(report: ReadinessReport) -> dict[str, Any]:
    """Everything the board pack (page and PDF) shows, built once."""
    organisation = require("view").user.organisation
    name = organisation.name if organisation else ""
    pack = build_board_pack(db_session(), report, organisation_name=name)
    return {
        "pack": pack,
        "report": report,
        "r2": round2,
        "pct": percent,
        "method": METHOD,
        "describe_level": describe_level,
        "components_chart": board_charts.components(pack),
        "questions_chart": board_charts.questions(pack),
        "at_risk_shown": AT_RISK_SHOWN,
    }


@blueprint.get("/readiness")
@login_required
def index() -> str:
    report = _report()
    if report is None:
        return render_template("readiness/empty.html")
    return render_template("readiness/index.html", **_page(report))


@blueprint.get("/readiness/at-risk")
@login_required
def at_risk() -> str:
    """Every open action at risk, most at risk first, a page at a time."""
    report = _report()
    if report is None:
        return render_template("readiness/empty.html")
    listing = at_risk_page(report.at_risk, page_arg())
    return render_template(
        "readiness/at_risk.html",
        report=report,
        listing=listing,
        pages=numbered_pages(
            listing.page, listing.pages, lambda n: url_for("readiness.at_risk", page=n)
        ),
        question_text={q.number: q.text for q in report.questions},
        stale_after_days=STALE_AFTER_DAYS,
    )


@blueprint.get("/readiness/board-report")
@login_required
def board_report() -> str:
    report = _report()
    if report is None:
        return render_template("readiness/empty.html")
    return render_template("readiness/board_report.html", **_board(report))


@blueprint.get("/readiness/board-report.pdf")
@login_required
def board_report_pdf() -> Response:
    report = _report()
    if report is None:
        abort(404)
    # The cache is keyed by the page it renders: new numbers, a new snapshot or a change in
    # what partners share give a new PDF, the same page the same PDF.
    html = render_template("readiness/board_report_pdf.html", **_board(report))
    pdf = cached_pdf(html, Path(current_app.instance_path) / "board-reports")
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    name = f"readiness-board-report-{report.as_of.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.get("/readiness/export.<fmt>")
@login_required
def export(fmt: str) -> Response:
    require("export")
    if fmt not in ("csv", "xlsx"):
        abort(404)
    report = _report()
    if report is None:
        abort(404)
    header, rows = export_rows(report, load_baseline(db_session(), report.organisation_id))
    if fmt == "csv":
        body, mimetype = write_csv(rows, header), "text/csv; charset=utf-8"
    else:
        body = write_xlsx(rows, header, sheet_title="Readiness")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    name = f"readiness-{report.as_of.isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _round_id(name: str) -> int | None:
    return int_arg(name)


@blueprint.get("/readiness/compare")
@login_required
def compare() -> str:
    actor = require("view")
    rounds = rounds_with_means(db_session(), actor.organisation_id)
    if len(rounds) < 2:
        return render_template("readiness/compare.html", rounds=rounds, check=None)
    a = _round_id("a") or rounds[-2].id
    b = _round_id("b") or rounds[-1].id
    try:
        check = check_model(db_session(), actor.organisation_id, a, b)
    except NotFound:
        abort(404)
    return render_template(
        "readiness/compare.html",
        rounds=rounds,
        check=check,
        a=a,
        b=b,
        r2=round2,
        min_outcomes=MIN_OUTCOMES,
        form=OutcomeForm(),
        may_record={x.id: can(actor, "record_outcome", x) for x in check.actions},
        words=lambda value: level_with_words(value, check.level_names),
    )


@blueprint.post("/readiness/actions/<int:action_id>/outcome")
@login_required
def outcome(action_id: int) -> Response:
    # Another organisation's action is not found either: require answers 404 for it.
    action = action_or_404(action_id)
    actor = require("record_outcome", action)
    back = url_for("readiness.compare", a=request.args.get("a"), b=request.args.get("b"))
    form = OutcomeForm()
    # A button on the comparison page: a refusal is flashed there.
    return save_change(
        form,
        lambda: record_outcome(
            db_session(),
            actor.user,
            action,
            form.outcome.data,
            now=clock.now(),
            expected_version=form.shown_version(),
            mail=action_mail(),
        ),
        done=f"Outcome recorded for “{action.title}”.",
        then=back,
        failed=lambda status: redirect(back),
        flash_refusal="error",
    )
