"""Reading the whole audit trail with filters, a page at a time, in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.dates import LONDON
from tracker.models import AuditEvent, User

PER_PAGE = 50


@dataclass(frozen=True)
class TrailFilter:
    """What the admin asked to see; dates are whole days in the organisation's time zone."""

    actor_id: int | None = None
    entity: str | None = None
    verb: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class TrailPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int
    per_page: int = PER_PAGE
    choices: dict[str, list[str]] = field(default_factory=dict)


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _filtered(statement: Select, wanted: TrailFilter, zone: ZoneInfo) -> Select:
    if wanted.actor_id is not None:
        statement = statement.where(AuditEvent.actor_id == wanted.actor_id)
    if wanted.entity:
        statement = statement.where(AuditEvent.entity == wanted.entity)
    if wanted.verb:
        statement = statement.where(AuditEvent.verb == wanted.verb)
    if wanted.date_from is not None:
        statement = statement.where(AuditEvent.at >= _start_of(wanted.date_from, zone))
    if wanted.date_to is not None:
        end = _start_of(wanted.date_to + timedelta(days=1), zone)
        statement = statement.where(AuditEvent.at < end)
    return statement


def search(session: Session, wanted: TrailFilter, *, page: int = 1) -> TrailPage:
    """Events matching the filter, newest first, 50 a page, each with its actor loaded.

    Two queries whatever the page size: one count, one page joined to the actors.
    A page past the end shows the last page.
    """
    zone = LONDON
    total = session.scalar(_filtered(select(func.count(AuditEvent.id)), wanted, zone)) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    events = session.scalars(
        _filtered(select(AuditEvent), wanted, zone)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return TrailPage(events=list(events), total=total, page=page, pages=pages)


def filter_choices(session: Session) -> tuple[list[User], list[str], list[str]]:
    """The people, entities and verbs that appear in the trail (three grouped queries)."""
    actors = session.scalars(
        select(User)
        .where(User.id.in_(select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None))))
        .order_by(User.name)
    ).all()
    entities = session.scalars(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity))
    verbs = session.scalars(select(AuditEvent.verb).distinct().order_by(AuditEvent.verb))
    return list(actors), list(entities), list(verbs)
