"""The demo's system: the demo trust and two partner organisations in one integrated care
system, each with its own admin, rounds and sharing choice, so a newcomer can see the system
view and every organisation's boundary.

- Demo NHS Foundation Trust (DEMO1): the full demo; shares its baseline.
- Demo Community Health NHS Trust (DEMO2): a baseline a year earlier and a re-measurement, both
  shared, so partners see its change.
- Demo Mental Health NHS Trust (DEMO3): one round, not shared: partners see "not shared".

Partner rounds go through the real importer (the sample's text with other levels), so their
actions are spawned as in use; they are left unassigned for each organisation's own people.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.accounts.registration import create_user
from tracker.domain.boundary import scoped, unscoped
from tracker.domain.organisations.sharing import share_round
from tracker.domain.rounds.importing import import_round
from tracker.models import AssessmentRound, Organisation, System, User

SYSTEM_CODE, SYSTEM_NAME = "QDM", "Demo Integrated Care System"
MAIN_CODE = "DEMO1"
LEVEL_CELL = re.compile(r"\t(Starting|Developing)\t")
LEVELS = {1: "Starting", 2: "Developing", 3: "Maturing"}


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    email_domain: str
    admin: str
    viewer: str
    rounds: tuple[tuple[str, int, str], ...]  # name, months before today, ranks by question
    shared: bool


PARTNERS = (
    Partner(
        "DEMO2",
        "Demo Community Health NHS Trust",
        "community.demo.nhs.uk",
        "Aisha Khan",
        "Bob Marsh",
        (
            ("Baseline", 14, "1111211221112111122111"),
            ("Re-measurement", 2, "2212221232122211222122"),
        ),
        True,
    ),
    Partner(
        "DEMO3",
        "Demo Mental Health NHS Trust",
        "mentalhealth.demo.nhs.uk",
        "Kofi Mensah",
        "Lena Novak",
        (("Baseline", 3, "2222122212222212212222"),),
        False,
    ),
)


def sample_with_levels(sample: str, ranks: str) -> bytes:
    """The sample's text with question n scored at rank `ranks[n-1]` instead."""
    numbers = iter(ranks)
    return LEVEL_CELL.sub(lambda m: f"\t{LEVELS[int(next(numbers))]}\t", sample).encode()


def build_system(session: Session) -> System:
    system = System(code=SYSTEM_CODE, name=SYSTEM_NAME)
    session.add(system)
    session.flush()
    return system


def add_partners(
    session: Session,
    system: System,
    *,
    sample: str,
    today: date,
    now: datetime,
    password: str,
    add_months: Callable[[date, int], date],
) -> list[tuple[str, str, str, str]]:
    """Create the partner organisations, their people, rounds and sharing choices; returns the
    people who can sign in as (email, role, name, organisation code)."""
    people = []
    for partner in PARTNERS:
        organisation = Organisation(ods_code=partner.code, name=partner.name, system=system)
        session.add(organisation)
        session.flush()
        with scoped(session, organisation.id):
            admin = _person(session, organisation, "admin", partner.admin, partner, now, password)
            viewer = _person(
                session, organisation, "viewer", partner.viewer, partner, now, password
            )
            people += [
                (admin.email, "admin", admin.name, partner.code),
                (viewer.email, "viewer", viewer.name, partner.code),
            ]
            for name, months, ranks in partner.rounds:
                held_on = add_months(today, -months)
                summary = import_round(
                    session, admin, organisation=organisation,
                    data=sample_with_levels(sample, ranks), round_name=name, held_on=held_on,
                    next_round_on=add_months(today, 6 - months),
                    now=now, max_bytes=10 * 1024 * 1024,
                )  # fmt: skip
                if partner.shared:
                    share_round_named(session, admin, organisation, summary.round_name, now)
    return people


def _person(
    session: Session,
    organisation: Organisation,
    role: str,
    name: str,
    partner: Partner,
    now: datetime,
    password: str,
) -> User:
    local = name.split()[0].lower()
    return create_user(
        session, None, email=f"{local}.{role}@{partner.email_domain}", name=name, role=role,
        password=password, now=now, organisation=organisation,
    )  # fmt: skip


def share_round_named(
    session: Session, admin: User, organisation: Organisation, round_name: str, now: datetime
) -> None:
    round_id = session.scalar(
        select(AssessmentRound.id).where(
            AssessmentRound.organisation_id == organisation.id,
            AssessmentRound.name == round_name,
        )
    )
    assert round_id is not None
    share_round(session, admin, round_id, now=now)


def partner_ids(session: Session) -> list[int]:
    codes = [partner.code for partner in PARTNERS]
    with unscoped(session):
        return list(
            session.scalars(select(Organisation.id).where(Organisation.ods_code.in_(codes)))
        )
