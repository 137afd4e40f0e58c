"""Migrations: upgrade from empty, downgrade to base and back, and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from config import TestingConfig
from tests.support.databases import create_database
from tracker import create_app
from tracker.extensions import db
from tracker.models import Base


def test_upgrade_downgrade_upgrade_and_no_drift(tmp_path, worker_id_suffix):
    url, drop = create_database(f"tracker_migrations_{worker_id_suffix}", tmp_path)
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    app = create_app(config)
    try:
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"action", "milestone", "score", "evidence", "audit_event"} <= tables
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            engine = create_engine(url)
            with engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                diff = compare_metadata(context, Base.metadata)
            engine.dispose()
            assert diff == [], f"models and migrations differ: {diff}"
            db.engine.dispose()
    finally:
        drop()
