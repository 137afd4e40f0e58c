"""File checks by extension and content, safe names, and the hash check on the way out."""

from __future__ import annotations

import io
import zipfile

import pytest

from tracker.domain.errors import DomainError
from tracker.domain.evidence import storage


def office(folder: str, main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{folder}main.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.{main_type}+xml"/></Types>',
        )
        archive.writestr(f"{folder}main.xml", "<x/>")
    return buffer.getvalue()


DOCX = office("word/", "wordprocessingml.document.main")
XLSX = office("xl/", "spreadsheetml.sheet.main")
PPTX = office("ppt/", "presentationml.presentation.main")


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("a.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("a.PNG", b"\x89PNG\r\n\x1a\nrest", "image/png"),
        ("a.jpg", b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        ("a.docx", DOCX, storage.OFFICE + "wordprocessingml.document"),
        ("a.xlsx", XLSX, storage.OFFICE + "spreadsheetml.sheet"),
        ("a.pptx", PPTX, storage.OFFICE + "presentationml.presentation"),
        ("a.csv", "name,value\nÉmile,1\n".encode(), "text/csv"),
        ("a.txt", b"plain words", "text/plain"),
    ],
)
def test_allowed_types_pass(name, data, content_type):
    assert storage.check_upload(name, data, 10_000) == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", b"MZ\x90", "must be a PDF"),
        ("report.pdf", b"MZ\x90\x00 a program renamed", "not a real .pdf"),
        ("photo.png", b"%PDF-1.4", "not a real .png"),
        ("plan.docx", XLSX, "not a real .docx"),
        ("plan.xlsx", b"PK\x03\x04 not really a zip", "not a real .xlsx"),
        ("notes.txt", b"text\x00with a NUL", "not a real .txt"),
        ("data.csv", b"\xff\xfe bad utf-8", "not a real .csv"),
        ("noextension", b"%PDF-1.4", "must be a PDF"),
        ("empty.pdf", b"", "Choose a file"),
        ("big.txt", b"x" * 10_001, "smaller than"),
    ],
)
def test_refused_uploads_say_why(name, data, message):
    with pytest.raises(DomainError, match=message) as caught:
        storage.check_upload(name, data, 10_000)
    assert caught.value.field == "file"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("...hidden.txt", "hidden.txt"),
        ("rep<script>ort.pdf", "rep_script_ort.pdf"),
        ("", "evidence"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_filenames_are_sanitised_for_display(given, shown):
    assert storage.sanitise_filename(given) == shown


def test_stored_file_is_verified_on_read(tmp_path):
    stored = storage.store(tmp_path, "../a.txt", b"hello", 100)
    assert stored.display_name == "a.txt"
    assert storage.read_verified(tmp_path, stored.stored_name, stored.sha256) == b"hello"
    (tmp_path / stored.stored_name).write_bytes(b"HELLO")
    with pytest.raises(storage.EvidenceFileChanged):
        storage.read_verified(tmp_path, stored.stored_name, stored.sha256)
    (tmp_path / stored.stored_name).unlink()
    with pytest.raises(storage.EvidenceFileMissing):
        storage.read_verified(tmp_path, stored.stored_name, stored.sha256)
    with pytest.raises(storage.EvidenceFileMissing):
        storage.read_verified(tmp_path, "../../etc/passwd", stored.sha256)
