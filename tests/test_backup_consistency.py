"""Backups taken while people work restore exactly; a damaged backup replaces nothing; every
file the app, its backups and its evidence store write is readable by the owner only."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

from sqlalchemy.orm import Session

from tests.support.helpers import NOW
from tests.support.proof import build_world
from tests.test_backup import all_rows, fresh_app  # noqa: F401 - the fixture is used below
from tracker.domain import audit
from tracker.domain.evidence.storage import store
from tracker.extensions import db
from tracker.mailing.sender import FileTransport


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_under_writes_restores_row_for_row_and_file_for_file(
    app,
    session,
    framework,
    fresh_app,  # noqa: F811 - the fixture imported above
    tmp_path,
    database_url,
):
    build_world(session, app.config["UPLOAD_DIR"])
    session.remove()
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        with app.app_context(), Session(db.engine) as own:
            while not stop.is_set():
                audit.record(own, None, "action", 1, "progress_noted", at=NOW, after={"n": 1})
                own.commit()
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:  # the writer is busy before the backup starts...
            stop.wait(0.01)
        backup = tmp_path / "backup"
        result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
        during = len(written)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert len(written) > 20 and during > 20  # ...and kept writing while it ran
    manifest = json.loads((backup / "manifest.json").read_text())

    with fresh_app.app_context():
        restored = fresh_app.test_cli_runner().invoke(
            args=["backup", "restore", str(backup), "--yes"]
        )
    assert restored.exit_code == 0, restored.output
    assert "every count and file hash matches" in restored.output
    live = all_rows(database_url)
    back = all_rows(fresh_app.config["SQLALCHEMY_DATABASE_URI"])
    for table, rows in back.items():
        if table != "alembic_version":
            assert len(rows) == manifest["tables"][table], table
        # rows are only added while the backup runs: the restore is the live data up to the
        # moment of the snapshot, row for row
        assert rows == live[table][: len(rows)], table
    assert len(back["audit_event"]) < len(live["audit_event"])
    restored_dir = Path(fresh_app.config["UPLOAD_DIR"])
    for name in manifest["evidence"]:
        assert (restored_dir / name).read_bytes() == (
            Path(app.config["UPLOAD_DIR"]) / name
        ).read_bytes()


def test_a_damaged_backup_replaces_nothing(app, session, framework, tmp_path):
    build_world(session, app.config["UPLOAD_DIR"])
    session.remove()
    backup = tmp_path / "backup"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["audit_event"] += 9
    name = next(iter(manifest["evidence"]))
    manifest["evidence"][name] = "0" * 64
    (backup / "manifest.json").write_text(json.dumps(manifest))
    before = all_rows(app.config["SQLALCHEMY_DATABASE_URI"])
    files = {p.name: p.read_bytes() for p in Path(app.config["UPLOAD_DIR"]).iterdir()}
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert result.exit_code != 0
    assert "nothing was replaced" in result.output
    assert f"evidence file {name} is missing from the archive or differs" in result.output
    assert all_rows(app.config["SQLALCHEMY_DATABASE_URI"]) == before
    assert {p.name: p.read_bytes() for p in Path(app.config["UPLOAD_DIR"]).iterdir()} == files


def test_backups_evidence_outbox_and_instance_are_owner_only(app, session, framework, tmp_path):
    upload = tmp_path / "evidence"
    stored = store(upload, "minutes.txt", b"Minutes of the board.\n", 1024)
    assert mode(upload) == 0o700 and mode(upload / stored.stored_name) == 0o600

    from email.message import EmailMessage

    message = EmailMessage()
    message["Message-ID"] = "<mode-test@example>"
    message.set_content("hello")
    FileTransport(tmp_path / "outbox").send(message)
    assert mode(tmp_path / "outbox") == 0o700
    assert [mode(p) for p in (tmp_path / "outbox").iterdir()] == [0o600]

    assert mode(Path(app.instance_path)) == 0o700
    backup = tmp_path / "backup"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0
    assert mode(backup) == 0o700
    assert {p.name: mode(p) for p in backup.iterdir()} == {p.name: 0o600 for p in backup.iterdir()}


def test_a_new_sqlite_database_is_owner_only(tmp_path):
    from flask_migrate import upgrade

    from config import TestingConfig
    from tracker import create_app

    config = TestingConfig()
    database = tmp_path / "tracker.db"
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
    application = create_app(config)
    with application.app_context():
        upgrade()
        db.engine.dispose()
    assert mode(database) == 0o600
