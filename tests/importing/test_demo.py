"""The demo organisation: deterministic, refuses to mix with data, --reset starts afresh."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.support.helpers import SAMPLE, table_counts
from tracker.domain.boundary import scope_session
from tracker.domain.demo.organisation import SAMPLE_FILE
from tracker.models import (
    Action,
    AssessmentRound,
    DomainLead,
    Evidence,
    Milestone,
    Organisation,
    ProgressUpdate,
    User,
)

TODAY = "2026-11-27"


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["demo", "load", *args])


def snapshot(session) -> list[tuple]:
    """The demo's content without ids or creation times."""
    actions = session.execute(
        select(Action.title, Action.status, Action.priority, Action.due_on, User.email)
        .outerjoin(User, Action.owner_id == User.id)
        .order_by(Action.title)
    ).all()
    milestones = session.execute(
        select(Milestone.title, Milestone.due_on, Milestone.done_at).order_by(
            Milestone.due_on, Milestone.title
        )
    ).all()
    # sorted in full: the partner organisations' spawned actions share titles
    return sorted([tuple(row) for row in actions], key=repr) + sorted(
        [tuple(row) for row in milestones], key=repr
    )


def test_demo_loads_and_prints_how_to_sign_in(app, session) -> None:
    result = run(app, "--today", TODAY)
    demo_trust = session.scalar(select(Organisation).where(Organisation.ods_code == "DEMO1"))
    scope_session(session, demo_trust.id)  # the checks below are about the demo trust
    assert result.exit_code == 0, result.stderr
    assert (
        "Sign in with any of these emails and the password: impact-demo-passphrase" in result.stdout
    )
    assert "admin@demo.nhs.uk" in result.stdout
    baseline = session.scalars(select(AssessmentRound)).one()
    assert (baseline.held_on, baseline.next_round_on) == (date(2026, 9, 27), date(2027, 3, 27))
    assert len(session.scalars(select(DomainLead)).all()) == 5
    roles = sorted(session.scalars(select(User.role)))
    assert roles.count("owner") == 4 and roles.count("viewer") == 1 and roles.count("admin") == 1
    assert roles.count("system_viewer") == 1
    actions = session.scalars(select(Action)).all()
    assert len(actions) == 16
    assert all(action.lead_id for action in actions)
    assert sum(1 for action in actions if action.owner_id) == 12
    today = date(2026, 11, 27)
    milestones = session.scalars(select(Milestone)).all()
    assert any(m.done_at for m in milestones)
    assert any(m.done_at is None and m.due_on < today for m in milestones)
    assert any(m.due_on > baseline.next_round_on for m in milestones)
    assert session.scalars(select(ProgressUpdate)).all()
    reviews = sorted(session.scalars(select(Evidence.review_status)))
    assert reviews == ["accepted", "accepted", "rejected"]


def test_demo_is_deterministic_and_refuses_existing_data(app, session) -> None:
    run(app, "--today", TODAY)
    first = snapshot(session)
    before = table_counts(session)
    refused = run(app, "--today", TODAY)
    assert refused.exit_code == 1
    assert "already holds users, rounds or actions" in refused.stderr
    assert table_counts(session) == before
    again = run(app, "--today", TODAY, "--reset")
    assert again.exit_code == 0, again.stderr
    session.expire_all()
    assert snapshot(session) == first
    assert table_counts(session)["user_account"] == before["user_account"]


def test_demo_refused_in_production(app, session) -> None:
    app.config["ENV_NAME"] = "production"
    try:
        result = run(app)
    finally:
        app.config["ENV_NAME"] = "testing"
    assert result.exit_code == 1
    assert "never loaded in production" in result.stderr
    assert session.scalars(select(User)).all() == []


def test_packaged_sample_is_the_shared_sample() -> None:
    assert SAMPLE_FILE.read_bytes() == SAMPLE.read_bytes()
