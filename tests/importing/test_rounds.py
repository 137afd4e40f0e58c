"""Rounds: idempotent re-import, replace, closing older rounds, spawning and review marking."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.support import factories
from tests.support.helpers import table_counts
from tracker.domain.actions import decisions
from tracker.models import (
    Action,
    ActionStatus,
    AssessmentRound,
    AuditEvent,
    DomainLead,
    LevelDescriptor,
    MaturityLevel,
    Question,
    RoundStatus,
    Score,
)

ROW_13 = b"13. 'Go and see' visits.\tStarting\t"
ROW_13_DEVELOPING = b"13. 'Go and see' visits.\tDeveloping\t"


def action_for(session, number: int, round_name: str | None = None) -> Action:
    query = select(Action).join(Question).where(Question.number == number)
    if round_name:
        query = query.join(AssessmentRound).where(AssessmentRound.name == round_name)
    return session.scalars(query).one()


def test_same_file_twice_changes_nothing(session, do_import, sample_bytes) -> None:
    do_import(sample_bytes)
    session.commit()
    before = table_counts(session)
    summary = do_import(sample_bytes)
    assert not summary.changed
    assert str(summary) == (
        "Round 'Baseline 2025' already has these 22 scores (16 Starting, 6 Developing); "
        "nothing changed"
    )
    assert table_counts(session) == before


def test_spawned_action_states_gap_target_and_lead(
    session, do_import, sample_bytes, make_user
) -> None:
    director = make_user("director")
    session.add(DomainLead(component_id=factories.component(session, 1).id, user_id=director.id))
    session.commit()
    do_import(sample_bytes)
    first = action_for(session, 1)
    assert first.title.startswith("Q1: raise from Starting to Developing: Board and executives")
    assert "scored question 1 (Board and executives" in first.description
    assert "Target for the next round: Developing." in first.description
    assert first.owner_id is None
    assert first.lead_id == director.id
    assert first.origin == "spawned"
    assert first.status == ActionStatus.NOT_STARTED
    assert first.target_level.name == "Developing"
    assert action_for(session, 5).lead_id is None
    audit_verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity == "action"))
    assert list(audit_verbs).count("spawned") == 16


def test_target_descriptor_used_when_the_framework_has_one(
    session, do_import, sample_bytes
) -> None:
    developing = factories.level(session, 2)
    question = factories.question(session, 1)
    session.add(
        LevelDescriptor(question=question, level=developing, text="Everyone knows the vision.")
    )
    session.commit()
    do_import(sample_bytes)
    assert (
        "What Developing looks like: Everyone knows the vision."
        in action_for(session, 1).description
    )


def test_spawn_rule_can_include_developing(session, do_import, sample_bytes) -> None:
    from tracker.domain.accounts.registration import default_organisation

    default_organisation(session).spawn_up_to_rank = 2
    session.commit()
    summary = do_import(sample_bytes)
    assert summary.spawned == 22
    assert action_for(session, 7).target_level.name == "Maturing"


def test_replace_keeps_actions_and_history(session, do_import, sample_bytes, make_user) -> None:
    do_import(sample_bytes)
    owner = make_user("owner")
    action = action_for(session, 13)
    action.owner_id = owner.id
    action.status = ActionStatus.IN_PROGRESS
    session.commit()
    actions_before = session.scalar(select(func.count()).select_from(Action))
    summary = do_import(sample_bytes.replace(ROW_13, ROW_13_DEVELOPING), replace=True)
    session.commit()
    assert summary.replaced
    assert str(summary).startswith(
        "Replaced scores with 22 scores into round 'Baseline 2025' (15 Starting, 7 Developing)"
    )
    assert session.scalar(select(func.count()).select_from(Score)) == 22
    assert session.scalar(select(func.count()).select_from(Action)) == actions_before
    action = action_for(session, 13)
    assert action.owner_id == owner.id
    assert action.status == ActionStatus.REVIEW
    verbs = set(
        session.scalars(select(AuditEvent.verb).where(AuditEvent.entity == "assessment_round"))
    )
    assert {"created", "imported", "replaced"} <= verbs


def test_new_round_closes_older_and_marks_improved_actions_for_review(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes)
    session.commit()
    summary = do_import(
        sample_bytes.replace(ROW_13, ROW_13_DEVELOPING),
        round_name="Re-measure 2026",
        held_on=date(2026, 1, 10),
    )
    session.commit()
    assert summary.closed_rounds == ["Baseline 2025"]
    assert summary.spawned == 0  # the 15 still at Starting carry their open actions forward
    assert summary.marked_for_review == 1
    statuses = dict(session.execute(select(AssessmentRound.name, AssessmentRound.status)).all())
    assert statuses == {"Baseline 2025": RoundStatus.CLOSED, "Re-measure 2026": RoundStatus.OPEN}
    assert action_for(session, 13, "Baseline 2025").status == ActionStatus.REVIEW
    assert action_for(session, 12, "Baseline 2025").status == ActionStatus.NOT_STARTED
    assert session.scalar(select(func.count()).select_from(Action)) == 16


def test_a_rise_below_the_target_stays_open_and_reaching_it_goes_to_review(
    session, do_import, sample_bytes
) -> None:
    """Question 13 rises from Starting to Developing: the spawned action aiming for Developing
    reached its target and goes to review with the reason; an action on the same question
    aiming for Maturing rose but is below its target, so it stays open."""
    do_import(sample_bytes)
    baseline = session.scalars(select(AssessmentRound)).one()
    higher = factories.make_action(
        session, baseline, 13, title="Make visits routine", target_rank=3,
        status=ActionStatus.IN_PROGRESS,
    )  # fmt: skip
    session.commit()
    summary = do_import(
        sample_bytes.replace(ROW_13, ROW_13_DEVELOPING),
        round_name="Re-measure 2026",
        held_on=date(2026, 1, 10),
    )
    session.commit()
    assert summary.marked_for_review == 1
    spawned = session.scalars(
        select(Action).where(Action.question_id == higher.question_id, Action.id != higher.id)
    ).one()
    assert (spawned.status, spawned.review_reason) == (ActionStatus.REVIEW, "score_rose")
    assert [ref.id for ref in summary.review_actions] == [spawned.id]
    assert decisions.why_in_review(spawned) == (
        "A re-measurement shows its question reached the target"
    )
    session.refresh(higher)
    assert (higher.status, higher.review_reason) == (ActionStatus.IN_PROGRESS, None)
    moved = session.scalars(
        select(AuditEvent.entity_id).where(
            AuditEvent.entity == "action", AuditEvent.verb == "marked_for_review"
        )
    ).all()
    assert moved == [spawned.id]


def test_reaching_the_target_in_a_later_round_moves_the_open_action_then(
    session, do_import, sample_bytes
) -> None:
    """The action aiming for Maturing stays open at Developing and goes to review once a later
    round scores question 13 at Maturing."""
    do_import(sample_bytes)
    baseline = session.scalars(select(AssessmentRound)).one()
    higher = factories.make_action(session, baseline, 13, title="Make visits routine",
                                   target_rank=3)  # fmt: skip
    session.commit()
    do_import(sample_bytes.replace(ROW_13, ROW_13_DEVELOPING), round_name="Re-measure 2026",
              held_on=date(2026, 1, 10))  # fmt: skip
    session.commit()
    assert session.get(Action, higher.id).status == ActionStatus.NOT_STARTED
    summary = do_import(
        sample_bytes.replace(ROW_13, b"13. 'Go and see' visits.\tMaturing\t"),
        round_name="Re-measure 2027",
        held_on=date(2027, 1, 10),
    )
    session.commit()
    assert [ref.id for ref in summary.review_actions] == [higher.id]
    assert session.get(Action, higher.id).status == ActionStatus.REVIEW


def test_a_later_round_spawns_again_where_earlier_work_was_finished(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes)
    action_for(session, 12, "Baseline 2025").status = ActionStatus.COMPLETED
    session.commit()
    summary = do_import(sample_bytes, round_name="Re-measure 2026", held_on=date(2026, 1, 10))
    assert summary.spawned == 1
    assert action_for(session, 12, "Re-measure 2026").origin == "spawned"


def test_importing_an_older_round_leaves_the_newer_open(session, do_import, sample_bytes) -> None:
    do_import(sample_bytes, round_name="Re-measure 2026", held_on=date(2026, 1, 10))
    do_import(sample_bytes, round_name="Baseline 2025", held_on=date(2025, 6, 1))
    statuses = dict(session.execute(select(AssessmentRound.name, AssessmentRound.status)).all())
    assert statuses == {"Baseline 2025": RoundStatus.CLOSED, "Re-measure 2026": RoundStatus.OPEN}


def test_next_round_date_is_stored_and_can_be_moved(session, do_import, sample_bytes) -> None:
    do_import(sample_bytes, next_round_on=date(2025, 12, 1))
    summary = do_import(sample_bytes, next_round_on=date(2026, 1, 15))
    assert session.scalar(select(AssessmentRound.next_round_on)) == date(2026, 1, 15)
    assert summary.spawned == 0


def test_levels_match_ignoring_case_and_space(session, do_import) -> None:
    summary = do_import(b"Number,Score\n1,  sTARTING \n2,DEVELOPING\n")
    assert summary.levels["Starting"] == 1 and summary.levels["Developing"] == 1
    ranks = session.scalars(select(MaturityLevel.rank).join(Score).order_by(Score.question_id))
    assert list(ranks) == [1, 2]


def test_an_older_round_imported_late_spawns_no_work_for_closed_gaps(
    session, do_import, sample_bytes
) -> None:
    """Re-measurement (13 now Developing) first, then the baseline (13 Starting) backfilled:
    the baseline must not bring back an open action for the gap the later round closed."""
    do_import(sample_bytes.replace(ROW_13, ROW_13_DEVELOPING), round_name="Re-measure 2026",
              held_on=date(2026, 1, 10))  # fmt: skip
    session.commit()
    summary = do_import(sample_bytes, round_name="Baseline 2025", held_on=date(2025, 6, 1))
    session.commit()
    assert summary.spawned == 0
    assert session.scalar(select(func.count()).select_from(Action)) == 15


def test_replace_keeps_the_overwritten_scores_in_the_audit_trail(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes)
    session.commit()
    do_import(sample_bytes.replace(ROW_13, ROW_13_DEVELOPING), replace=True)
    session.commit()
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "assessment_round", AuditEvent.verb == "scores_replaced"
        )
    ).one()
    assert event.before == {"scores": {"13": "Starting"}}
    assert event.after == {"scores": {"13": "Developing"}}


def test_moving_the_next_round_date_is_not_reported_as_nothing_changed(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes, next_round_on=date(2025, 12, 1))
    session.commit()
    summary = do_import(sample_bytes, next_round_on=date(2026, 1, 15))
    assert str(summary) == (
        "Round 'Baseline 2025' already has these 22 scores (16 Starting, 6 Developing); "
        "next round date set to 2026-01-15"
    )
