"""`flask backup create PATH` and `flask backup restore PATH`: the whole database plus the
evidence files, restorable into a fresh database.

A backup is a folder holding:
  database.sqlite3   SQLite, copied with the online backup API (safe while the app runs)
  database.dump      PostgreSQL, `pg_dump -Fc` (restored with `pg_restore`)
  evidence.tar       the evidence upload folder (UPLOAD_DIR)
  manifest.json      when, which database kind, rows per table and SHA-256 of every file,
                     so a restore can prove it got everything back.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from sqlalchemy import func, make_url, select
from sqlalchemy.engine import URL

from tracker.domain.hashing import file_sha256
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
    path.mkdir(parents=True, exist_ok=True)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        _sqlite_copy(_sqlite_path(url), path / SQLITE_FILE)
    elif url.get_backend_name() == "postgresql":
        _run(_pg_tool("pg_dump"), "-Fc", "-f", str(path / POSTGRES_FILE), env_url=url)
    else:
        raise click.ClickException(f"Backing up {url.get_backend_name()} is not supported")
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    files = _tar_folder(upload_dir, path / EVIDENCE_FILE)
    tables = table_counts()
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": url.get_backend_name(),
        "tables": tables,
        "evidence": files,
    }
    (path / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True))
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
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    _untar_folder(path / EVIDENCE_FILE, upload_dir)
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
    """Copy a SQLite database page by page with the online backup API (consistent even while
    other connections write)."""
    if not source.is_file():
        raise click.ClickException(f"{source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


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
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r") as tar:
        tar.extractall(folder, filter="data")
