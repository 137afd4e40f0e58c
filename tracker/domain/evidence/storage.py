"""Storing evidence files safely: allow-listed types checked by extension AND by content,
a generated random name outside the static folder, SHA-256 and size recorded, and a check on
the way out that the bytes are still the ones uploaded.

No Flask here: the upload folder and size limit are passed in.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.domain.errors import DomainError
from tracker.domain.private_files import private_folder, write_private

OFFICE = "application/vnd.openxmlformats-officedocument."
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": OFFICE + "wordprocessingml.document",
    "xlsx": OFFICE + "spreadsheetml.sheet",
    "pptx": OFFICE + "presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV or text"
# Office files are zips: the folder holding the main part and the main part's content type.
OFFICE_PARTS = {
    "docx": ("word/", "wordprocessingml.document.main"),
    "xlsx": ("xl/", "spreadsheetml.sheet.main"),
    "pptx": ("ppt/", "presentationml.presentation.main"),
}
STORED_NAME = re.compile(r"[0-9a-f]{32}")
MAX_CONTENT_TYPES_XML = 1024 * 1024


class EvidenceFileMissing(DomainError):
    """The stored file is gone (answer 410)."""


class EvidenceFileChanged(DomainError):
    """The stored bytes no longer match the SHA-256 taken at upload (answer 409)."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    sha256: str
    size_bytes: int
    content_type: str
    display_name: str


def sanitise_filename(filename: str) -> str:
    """A safe display name: no folders, control characters or leading dots; 120 chars at most."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = unicodedata.normalize("NFKC", name)
    name = "".join(ch for ch in name if ch.isprintable())
    name = re.sub(r"[^\w .()\-]", "_", name).strip().lstrip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:120]
    return name or "evidence"


def extension_of(filename: str) -> str:
    return sanitise_filename(filename).rpartition(".")[2].lower() if "." in filename else ""


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_office(data: bytes, extension: str) -> bool:
    folder, main_type = OFFICE_PARTS[extension]
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_XML:
                return False
            manifest = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False
    return any(n.startswith(folder) for n in names) and main_type in manifest


CONTENT_CHECKS: dict[str, Callable[[bytes], bool]] = {
    "pdf": lambda data: data.startswith(b"%PDF-"),
    "png": lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda data: data.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda data: data.startswith(b"\xff\xd8\xff"),
    "docx": lambda data: _is_office(data, "docx"),
    "xlsx": lambda data: _is_office(data, "xlsx"),
    "pptx": lambda data: _is_office(data, "pptx"),
    "csv": _is_text,
    "txt": _is_text,
}


def check_upload(filename: str, data: bytes, max_bytes: int) -> str:
    """Return the file's content type, or refuse it with a message saying what to do.

    The extension must be on the allow-list and the bytes must really be that type: a program
    renamed to report.pdf is refused.
    """
    if not filename or not data:
        raise DomainError("Choose a file to upload", "file")
    if len(data) > max_bytes:
        raise DomainError(f"The file must be smaller than {max_bytes // (1024 * 1024)} MB", "file")
    extension = extension_of(filename)
    if extension not in CONTENT_TYPES:
        raise DomainError(f"The file must be a {ALLOWED_DESCRIPTION} file", "file")
    if not CONTENT_CHECKS[extension](data):
        raise DomainError(
            f"The file's contents are not a real .{extension} file. Upload a {ALLOWED_DESCRIPTION} file",
            "file",
        )
    return CONTENT_TYPES[extension]


def store(
    upload_dir: str | os.PathLike[str], filename: str, data: bytes, max_bytes: int
) -> StoredFile:
    """Check and write an upload under a new random name; the user's filename is only displayed."""
    content_type = check_upload(filename, data, max_bytes)
    folder = private_folder(upload_dir)
    stored_name = secrets.token_hex(16)
    write_private(folder / stored_name, data, exclusive=True)  # never overwrite another file
    return StoredFile(
        stored_name=stored_name,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        content_type=content_type,
        display_name=sanitise_filename(filename),
    )


def discard(upload_dir: str | os.PathLike[str], stored_name: str) -> None:
    """Remove a stored file whose database row was never committed."""
    if STORED_NAME.fullmatch(stored_name or ""):
        (Path(upload_dir) / stored_name).unlink(missing_ok=True)


def read_verified(upload_dir: str | os.PathLike[str], stored_name: str, sha256: str) -> bytes:
    """The stored bytes, refused if missing or no longer matching the hash taken at upload."""
    if not STORED_NAME.fullmatch(stored_name or ""):
        raise EvidenceFileMissing("This evidence file is no longer available")
    try:
        data = (Path(upload_dir) / stored_name).read_bytes()
    except FileNotFoundError:
        raise EvidenceFileMissing("This evidence file is no longer available") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise EvidenceFileChanged(
            "This file has changed since it was uploaded, so it is not being shown. "
            "Ask the owner to upload it again and tell an administrator."
        )
    return data
