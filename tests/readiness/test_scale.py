"""22 questions, 2,000 actions and 10,000 milestones: the same few queries as for one action, and
every row reaches the forecast. How long it takes is the benchmark's business (`python -m
tracker.bench` times readiness at 100, 10,000 and 50,000 milestones), not the tests'."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from tests.support.factories import level, make_action, make_milestone, make_round
from tests.support.helpers import TODAY
from tests.support.queries import count_queries
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness
from tracker.models import Action, Milestone, Question


def bulk_plan(session, rnd, owner, n_actions, per_action):
    questions = list(session.scalars(select(Question.id).order_by(Question.number)))
    target = level(session, 2).id
    now = datetime(2026, 6, 1, tzinfo=UTC)
    session.execute(
        insert(Action),
        [
            {
                "question_id": questions[i % len(questions)],
                "round_id": rnd.id,
                "title": f"Bulk {i}",
                "owner_id": owner.id if i % 7 else None,
                "target_level_id": target,
                "status": "in_progress",
                "origin": "manual",
                "priority": "medium",
                "description": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(n_actions)
        ],
    )
    ids = list(session.scalars(select(Action.id).where(Action.title.startswith("Bulk "))))
    if not per_action:
        session.commit()
        return
    session.execute(
        insert(Milestone),
        [
            {
                "action_id": action_id,
                "title": f"Step {k}",
                "weight": 1 + k % 3,
                "original_due_on": date(2026, 9, 1) + timedelta(days=37 * k),
                "due_on": date(2026, 9, 1) + timedelta(days=41 * k),
                "done_at": now + timedelta(days=90) if k < 2 else None,
                "created_at": now,
            }
            for action_id in ids
            for k in range(per_action)
        ],
    )
    session.commit()


def test_two_thousand_actions_cost_the_same_queries_as_one(session, framework, make_user):
    owner = make_user("owner")
    rnd = make_round(session)
    warm = make_action(session, rnd, 1, owner=owner)
    make_milestone(session, warm, date(2027, 1, 1))
    session.commit()
    org = default_organisation(session).id
    with count_queries() as small:
        compute_readiness(session, organisation_id=org, as_of=TODAY)
    bulk_plan(session, rnd, owner, 2_000, 5)
    session.expire_all()
    with count_queries() as large:
        report = compute_readiness(session, organisation_id=org, as_of=TODAY)
    assert report.counts == {"actions": 2_001, "milestones": 10_001, "milestones_done": 4_000}
    assert len(large) == len(small) <= 10
    assert sum(len(question.action_ids) for question in report.questions) == 2_001
    unowned = sum(1 for i in range(2_000) if i % 7 == 0)  # bulk_plan leaves these without owner
    assert sum("No owner" in item.reasons for item in report.at_risk) == unowned
