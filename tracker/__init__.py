"""The IMPACT action tracker: a Flask app built by create_app in small register_* steps."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from config import ROOT, Config, config_from_environment
from tracker.core.input_ranges import register_converters
from tracker.domain.private_files import private_folder, restrict_new_files
from tracker.extensions import csrf, db, login_manager, migrate

TEMPLATES = ROOT / "templates"
AUTOESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja")


def create_app(config: Config | None = None) -> Flask:
    """Build the web app. It never starts the scheduler: that is `flask scheduler run`."""
    config = config or config_from_environment()
    app = Flask(
        __name__, instance_relative_config=True, template_folder=str(TEMPLATES), static_folder=None
    )
    configure(app, config)
    register_extensions(app)
    register_converters(app)
    register_templates(app)
    register_blueprints(app)
    register_security(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def configure(app: Flask, config: Config) -> None:
    """Apply settings, fill in the embedded defaults and refuse unsafe production settings."""
    app.config.from_object(config)
    app.config.update({k: v for k, v in vars(config).items() if k.isupper()})
    restrict_new_files()
    private_folder(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'tracker.db'}"
        )
    app.config.setdefault("UPLOAD_DIR", None)
    if not app.config["UPLOAD_DIR"]:
        app.config["UPLOAD_DIR"] = str(Path(app.instance_path) / "evidence")
    app.config["OUTBOX_DIR"] = str(Path(app.instance_path) / "outbox")
    if config.ENV_NAME == "production":
        config.check()


def register_extensions(app: Flask) -> None:
    from tracker.database import configure_engine_events

    db.init_app(app)
    configure_engine_events()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    from tracker.auth.session import register_user_loader

    register_user_loader(login_manager)
    from tracker.core import openid_client

    openid_client.register(app)


def register_templates(app: Flask) -> None:
    """Our templates first, then the NHS.UK frontend's Jinja macros."""
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(str(TEMPLATES)), PackageLoader("nhsuk_frontend_jinja")]
    )
    app.jinja_env.undefined = ChainableUndefined
    # The NHS.UK macros are .jinja files, which Flask would not escape: user text passed to them
    # (field values, table cells) would be raw HTML. They mark their "html" params `| safe`.
    app.jinja_env.autoescape = lambda name: not name or name.endswith(AUTOESCAPED)
    from tracker.core.template_helpers import register_template_helpers

    register_template_helpers(app)


def register_blueprints(app: Flask) -> None:
    """Every feature's blueprint, imported by name (each package's __init__ exposes it)."""
    from tracker import (
        actions,
        admin,
        auth,
        components,
        dashboard,
        evidence,
        home,
        imports,
        notifications,
        platform,
        preferences,
        readiness,
        systems,
    )

    for feature in (
        home, auth, preferences, dashboard, components, actions, evidence, readiness, imports,
        admin, notifications, systems, platform,
    ):  # fmt: skip
        app.register_blueprint(feature.blueprint)


def register_security(app: Flask) -> None:
    from tracker.core.organisation_scope import register_organisation_scope
    from tracker.core.security import register_security_headers

    register_organisation_scope(app)
    register_security_headers(app)


def register_error_handlers(app: Flask) -> None:
    from tracker.core.error_pages import register_error_pages

    register_error_pages(app)


def register_commands(app: Flask) -> None:
    from tracker.cli import register_cli

    register_cli(app)
