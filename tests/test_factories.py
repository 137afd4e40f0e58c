"""The shared test factories build valid rows that the constraints accept."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from tests.support.factories import make_action, make_milestone, make_round
from tracker.models import ActionOrigin


def test_round_action_and_milestone(session, framework, make_user):
    owner = make_user("owner")
    assessment_round = make_round(session)
    action = make_action(session, assessment_round, 3, owner=owner)
    make_milestone(session, action, date(2027, 1, 1), weight=2)
    session.commit()
    assert action.version == 1
    assert len(assessment_round.scores) == 22
    assert action.milestones[0].weight == 2


def test_one_spawned_action_per_round_and_question(session, framework):
    assessment_round = make_round(session)
    make_action(session, assessment_round, 1, origin=ActionOrigin.SPAWNED)
    make_action(session, assessment_round, 1, origin=ActionOrigin.MANUAL)
    with pytest.raises(IntegrityError):
        make_action(session, assessment_round, 1, origin=ActionOrigin.SPAWNED)
    session.rollback()


def test_check_constraints_refuse_bad_values(session, framework):
    assessment_round = make_round(session)
    with pytest.raises(IntegrityError):
        make_action(session, assessment_round, 2, status="finished")
    session.rollback()
