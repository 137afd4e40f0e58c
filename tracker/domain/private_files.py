"""Files only the service account can read: the database, evidence, outbox and backups hold
personal data and password hashes, so they are created 0600 in 0700 folders.

`restrict_new_files` sets the process umask (everything the app, its commands and the
scheduler create is owner-only, SQLite's -wal/-shm files and pg_dump's output included); the
helpers below also set the modes explicitly, so a file is private even where the umask was
changed by something else.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
UMASK = 0o077


def restrict_new_files() -> None:
    """Make every file and folder this process creates readable by its owner only."""
    os.umask(UMASK)


def private_folder(path: str | os.PathLike[str]) -> Path:
    """Create the folder (and its parents) if needed and make it 0700."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    folder.chmod(PRIVATE_FOLDER)
    return folder


def make_private(path: str | os.PathLike[str]) -> None:
    """Make an existing file 0600 (or a folder 0700)."""
    target = Path(path)
    target.chmod(PRIVATE_FOLDER if target.is_dir() else PRIVATE_FILE)


def write_private(path: str | os.PathLike[str], data: bytes, *, exclusive: bool = False) -> None:
    """Write `data` to a file created 0600 (with `exclusive`, refusing to replace a file),
    flushed to disk before returning."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
        with os.fdopen(descriptor, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        os.close(descriptor)
