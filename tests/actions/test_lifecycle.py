"""The action lifecycle in the domain: legal and illegal moves, who may make them, what they
write, the emails to the owner, and random walks through the table (property tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.support.helpers import table_counts
from tracker.domain.actions import lifecycle, milestones
from tracker.domain.actions import updates as actions
from tracker.domain.actions.closing_emails import Mail
from tracker.domain.errors import DomainError
from tracker.domain.permissions import actor_for
from tracker.domain.reminders.open_work import load_open_actions
from tracker.models import AuditEvent, Notification

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def fake_render(kind: str, context: dict[str, object]) -> tuple[str, str]:
    return f"{kind}: {context['title']} {context['note']} {context['outcome']}", "<p>html</p>"


MAIL = Mail(fake_render, "https://tracker.example")


def move(session, user, action, name, **kwargs):
    kwargs.setdefault("mail", MAIL)
    return lifecycle.apply(session, actor_for(session, user), action, name, now=NOW, **kwargs)


def test_the_full_path_is_audited_and_the_owner_told_once(session, world):
    actions.add_progress(session, world.owner, world.action, percent=50, text="Half", now=NOW)
    assert world.action.status == "in_progress"
    move(session, world.owner, world.action, "propose_done", note="All written")
    assert (world.action.status, world.action.review_reason) == ("review", "owner_proposed")
    move(session, world.director, world.action, "sign_off", outcome="partly_effective")
    session.commit()
    assert (world.action.status, world.action.outcome) == ("completed", "partly_effective")
    verbs = [e.verb for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert verbs[-3:] == ["started", "proposed_done", "signed_off"]
    [email] = session.scalars(select(Notification)).all()
    assert (email.recipient_id, email.kind) == (world.owner.id, "action_completed")
    assert "Partly effective" in email.body_text
    assert world.action.id not in load_open_actions(session)


@pytest.mark.parametrize("who", ["owner", "viewer", "other_director"])
def test_only_the_lead_director_or_an_admin_may_cancel(session, world, who):
    before = table_counts(session)
    with pytest.raises(DomainError, match="Only the lead director of this domain or an admin"):
        move(session, getattr(world, who), world.action, "cancel", note="Not needed")
    session.rollback()
    assert table_counts(session) == before
    assert world.action.status == "not_started"


def test_cancelling_needs_a_reason_and_tells_the_owner(session, world):
    before = table_counts(session)
    with pytest.raises(DomainError, match="Enter the reason for cancelling"):
        move(session, world.director, world.action, "cancel", note="  ")
    session.rollback()
    assert table_counts(session) == before
    move(session, world.admin, world.action, "cancel", note="Merged into another action")
    session.commit()
    [email] = session.scalars(select(Notification)).all()
    assert (email.recipient_id, email.kind) == (world.owner.id, "action_cancelled")
    assert "Merged into another action" in email.body_text


@pytest.mark.parametrize(
    ("setup", "name", "message"),
    [
        ([], "sign_off", "You cannot sign off an action that is not started"),
        ([], "return_to_work", "You cannot return to work an action that is not started"),
        ([], "reopen", "You cannot reopen an action that is not started"),
        (["cancel"], "cancel", "You cannot cancel an action that is cancelled"),
        (["cancel"], "propose_done", "You cannot propose as done an action that is cancelled"),
        ([], "mark_for_review", "You cannot mark for review this action"),
        ([], "finish", "Choose what to do with the action"),
    ],
)
def test_illegal_moves_are_refused_and_write_nothing(session, world, setup, name, message):
    for step in setup:
        move(session, world.admin, world.action, step, note="Setting up")
    session.commit()
    before = table_counts(session)
    status = world.action.status
    with pytest.raises(DomainError, match=message):
        move(session, world.admin, world.action, name, note="x", outcome="verified")
    session.rollback()
    assert table_counts(session) == before
    assert world.action.status == status


def test_sign_off_needs_an_outcome(session, world):
    move(session, world.owner, world.action, "propose_done")
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError, match="Choose verified, partly effective or not effective"):
        move(session, world.director, world.action, "sign_off", outcome="carried_forward")
    session.rollback()
    assert table_counts(session) == before


def test_no_email_when_the_owner_turned_it_off_or_made_the_move(session, world):
    world.owner.email_action_closed = False
    move(session, world.owner, world.action, "propose_done")
    move(session, world.director, world.action, "sign_off", outcome="verified")
    move(session, world.director, world.action, "reopen", note="One more step")
    world.owner.email_action_closed = True
    world.action.owner = world.director  # a director who owns it is not told of their own move
    move(session, world.director, world.action, "cancel", note="Stopped")
    session.commit()
    assert session.scalars(select(Notification)).all() == []


def test_closed_actions_take_no_progress_or_milestones(session, world):
    move(session, world.director, world.action, "cancel", note="Stopped")
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError, match="This action is cancelled"):
        actions.add_progress(session, world.owner, world.action, percent=5, text="x", now=NOW)
    with pytest.raises(DomainError, match="This action is cancelled"):
        milestones.add_milestone(session, world.director, world.action, title="x", weight=1,
                                 due_on=date(2027, 1, 1), now=NOW)  # fmt: skip
    session.rollback()
    assert table_counts(session) == before


def test_ticking_a_milestone_starts_the_action(session, world):
    milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW)
    assert world.action.status == "in_progress"


@pytest.mark.parametrize("when", ["add", "replan"])
def test_past_dated_milestones_are_refused_and_write_nothing(session, world, when):
    yesterday = (NOW - timedelta(days=1)).date()
    before = table_counts(session)
    with pytest.raises(DomainError, match="must be today or later") as refused:
        if when == "add":
            milestones.add_milestone(session, world.director, world.action, title="Old",
                                     weight=1, due_on=yesterday, now=NOW)  # fmt: skip
        else:
            milestones.replan(session, world.owner, world.milestone, new_due_on=yesterday,
                              reason="Moved", now=NOW)  # fmt: skip
    assert refused.value.field == "due_on"
    session.rollback()
    assert table_counts(session) == before
    # today itself is fine
    milestones.add_milestone(session, world.director, world.action, title="Today", weight=1,
                             due_on=NOW.date(), now=NOW)  # fmt: skip


def test_a_withdrawn_milestone_stays_in_history_and_counts_nowhere(session, world):
    milestones.withdraw(session, world.director, world.milestone, reason="Added twice", now=NOW)
    session.commit()
    assert world.milestone.withdrawn_at is not None
    assert world.milestone in world.action.milestones
    assert load_open_actions(session)[world.action.id].open_milestones == []
    with pytest.raises(DomainError, match="has been withdrawn"):
        milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW)
    session.rollback()
    before = table_counts(session)
    other = milestones.add_milestone(session, world.director, world.action, title="Second",
                                     weight=1, due_on=date(2027, 2, 1), now=NOW)  # fmt: skip
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError, match="Enter the reason for withdrawing"):
        milestones.withdraw(session, world.director, other, reason=" ", now=NOW)
    session.rollback()
    assert table_counts(session) == before


MOVES = [m.value for m in lifecycle.Move]
PEOPLE = ["owner", "director", "admin", "viewer", "other_director"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.sampled_from(MOVES), st.sampled_from(PEOPLE)), max_size=8))
def test_random_walks_keep_the_lifecycle_rules(session, world, steps):
    """Only moves the table allows, made by someone allowed, succeed; a refused move writes
    nothing; a closed action never appears in the open work the reminders chase."""
    action = world.action
    for name, who in steps:
        user = getattr(world, who)
        actor = actor_for(session, user)
        rule = lifecycle.RULES[lifecycle.Move(name)]
        legal = lifecycle.allowed(actor, action, lifecycle.Move(name))
        before = (table_counts(session), action.status)
        try:
            move(session, user, action, name, note="Because", outcome="verified")
        except DomainError:
            assert not legal, (name, who, action.status)
            session.rollback()
            assert (table_counts(session), action.status) == before
        else:
            assert legal, (name, who, before[1])
            assert action.status == rule.target
            session.commit()
        in_open_work = action.id in load_open_actions(session)
        assert not (in_open_work and action.status in ("completed", "cancelled"))
    # leave the world as it was for the next example
    action.status, action.outcome, action.review_reason, action.status_note = (
        "not_started", None, None, "",
    )  # fmt: skip
    session.commit()


def on_time(session, world):
    from tracker.domain.readiness.inputs import load_inputs
    from tracker.domain.readiness.model import run_model

    loaded = load_inputs(session, world.round.organisation_id, NOW.date())
    assert loaded is not None
    record = run_model(loaded.inputs).record
    carried = {a.id for a in loaded.inputs.actions}
    return (record.on_time, record.finished_or_due), world.action.id in carried


def test_closed_actions_keep_their_milestones_in_the_on_time_record(session, world):
    milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW)
    session.commit()
    before, carried = on_time(session, world)
    assert before == (1, 1) and carried
    move(session, world.owner, world.action, "propose_done")
    move(session, world.director, world.action, "sign_off", outcome="verified")
    session.commit()
    assert on_time(session, world) == (before, False)  # leaves the forecast, not the record
    move(session, world.director, world.action, "reopen", note="More to do")
    milestones.withdraw(session, world.director, world.milestone, reason="Mistake", now=NOW)
    session.commit()
    assert on_time(session, world) == ((0, 0), True)  # a withdrawn milestone counts nowhere


def test_decision_scope_is_every_component_for_an_admin_led_ones_for_a_director(session, world):
    from tracker.domain.actions.decisions import decision_scope
    from tracker.domain.errors import PermissionDenied
    from tracker.domain.permissions import actor_for

    assert decision_scope(actor_for(session, world.admin)) is None
    led = decision_scope(actor_for(session, world.director))
    assert led == actor_for(session, world.director).led_component_ids and led
    for person in (world.owner, world.viewer):
        with pytest.raises(PermissionDenied):
            decision_scope(actor_for(session, person))
