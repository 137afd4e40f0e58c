"""The home page, the health check and the UI assets."""

from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.database import db_session
from tracker.domain.health import check_database
from tracker.home.blueprint import blueprint

# Where signed-in people start: their dashboard, unless their role has none.
LANDING = {"platform_admin": "platform.organisations", "system_viewer": "systems.view"}


@blueprint.get("/")
def home() -> str | Response:
    """What the service is, for everyone; signed-in users go on to their dashboard."""
    if current_user.is_authenticated:
        landing = LANDING.get(current_user.role, "dashboard.index")
        if landing in current_app.view_functions:
            return redirect(url_for(landing))
    return render_template("home/index.html")


@blueprint.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """200 when the database answers; 503 otherwise (for load balancers and the benchmark)."""
    try:
        check_database(db_session())
    except Exception:
        current_app.logger.exception("health check failed")
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@blueprint.get("/assets/<path:filename>")
def assets(filename: str) -> Response:
    """NHS.UK frontend files from node_modules (installed by the set-up command), then our own."""
    assets_dir = Path(current_app.config["ASSETS_DIR"])
    for folder in (assets_dir / "assets", assets_dir, Path(current_app.root_path) / "static"):
        if (folder / filename).is_file():
            response = send_from_directory(folder, filename, max_age=3600)
            return response
    abort(404)
