"""A small organisation: a round, a director leading domain 1, two owners and their actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.support.factories import make_action, make_lead, make_milestone, make_round
from tracker.models import Action, AssessmentRound, Milestone, User


@dataclass
class World:
    round: AssessmentRound
    admin: User
    director: User
    other_director: User
    owner: User
    other_owner: User
    viewer: User
    action: Action
    other_action: Action
    unassigned: Action
    milestone: Milestone

    @property
    def director_components(self) -> set[int]:
        return {self.action.question.component_id}


@pytest.fixture
def world(session, framework, make_user) -> World:
    admin = make_user("admin")
    director = make_user("director", name="Dana Director")
    other_director = make_user("director", name="Olly Otherdirector")
    owner = make_user("owner", name="Owen Owner")
    other_owner = make_user("owner", name="Priya Peer")
    viewer = make_user("viewer")
    assessment_round = make_round(session)
    make_lead(session, director, 1)
    make_lead(session, other_director, 2)
    action = make_action(session, assessment_round, 1, owner=owner, title="Write the vision")
    other_action = make_action(
        session, assessment_round, 5, owner=other_owner, title="Culture survey"
    )
    unassigned = make_action(session, assessment_round, 2, title="Share the plan")
    milestone = make_milestone(session, action, date(2027, 1, 15), title="Draft agreed")
    session.commit()
    return World(
        assessment_round, admin, director, other_director, owner, other_owner, viewer,
        action, other_action, unassigned, milestone,
    )  # fmt: skip
