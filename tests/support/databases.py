"""Creating, emptying and dropping the databases the tests use."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import MetaData, create_engine, make_url, text
from sqlalchemy.engine import Engine


def server_url() -> str | None:
    """TEST_DATABASE_URL, when the suite should run on PostgreSQL."""
    return os.environ.get("TEST_DATABASE_URL") or None


def create_database(name: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    """A new, empty database called `name`; returns its URL and a function that drops it."""
    base = server_url()
    if base is None:
        path = tmp / f"{name}.db"
        return f"sqlite:///{path}", lambda: None
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    return url, lambda: drop_database(name)


def drop_database(name: str) -> None:
    base = server_url()
    if base is None:
        return
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_all_tables(engine: Engine, metadata: MetaData) -> None:
    """Delete every row (keeping the schema and Alembic's version) between tests."""
    tables = [table.name for table in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
