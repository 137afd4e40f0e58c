"""The one file-hashing helper: SHA-256 of a file read in chunks (evidence, backups)."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1024 * 1024


def file_sha256(path: str | Path) -> str:
    """The hex SHA-256 of a file's bytes, read a megabyte at a time (never whole in memory)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
