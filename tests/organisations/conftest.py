"""Two organisations with a round, an action, a milestone and people each, committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.support import factories
from tests.support.proof import cached_password_hash
from tracker.models import AssessmentRound, Organisation, System, User


@dataclass
class Trust:
    organisation: Organisation
    round: AssessmentRound
    people: dict[str, User]
    action_id: int
    milestone_id: int
    organisation_id: int
    round_id: int


def build_trust(session: Session, code: str, name: str, system: System | None) -> Trust:
    organisation = Organisation(ods_code=code, name=name, system=system)
    session.add(organisation)
    people = {
        role: User(
            organisation=organisation,
            email=f"{role}@{code.lower()}.nhs.uk",
            name=f"{name} {role}",
            role=role,
            password_hash=cached_password_hash(),
        )
        for role in ("admin", "director", "owner", "viewer", "system_viewer")
    }
    session.add_all(people.values())
    session.flush()
    with_round = factories.make_round(session, f"Baseline {code}", organisation=organisation)
    action = factories.make_action(
        session, with_round, 1, owner=people["owner"], title=f"Vision work at {code}"
    )
    milestone = factories.make_milestone(session, action, date(2026, 12, 1))
    factories.make_lead(session, people["director"], 1)
    session.commit()
    return Trust(
        organisation, with_round, people, action.id, milestone.id, organisation.id, with_round.id
    )


@pytest.fixture
def system(session: Session) -> System:
    notts = System(code="QT1", name="Nottingham and Nottinghamshire ICS")
    session.add(notts)
    session.commit()
    return notts


@pytest.fixture
def trusts(session: Session, framework, system: System) -> tuple[Trust, Trust]:
    return (
        build_trust(session, "RX1", "Nottingham University Hospitals", system),
        build_trust(session, "RHA", "Nottinghamshire Healthcare", system),
    )
