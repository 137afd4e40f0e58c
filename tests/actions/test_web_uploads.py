"""Upload cases through the web: renamed type, oversize, path traversal, tampered file."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.support.actions import post
from tests.support.helpers import table_counts
from tracker.models import Evidence

PDF = b"%PDF-1.4\n%%EOF\n"


def upload(client, action_id, name, data, title=""):
    page = f"/actions/{action_id}/evidence/new"
    return post(
        client, f"/actions/{action_id}/evidence/file", page,
        {"file-file": (io.BytesIO(data), name), "file-title": title},
        content_type="multipart/form-data",
    )  # fmt: skip


def uploaded_files(app):
    return sorted(Path(app.config["UPLOAD_DIR"]).glob("*"))


def test_program_renamed_to_pdf_is_refused(app, session, world, sign_in):
    client = sign_in(world.owner)
    before, files = table_counts(session), uploaded_files(app)
    response = upload(client, world.action.id, "report.pdf", b"MZ\x90\x00\x03 windows program")
    assert response.status_code == 400
    assert "not a real .pdf file" in response.get_data(as_text=True)
    assert table_counts(session) == before and uploaded_files(app) == files


def test_oversize_upload_is_refused(app, session, world, sign_in, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024 * 1024)
    client = sign_in(world.owner)
    before = table_counts(session)
    response = upload(client, world.action.id, "big.txt", b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "The file must be smaller than 1 MB" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_missing_file_is_refused(session, world, sign_in):
    client = sign_in(world.owner)
    before = table_counts(session)
    response = post(
        client, f"/actions/{world.action.id}/evidence/file",
        f"/actions/{world.action.id}/evidence/new", {"file-title": "nothing"},
    )  # fmt: skip
    assert response.status_code == 400 and "Choose a file" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_path_traversal_name_is_stored_under_a_generated_name(app, session, world, sign_in):
    client = sign_in(world.owner)
    response = upload(client, world.action.id, "../../../../tmp/evil.pdf", PDF)
    assert response.status_code == 302
    evidence = session.scalars(select(Evidence)).one()
    assert evidence.original_filename == "evil.pdf"
    stored = Path(app.config["UPLOAD_DIR"]) / evidence.stored_name
    assert stored.read_bytes() == PDF
    assert stored.resolve().parent == Path(app.config["UPLOAD_DIR"]).resolve()
    download = client.get(f"/evidence/{evidence.id}/download")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"] == 'attachment; filename="evil.pdf"'


def test_tampered_or_missing_file_is_refused(app, session, world, sign_in):
    client = sign_in(world.owner)
    assert upload(client, world.action.id, "minutes.txt", b"agreed").status_code == 302
    evidence = session.scalars(select(Evidence)).one()
    stored = Path(app.config["UPLOAD_DIR"]) / evidence.stored_name
    stored.write_bytes(b"changed")
    response = client.get(f"/evidence/{evidence.id}/download")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed since it was uploaded" in page and "changed" not in response.headers.get(
        "Content-Disposition", ""
    )
    stored.unlink()
    response = client.get(f"/evidence/{evidence.id}/download")
    assert response.status_code == 410 and "no longer available" in response.get_data(as_text=True)


def test_a_file_whose_row_fails_to_commit_is_removed_again(app, session, world, sign_in):
    client = sign_in(world.owner)
    files = uploaded_files(app)
    real_commit = Session.commit

    def failing_commit(self):
        raise RuntimeError("database went away")

    Session.commit = failing_commit
    try:
        response = upload(client, world.action.id, "minutes.txt", b"agreed")
    finally:
        Session.commit = real_commit
    session.rollback()
    assert response.status_code == 500
    assert uploaded_files(app) == files
    assert session.scalars(select(Evidence)).all() == []
