"""The system view (/system) and an admin's sharing choices (/system/sharing)."""

from __future__ import annotations

from typing import NoReturn

from flask import abort, render_template, url_for
from werkzeug.wrappers import Response

from tracker import clock
from tracker.core.access import permission_required, require
from tracker.core.saving import save_change
from tracker.database import db_session
from tracker.domain.errors import NotFound
from tracker.domain.organisations import sharing
from tracker.domain.organisations.system_view import build_system_view
from tracker.domain.permissions import can
from tracker.models import Role
from tracker.systems.blueprint import blueprint
from tracker.systems.chart import component_chart
from tracker.systems.forms import ShareForm


@blueprint.get("")
@permission_required("view_system")
def view() -> str:
    """Each organisation of your system side by side, from what it chose to share."""
    actor = require("view_system")
    system = build_system_view(
        db_session(),
        actor.organisation_id,
        include_own_unshared=actor.role != Role.SYSTEM_VIEWER,
    )
    chart = component_chart(system) if system and system.sharing_count else ""
    return render_template(
        "systems/view.html",
        system=system,
        chart=chart,
        may_share=can(actor, "share_results"),
    )


def _not_found(error: NotFound) -> NoReturn:
    """Another organisation's round answers exactly like one that does not exist."""
    abort(404)


def _sharing_page(form: ShareForm, status: int) -> tuple[str, int]:
    actor = require("share_results")
    organisation = actor.user.organisation
    page = render_template(
        "systems/sharing.html",
        organisation=organisation,
        choices=sharing.sharing_choices(db_session(), actor.organisation_id),
        form=form,
    )
    return page, status


@blueprint.get("/sharing")
@permission_required("share_results")
def sharing_choices() -> tuple[str, int]:
    return _sharing_page(ShareForm(), 200)


@blueprint.post("/sharing/<int:round_id>/share")
@permission_required("share_results")
def share(round_id: int) -> tuple[str, int] | Response:
    actor = require("share_results")
    form = ShareForm()
    return save_change(
        form,
        lambda: sharing.share_round(db_session(), actor.user, round_id, now=clock.now()),
        done=lambda share: f"'{share.round.name}' is now shared with your system partners.",
        then=url_for("systems.sharing_choices"),
        failed=lambda status: _sharing_page(form, status),
        answers={NotFound: _not_found},
    )


@blueprint.post("/sharing/<int:round_id>/withdraw")
@permission_required("share_results")
def withdraw(round_id: int) -> tuple[str, int] | Response:
    actor = require("share_results")
    form = ShareForm()
    return save_change(
        form,
        lambda: sharing.withdraw_share(db_session(), actor.user, round_id, now=clock.now()),
        done=lambda share: (
            f"'{share.round.name}' is no longer shared. Partners no longer see its results."
        ),
        then=url_for("systems.sharing_choices"),
        failed=lambda status: _sharing_page(form, status),
        answers={NotFound: _not_found},
    )
