"""Building a large organisation fast, with bulk inserts (no ORM objects per row)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from tracker.domain.accounts.registration import default_organisation, hash_password
from tracker.domain.framework.loader import (
    DEFAULT_FRAMEWORK_FILE,
    load_framework,
    read_framework_file,
)
from tracker.models import (
    Action,
    AssessmentRound,
    Component,
    DomainLead,
    Evidence,
    Framework,
    MaturityLevel,
    Milestone,
    Organisation,
    ProgressUpdate,
    Question,
    Score,
    User,
)

BENCH_PASSWORD = "bench-passphrase-not-secret"  # noqa: S105 - throwaway benchmark database
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)
STATUSES = ("not_started", "in_progress", "in_progress", "completed")


@dataclass
class Org:
    """Ids the measurements need."""

    organisation_id: int
    round_id: int
    admin_id: int
    viewer_id: int
    director_ids: list[int]
    owner_ids: list[int]
    question_ids: list[int]
    component_ids: list[int]
    target_level_id: int
    actions: int = 0
    milestones: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _users(
    session: Session, org_id: int, role: str, count: int, start: int = 0, prefix: str = ""
) -> list[int]:
    """Insert `count` users of a role in one statement; return their ids."""
    password_hash = hash_password(BENCH_PASSWORD)
    rows = [
        {
            "organisation_id": org_id,
            "email": f"{prefix}{role}{n}@bench.nhs.uk",
            "name": f"{role.capitalize()} {n}",
            "role": role,
            "password_hash": password_hash,
            "is_active": True,
            "session_version": 1,
            "digest_frequency": "monthly",
            "created_at": NOW,
        }
        for n in range(start, start + count)
    ]
    session.execute(insert(User), rows)
    emails = [row["email"] for row in rows]
    ids = session.scalars(
        select(User.id).where(User.role == role, User.email.in_(emails)).order_by(User.id)
    ).all()
    return list(ids)


def build_organisation(
    session: Session, owners: int, organisation: Organisation | None = None, ranks: int = 0
) -> Org:
    """The shipped framework, one round scoring every question Starting (or, with `ranks`, a
    spread of levels that differs by organisation), an admin, a viewer, one director leading
    each component, and `owners` owners; in `organisation` or the only one."""
    load_framework(session, read_framework_file(DEFAULT_FRAMEWORK_FILE))
    organisation = organisation or default_organisation(session)
    prefix = f"{organisation.ods_code.lower()}." if ranks else ""
    framework = session.scalars(select(Framework)).one()
    levels = {lv.rank: lv.id for lv in session.scalars(select(MaturityLevel))}
    assessment_round = AssessmentRound(
        organisation=organisation,
        framework=framework,
        name="Baseline",
        held_on=date(2026, 5, 1),
        next_round_on=date(2027, 5, 1),
    )
    session.add(assessment_round)
    session.flush()
    questions = session.scalars(select(Question.id).order_by(Question.number)).all()
    session.execute(
        insert(Score),
        [
            {
                "round_id": assessment_round.id,
                "question_id": q,
                "level_id": levels[1 + (n * ranks + n // 3) % 3 if ranks else 1],
            }
            for n, q in enumerate(questions)
        ],
    )
    components = session.scalars(select(Component.id).order_by(Component.position)).all()
    directors = _users(session, organisation.id, "director", len(components), prefix=prefix)
    session.execute(
        insert(DomainLead),
        [{"component_id": c, "user_id": d} for c, d in zip(components, directors, strict=True)],
    )
    org = Org(
        organisation_id=organisation.id,
        round_id=assessment_round.id,
        admin_id=_users(session, organisation.id, "admin", 1, prefix=prefix)[0],
        viewer_id=_users(session, organisation.id, "viewer", 1, prefix=prefix)[0],
        director_ids=directors,
        owner_ids=_users(session, organisation.id, "owner", owners, prefix=prefix),
        question_ids=list(questions),
        component_ids=list(components),
        target_level_id=levels[2],
    )
    session.commit()
    return org


def add_actions(session: Session, org: Org, count: int, milestones_each: int = 5) -> None:
    """Add `count` actions spread over owners and questions, each with milestones; every
    second one with a progress update and every fifth with a note as evidence. Ticks and
    updates each have their own moment, as real ones do (no two share a timestamp)."""
    first = org.actions
    rows = []
    for n in range(first, first + count):
        rows.append(
            {
                "question_id": org.question_ids[n % len(org.question_ids)],
                "round_id": org.round_id,
                "origin": "manual",
                "title": f"Improvement action {n}",
                "description": "Bench action",
                "owner_id": org.owner_ids[n % len(org.owner_ids)],
                "lead_id": org.director_ids[n % len(org.director_ids)],
                "status": STATUSES[n % len(STATUSES)],
                "priority": ("low", "medium", "high")[n % 3],
                "target_level_id": org.target_level_id,
                "due_on": TODAY + timedelta(days=30 + n % 150),
                "created_at": NOW,
                "updated_at": NOW,
                "version": 1,
            }
        )
    for chunk in _chunks(rows, 2000):
        session.execute(insert(Action), chunk)
    ids = session.scalars(select(Action.id).order_by(Action.id).offset(first)).all()
    milestones, updates, evidence = [], [], []
    for index, action_id in enumerate(ids):
        n = first + index
        for m in range(milestones_each):
            due = TODAY + timedelta(days=(n + 30 * m) % 200 - 60)
            done = m < (n % (milestones_each + 1))
            milestones.append(
                {
                    "action_id": action_id,
                    "title": f"Step {m + 1}",
                    "weight": 1 + m % 3,
                    "original_due_on": due,
                    "due_on": due,
                    "done_at": _ticked(n, m, due) if done else None,
                    "created_at": NOW,
                }
            )
        owner = org.owner_ids[n % len(org.owner_ids)]
        if n % 2 == 0:
            updates.append(
                {
                    "action_id": action_id,
                    "author_id": owner,
                    "text": "Going well",
                    "percent": n % 101,
                    "created_at": NOW - timedelta(minutes=n),
                }
            )
        if n % 5 == 0:
            evidence.append(
                {
                    "action_id": action_id,
                    "kind": "note",
                    "title": "Meeting note",
                    "note": "Agreed at the board",
                    "uploaded_by_id": owner,
                    "uploaded_at": NOW,
                    "review_status": "pending",
                    "review_note": "",
                }
            )
    for table, batch in ((Milestone, milestones), (ProgressUpdate, updates), (Evidence, evidence)):
        for chunk in _chunks(batch, 5000):
            session.execute(insert(table), chunk)
    session.commit()
    refresh_statistics(session)
    org.actions += count
    org.milestones += count * milestones_each


def _ticked(n: int, m: int, due: date) -> datetime:
    """When milestone m of action n was ticked, as real ticks are: each at its own moment,
    from 20 days early to 29 days late against its due date, never after NOW."""
    late = (n * 7 + m * 13) % 50 - 20
    moment = datetime(due.year, due.month, due.day, 7, tzinfo=UTC) + timedelta(
        days=late, seconds=(n * 61 + m * 17) % 50_000
    )
    return min(moment, NOW - timedelta(seconds=n * 5 + m + 1))


def spread_over_owners(session: Session, org: Org, owners: int) -> None:
    """Add owners until there are `owners`, then give every owner an equal share of actions
    (for the reminder run)."""
    missing = owners - len(org.owner_ids)
    if missing > 0:
        org.owner_ids += _users(session, org.organisation_id, "owner", missing, len(org.owner_ids))
    ids = session.scalars(select(Action.id).order_by(Action.id)).all()
    statement = (
        update(Action).where(Action.id == bindparam("b_id")).values(owner_id=bindparam("b_owner"))
    )
    pairs = [{"b_id": a, "b_owner": org.owner_ids[i % owners]} for i, a in enumerate(ids)]
    for chunk in _chunks(pairs, 5000):
        session.connection().execute(statement, chunk)
    session.commit()


def large_framework(questions: int, components: int = 5) -> dict[str, Any]:
    """The shipped framework's levels with `questions` made-up questions over `components`."""
    shipped = json.loads(DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8"))
    per = questions // components
    return {
        "slug": "bench-large",
        "name": "Benchmark framework",
        "version": "1",
        "levels": shipped["levels"],
        "components": [
            {
                "position": c + 1,
                "name": f"Component {c + 1}",
                "aliases": [],
                "questions": [
                    {"number": c * per + q + 1, "text": f"Benchmark question {c * per + q + 1}."}
                    for q in range(per)
                ],
            }
            for c in range(components)
        ],
    }


def scores_csv(framework: dict[str, Any]) -> bytes:
    """A CSV scoring every question of `framework`, three in four Starting."""
    lines = ["Number,Question,Score"]
    for component in framework["components"]:
        for question in component["questions"]:
            n = question["number"]
            level = "Developing" if n % 4 == 0 else "Starting"
            lines.append(f'{n},"{question["text"]}",{level}')
    return ("\n".join(lines) + "\n").encode()


def count_rows(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _chunks(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def refresh_statistics(session: Session) -> None:
    """ANALYZE after a bulk load, as autovacuum would soon do in a live installation: without
    it PostgreSQL plans the grown tables from the statistics of the empty ones."""
    session.execute(text("ANALYZE"))
    session.commit()
