"""`flask backup create PATH` and `flask backup restore PATH`: the whole database plus the
evidence files, restorable into a fresh database.

A backup is a folder holding:
  database.sqlite3   SQLite, copied with the online backup API (safe while the app runs)
  database.dump      PostgreSQL, `pg_dump -Fc` (restored with `pg_restore`)
  evidence.tar       the evidence upload folder (UPLOAD_DIR)
  manifest.json      when, which database kind, rows per table and SHA-256 of every file,
                     so a restore can prove it got everything back.

Consistent while people work: the row counts are taken from the same snapshot as the dump
(counted in the SQLite copy itself; for PostgreSQL, inside one repeatable-read transaction
whose exported snapshot `pg_dump --snapshot` dumps). A restore checks the whole archive first
(the counts of the SQLite copy, `pg_restore --list`, every evidence file's hash inside the
tar) and replaces nothing when a check fails; evidence is unpacked beside the upload folder
and swapped in only once every hash matches. Everything is written owner-only (0600/0700).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from sqlalchemy import func, make_url, select
from sqlalchemy.engine import URL

from tracker.domain.hashing import file_sha256
from tracker.domain.private_files import make_private, private_folder, write_private
from tracker.extensions import db

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
EVIDENCE_FILE = "evidence.tar"
MANIFEST_FILE = "manifest.json"


@click.group("backup", help="Back up and restore the database and evidence files.")
def backup_group() -> None:
    pass


@backup_group.command("create")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def create_command(path: Path) -> None:
    """Write a backup into the new folder PATH."""
    if path.exists() and any(path.iterdir()):
        raise click.ClickException(f"{path} already exists and is not empty; choose a new folder")
    private_folder(path)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        _sqlite_copy(_sqlite_path(url), path / SQLITE_FILE)
        tables = sqlite_counts(path / SQLITE_FILE)
    elif url.get_backend_name() == "postgresql":
        tables = _pg_dump_with_counts(url, path / POSTGRES_FILE)
    else:
        raise click.ClickException(f"Backing up {url.get_backend_name()} is not supported")
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    files = _tar_folder(upload_dir, path / EVIDENCE_FILE)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": url.get_backend_name(),
        "tables": tables,
        "evidence": files,
    }
    write_private(path / MANIFEST_FILE, json.dumps(manifest, indent=2, sort_keys=True).encode())
    for file in path.iterdir():
        make_private(file)
    rows = sum(tables.values())
    click.echo(f"Backed up {rows} rows and {len(files)} evidence files to {path}")


@backup_group.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace this installation's database and evidence files with the backup in PATH."""
    manifest = _read_manifest(path)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if manifest["database"] != url.get_backend_name():
        raise click.ClickException(
            f"This backup is of a {manifest['database']} database; DATABASE_URL is "
            f"{url.get_backend_name()}"
        )
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    problems = check_archive(path, manifest)
    if problems:
        raise click.ClickException(
            "The backup is incomplete or damaged, so nothing was replaced:\n" + "\n".join(problems)
        )
    if not yes:
        click.confirm(
            f"Replace everything in {url.render_as_string(hide_password=True)} and "
            f"{current_app.config['UPLOAD_DIR']} with the backup?",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(path / SQLITE_FILE, _sqlite_path(url))
    else:
        _run(
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(path / POSTGRES_FILE),
            env_url=url,
        )
    db.engine.dispose()
    _swap_in_evidence(path / EVIDENCE_FILE, upload_dir, manifest["evidence"])
    problems = verify(manifest, upload_dir)
    if problems:
        raise click.ClickException("The restore does not match the backup:\n" + "\n".join(problems))
    rows = sum(manifest["tables"].values())
    click.echo(
        f"Restored {rows} rows and {len(manifest['evidence'])} evidence files from {path}; "
        "every count and file hash matches"
    )


def table_counts() -> dict[str, int]:
    """Rows in every table the app defines."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def sqlite_counts(database: Path) -> dict[str, int]:
    """Rows in every table the app defines, counted in a SQLite file (a backup's copy)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return {
            table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            for table in db.metadata.sorted_tables
        }


def check_archive(path: Path, manifest: dict[str, Any]) -> list[str]:
    """Everything wrong with a backup folder, found before anything is replaced."""
    problems: list[str] = []
    if manifest.get("database") == "sqlite":
        copy = path / SQLITE_FILE
        if not copy.is_file():
            return [f"{SQLITE_FILE} is missing"]
        try:
            counts = sqlite_counts(copy)
        except sqlite3.DatabaseError as error:
            return [f"{SQLITE_FILE} cannot be read ({error})"]
        problems += [
            f"table {name}: {got} rows in the copy, the manifest says {want}"
            for name, got in counts.items()
            if got != (want := manifest["tables"].get(name, 0))
        ]
    else:
        dump = path / POSTGRES_FILE
        if not dump.is_file():
            return [f"{POSTGRES_FILE} is missing"]
        listed = subprocess.run(
            [_pg_tool("pg_restore"), "--list", str(dump)], capture_output=True, check=False
        )
        if listed.returncode != 0:
            problems.append(f"{POSTGRES_FILE} cannot be read by pg_restore")
    try:
        packed = _tar_hashes(path / EVIDENCE_FILE)
    except (OSError, tarfile.TarError) as error:
        return [*problems, f"{EVIDENCE_FILE} cannot be read ({error})"]
    for name, digest in manifest["evidence"].items():
        if packed.get(name) != digest:
            problems.append(f"evidence file {name} is missing from the archive or differs")
    return problems


def verify(manifest: dict[str, Any], upload_dir: Path) -> list[str]:
    """What differs between the restored data and the manifest, in words (empty when nothing)."""
    problems = [
        f"table {name}: {got} rows, the backup had {want}"
        for name, got in table_counts().items()
        if got != (want := manifest["tables"].get(name, 0))
    ]
    for name, digest in manifest["evidence"].items():
        file = upload_dir / name
        if not file.is_file():
            problems.append(f"evidence file {name} is missing")
        elif file_sha256(file) != digest:
            problems.append(f"evidence file {name} has different contents")
    return problems


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads((path / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as error:
        raise click.ClickException(f"{path} is not a backup folder ({error})") from None


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("An in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database page by page with the online backup API: one consistent
    snapshot even while other connections write. The copy is written beside the target and
    moved over it, so a failed copy leaves the target as it was."""
    if not source.is_file():
        raise click.ClickException(f"{source} does not exist")
    private_folder(target.parent)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    make_private(partial)
    for leftover in (
        target.with_name(target.name + "-wal"),
        target.with_name(target.name + "-shm"),
    ):
        leftover.unlink(missing_ok=True)
    partial.replace(target)


def _pg_dump_with_counts(url: URL, dump: Path) -> dict[str, int]:
    """Count rows inside a repeatable-read transaction and dump that same snapshot."""
    with db.engine.connect() as connection:
        connection.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        counts = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
        }
        # The snapshot stays valid while this transaction is open: pg_dump reads exactly it.
        _run(_pg_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(dump), env_url=url)
        connection.exec_driver_sql("COMMIT")
    return counts


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore from the newest Debian server package (matching the server the
    scripts start), else the one on PATH."""
    found = shutil.which(name)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])
    if found:
        return found
    raise click.ClickException(f"{name} is not installed (Debian package postgresql-client)")


def _run(tool: str, *args: str, env_url: URL) -> None:
    """Run a PostgreSQL client tool against the database in `env_url` (password via env)."""
    env = dict(os.environ)
    if env_url.password:
        env["PGPASSWORD"] = str(env_url.password)
    target = env_url.set(drivername="postgresql", password=None)
    command = [tool, "--dbname", target.render_as_string(hide_password=False), *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise click.ClickException(f"{Path(tool).name} failed: {result.stderr.strip()}")


def _tar_hashes(archive: Path) -> dict[str, str]:
    """{member name: sha256} of every file in a tar, read without extracting anything."""
    hashes: dict[str, str] = {}
    with tarfile.open(archive, "r") as tar:
        for member in tar:
            if not member.isfile():
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            digest = hashlib.sha256()
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
            hashes[member.name] = digest.hexdigest()
    return hashes


def _swap_in_evidence(archive: Path, folder: Path, expected: dict[str, str]) -> None:
    """Unpack beside the upload folder, check every hash, then swap the folders; the current
    files stay in place until the new ones are all there."""
    staging = folder.with_name(folder.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    _untar_folder(archive, staging)
    wrong = [name for name, digest in expected.items()
             if not (staging / name).is_file() or file_sha256(staging / name) != digest]  # fmt: skip
    if wrong:
        shutil.rmtree(staging, ignore_errors=True)
        raise click.ClickException(f"Evidence files differ after unpacking: {', '.join(wrong)}")
    previous = folder.with_name(folder.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.replace(previous)
    staging.replace(folder)
    shutil.rmtree(previous, ignore_errors=True)


def _tar_folder(folder: Path, archive: Path) -> dict[str, str]:
    """Tar every file under `folder`; return {relative path: sha256}."""
    files: dict[str, str] = {}
    with tarfile.open(archive, "w") as tar:
        if folder.is_dir():
            for file in sorted(p for p in folder.rglob("*") if p.is_file()):
                name = file.relative_to(folder).as_posix()
                files[name] = file_sha256(file)
                tar.add(file, arcname=name)
    return files


def _untar_folder(archive: Path, folder: Path) -> None:
    """Extract with the "data" filter: no absolute paths, links out or device files."""
    private_folder(folder)
    with tarfile.open(archive, "r") as tar:
        tar.extractall(folder, filter="data")
    for extracted in folder.rglob("*"):
        make_private(extracted)
