"""A deterministic demo organisation built on the published sample, for newcomers to explore,
with two partner organisations in one system (tracker.domain.demo.partners) and a platform admin.

The baseline round is imported from the sample through the real importer (so spawning,
leads and audit work exactly as in use), then people, assignments, milestones, progress and
evidence are laid out relative to `today`: the same `today` always gives the same rows.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.registration import create_user
from tracker.domain.boundary import scoped, unscoped
from tracker.domain.demo.partners import (
    MAIN_CODE,
    add_partners,
    build_system,
    partner_ids,
    share_round_named,
)
from tracker.domain.errors import DomainError
from tracker.domain.framework.loader import (
    DEFAULT_FRAMEWORK_FILE,
    load_framework,
    read_framework_file,
)
from tracker.domain.readiness import recompute_all
from tracker.domain.rounds.importing import import_round
from tracker.models import (
    Action,
    ActionStatus,
    AssessmentRound,
    Base,
    Component,
    DomainLead,
    Evidence,
    Milestone,
    Organisation,
    Priority,
    ProgressUpdate,
    Question,
    ReviewStatus,
    Role,
    User,
)

SAMPLE_FILE = (
    Path(__file__).resolve().parents[2] / "data" / "demo" / "nhs-impact-self-assessment-summary.txt"
)
DEMO_PASSWORD = "impact-demo-passphrase"  # noqa: S105 - printed on purpose, demo only
ORGANISATION = "Demo NHS Foundation Trust"
ROUND_NAME = "Baseline"
DIRECTORS = ["Priya Shah", "Tom Evans", "Grace Okafor", "Daniel Hughes", "Fatima Rahman"]
OWNERS = ["Olivia Brown", "Samuel Clarke", "Chloe Wright", "Ibrahim Malik"]
PEOPLE = [
    ("admin", "Ada Lovelace", "admin"),
    ("viewer", "Victor Board", "viewer"),
    ("ics.lead", "Sita Patel", "system_viewer"),  # the ICS improvement lead
]


@dataclass
class DemoSummary:
    """Who can sign in, and what was built."""

    password: str
    round_name: str
    held_on: date
    next_round_on: date
    # email, role, name, organisation code
    users: list[tuple[str, ...]] = field(default_factory=list)
    actions: int = 0
    assigned: int = 0
    milestones: int = 0


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def has_data(session: Session) -> bool:
    """True when people, rounds or actions exist (the demo refuses to mix with real data)."""
    return any(
        session.scalar(select(func.count()).select_from(model))
        for model in (User, AssessmentRound, Action)
    )


def reset_all(session: Session) -> None:
    """Delete every row of every table (children first). Only for `flask demo load --reset`."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(delete(table))
    session.flush()


def load_demo(session: Session, today: date, *, reset: bool = False) -> DemoSummary:
    """Build the demo organisation; refuses when data exists unless `reset` is given."""
    if has_data(session):
        if not reset:
            raise DomainError(
                "The database already holds users, rounds or actions: the demo would mix with them. "
                "Use --reset to delete everything and load the demo, or use an empty database."
            )
        reset_all(session)
    now = datetime.combine(today, time(9, 0), tzinfo=UTC)
    load_framework(session, read_framework_file(DEFAULT_FRAMEWORK_FILE))
    with unscoped(session):
        organisation = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        if organisation is None:
            organisation = Organisation(ods_code=MAIN_CODE, name=ORGANISATION)
            session.add(organisation)
        organisation.name, organisation.ods_code = ORGANISATION, MAIN_CODE
        organisation.system = build_system(session)
        session.flush()
    held_on = add_months(today, -2)
    summary = DemoSummary(DEMO_PASSWORD, ROUND_NAME, held_on, add_months(held_on, 6))
    with scoped(session, organisation.id):
        people = _create_people(session, organisation, now, summary)
        admin = people["admin"][0]
        import_round(
            session, admin, organisation=organisation, data=SAMPLE_FILE.read_bytes(),
            round_name=ROUND_NAME, held_on=held_on, next_round_on=summary.next_round_on,
            now=now, max_bytes=10 * 1024 * 1024,
        )  # fmt: skip
        _plan_actions(session, people, today, summary)
        share_round_named(session, admin, organisation, ROUND_NAME, now)
        audit.record(session, admin, "organisation", organisation.id, "demo_loaded", at=now,
                     after={"today": today, "actions": summary.actions})  # fmt: skip
        session.flush()
    summary.users = [(*person, MAIN_CODE) for person in summary.users]
    summary.users += add_partners(
        session, organisation.system, sample=SAMPLE_FILE.read_text(encoding="utf-8"),
        today=today, now=now, password=DEMO_PASSWORD, add_months=add_months,
    )  # fmt: skip
    for organisation_id in [organisation.id, *partner_ids(session)]:
        with scoped(session, organisation_id):
            recompute_all(session, as_of=today)  # the shared readiness summaries
    with unscoped(session):
        platform = create_user(
            session, None, email="platform.admin@demo.nhs.uk", name="Pat Platform",
            role=Role.PLATFORM_ADMIN, password=DEMO_PASSWORD, now=now,
        )  # fmt: skip
    summary.users.append((platform.email, "platform admin", platform.name, "-"))
    return summary


def _create_people(
    session: Session, organisation: Organisation, now: datetime, summary: DemoSummary
) -> dict[str, list[User]]:
    """Admin, viewer, the ICS lead (a system viewer), one director per component (DomainLead rows) and four owners."""
    people: dict[str, list[User]] = {
        "admin": [], "viewer": [], "system_viewer": [], "director": [], "owner": []
    }  # fmt: skip
    specs = [(local, name, role) for local, name, role in PEOPLE]
    specs += [(name.split()[0].lower() + ".director", name, "director") for name in DIRECTORS]
    specs += [(name.split()[0].lower() + ".owner", name, "owner") for name in OWNERS]
    for local, name, role in specs:
        user = create_user(
            session, None, email=f"{local}@demo.nhs.uk", name=name, role=role,
            password=DEMO_PASSWORD, now=now, organisation=organisation,
        )  # fmt: skip
        people[role].append(user)
        summary.users.append((user.email, role.replace("_", " "), name))
    components = session.scalars(select(Component).order_by(Component.position)).all()
    for component, director in zip(components, people["director"], strict=False):
        session.add(DomainLead(component_id=component.id, user_id=director.id))
    session.flush()
    return people


def _plan_actions(
    session: Session, people: dict[str, list[User]], today: date, summary: DemoSummary
) -> None:
    """Assign three in four spawned actions and give them milestones, progress and evidence."""
    actions = session.scalars(select(Action).join(Question).order_by(Question.number)).all()
    summary.actions = len(actions)
    owners = people["owner"]
    for index, action in enumerate(actions):
        if index % 4 == 3:
            continue  # left unassigned for the director to pick up
        owner = owners[index % len(owners)]
        action.owner_id = owner.id
        action.priority = (Priority.HIGH, Priority.MEDIUM, Priority.LOW)[index % 3]
        action.due_on = summary.next_round_on - timedelta(days=14 + 7 * (index % 3))
        summary.assigned += 1
        _milestones(session, action, owner, index, today, summary)
        if index % 3 == 0:
            action.status = ActionStatus.IN_PROGRESS
            _progress(session, action, owner, index, today)
        if index % 5 == 0:
            _evidence(session, action, owner, index, today, people)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _milestones(
    session: Session, action: Action, owner: User, index: int, today: date, summary: DemoSummary
) -> None:
    """Three steps: one done, one overdue (on every other action) or due soon, one after the round.

    The overdue step is three weeks late, so on the first of next month it is past the 14 days
    after which directors hear about it, whatever day of the month the demo is loaded."""
    plan = [
        ("Agree the approach with the director", today - timedelta(days=30), True),
        ("Run the first test of change", today + timedelta(days=-21 if index % 2 else 21), False),
        ("Share what was learned", summary.next_round_on + timedelta(days=10 * (index % 2)), False),
    ]
    for title, due_on, done in plan:
        session.add(Milestone(
            action=action, title=title, weight=1, original_due_on=due_on, due_on=due_on,
            done_at=_at(due_on - timedelta(days=2)) if done else None,
            done_by_id=owner.id if done else None,
        ))  # fmt: skip
        summary.milestones += 1


def _progress(session: Session, action: Action, owner: User, index: int, today: date) -> None:
    session.add(ProgressUpdate(
        action=action, author_id=owner.id, percent=20 + 5 * (index % 4),
        text="Kick-off held with the team; first measures agreed.",
        created_at=_at(today - timedelta(days=10 + index)),
    ))  # fmt: skip


def _evidence(
    session: Session,
    action: Action,
    owner: User,
    index: int,
    today: date,
    people: dict[str, list[User]],
) -> None:
    """Accepted notes, except the action at index 5 whose note was rejected with a reason."""
    rejected = index == 5
    reviewer = action.lead_id or people["admin"][0].id
    session.add(Evidence(
        action=action, kind="note", title="Notes from the kick-off meeting",
        note="Minutes and agreed measures are in the team's shared drive.",
        uploaded_by_id=owner.id, uploaded_at=_at(today - timedelta(days=9)),
        review_status=ReviewStatus.REJECTED if rejected else ReviewStatus.ACCEPTED,
        reviewed_by_id=reviewer, reviewed_at=_at(today - timedelta(days=5)),
        review_note="Please attach the measures themselves, not only the minutes." if rejected else "",
    ))  # fmt: skip
