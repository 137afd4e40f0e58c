"""`flask backup create` then `flask backup restore` into a fresh database: every row and every
evidence file (by SHA-256) comes back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from config import TestingConfig as RestoreConfig
from tests.conftest import worker_id
from tests.support.databases import create_database
from tests.support.proof import build_world
from tracker import create_app
from tracker.extensions import db
from tracker.models import Evidence


def all_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (and Alembic's version), in primary-key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in db.metadata.sorted_tables
            }
            rows["alembic_version"] = [
                tuple(row) for row in connection.exec_driver_sql("SELECT * FROM alembic_version")
            ]
    finally:
        engine.dispose()
    return rows


@pytest.fixture
def fresh_app(tmp_path: Path):
    url, drop = create_database(f"tracker_restore_{worker_id()}", tmp_path)
    config = RestoreConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    config.UPLOAD_DIR = str(tmp_path / "restored-evidence")
    application = create_app(config)
    yield application
    with application.app_context():
        db.engine.dispose()
    drop()


def test_restore_into_a_fresh_database_brings_back_every_row_and_file(
    app, session, framework, fresh_app, tmp_path, database_url
):
    world = build_world(session, app.config["UPLOAD_DIR"])
    evidence_id = world.evidence.id
    session.remove()
    original = all_rows(database_url)
    assert original["evidence"] and original["action"] and original["user_account"]

    backup = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert {p.name for p in backup.iterdir()} >= {"evidence.tar", "manifest.json"}

    # Flask's CLI reuses an app context already pushed (the suite pushes the test app's), so
    # push the fresh app's context explicitly.
    with fresh_app.app_context():
        result = fresh_app.test_cli_runner().invoke(
            args=["backup", "restore", str(backup), "--yes"]
        )
    assert result.exit_code == 0, result.output
    assert "every count and file hash matches" in result.output

    restored_url = fresh_app.config["SQLALCHEMY_DATABASE_URI"]
    assert all_rows(restored_url) == original
    restored_dir = Path(fresh_app.config["UPLOAD_DIR"])
    with fresh_app.app_context():
        files = db.session.scalars(select(Evidence).where(Evidence.kind == "file")).all()
        assert [e.id for e in files] == [evidence_id]
        for evidence in files:
            data = (restored_dir / evidence.stored_name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == evidence.sha256
            assert data == world.evidence_bytes
        db.session.remove()


def test_create_refuses_a_folder_that_is_not_empty(app, tmp_path):
    target = tmp_path / "used"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = app.test_cli_runner().invoke(args=["backup", "create", str(target)])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_restore_refuses_a_folder_that_is_not_a_backup(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path), "--yes"])
    assert result.exit_code != 0
    assert "is not a backup folder" in result.output


def test_restore_asks_before_replacing_data(app, session, framework, tmp_path):
    backup = tmp_path / "backup"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(backup)], input="n\n")
    assert result.exit_code != 0
    assert "Replace everything" in result.output
