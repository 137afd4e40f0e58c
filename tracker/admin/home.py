"""The admin blueprint: /admin and the pages it links to (every route is admin-only)."""

from __future__ import annotations

from flask import current_app, render_template

from tracker.admin.blueprint import blueprint
from tracker.core.access import permission_required

# Admin pages other features provide; shown on the index when they are installed.
OTHER_ADMIN_PAGES = [
    ("imports.upload", "Import a round", "Load a round's scores from a file and spawn actions."),
    ("notifications.index", "Email notifications", "See queued, sent and failed emails."),
]


@blueprint.get("")
@permission_required("manage_users")
def index() -> str:
    """Links to everything admins do."""
    others = [
        (endpoint, title, summary)
        for endpoint, title, summary in OTHER_ADMIN_PAGES
        if endpoint in current_app.view_functions
    ]
    return render_template("admin/index.html", others=others)
