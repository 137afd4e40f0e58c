"""Filters and globals the templates share."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, url_for
from flask_login import current_user

from tracker.domain.audit.wording import file_size, value_words
from tracker.domain.dates import format_date


def humanise(value: str | None) -> str:
    """Turn an enum value such as "in_progress" into "In progress"."""
    if not value:
        return ""
    return value.replace("_", " ").capitalize()


def assets_installed() -> bool:
    """True when the nhsuk-frontend compiled assets are on disk (see README set-up)."""
    return (Path(current_app.config["ASSETS_DIR"]) / "nhsuk-frontend.min.css").is_file()


# (endpoint, label, roles that see it); an endpoint not registered yet is simply left out.
NAVIGATION = [
    ("dashboard.index", "Dashboard", {"admin", "director", "owner", "viewer"}),
    ("actions.mine", "My actions", {"admin", "director", "owner"}),
    ("actions.index", "Actions", {"admin", "director", "owner", "viewer"}),
    ("domains.index", "Domains", {"admin", "director", "viewer"}),
    ("readiness.index", "Readiness", {"admin", "director", "owner", "viewer"}),
    ("systems.view", "System view", {"admin", "director", "owner", "viewer", "system_viewer"}),
    ("admin.index", "Admin", {"admin"}),
    ("platform.organisations", "Organisations", {"platform_admin"}),
]


def navigation_items() -> list[dict[str, str]]:
    """Header links for the signed-in user's role."""
    role = getattr(current_user, "role", None)
    return [
        {"href": url_for(endpoint), "text": label}
        for endpoint, label, roles in NAVIGATION
        if role in roles and endpoint in current_app.view_functions
    ]


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["humanise"] = humanise
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["words"] = lambda value, field: value_words(field, value, {})
    app.jinja_env.globals["assets_installed"] = assets_installed
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
