"""Database engine tuning: SQLite gets foreign keys, WAL and a busy timeout on every connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tracker.extensions import db

_configured = False


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine_events() -> None:
    """Attach the connect hook once per process, for every engine."""
    global _configured
    if not _configured:
        event.listen(Engine, "connect", _on_connect)
        _configured = True


def is_postgresql(session_or_engine: Any) -> bool:
    """True when the bound database is PostgreSQL (locks and upserts differ from SQLite)."""
    bind = (
        session_or_engine.get_bind()
        if hasattr(session_or_engine, "get_bind")
        else session_or_engine
    )
    return bind.dialect.name == "postgresql"


def db_session() -> Session:
    """The request's (or the app context's) ORM session, typed as a plain Session.

    Flask-SQLAlchemy's `db.session` is a scoped_session proxy; views, commands and jobs call
    this instead so that the domain functions they hand it to type-check."""
    return db.session()
