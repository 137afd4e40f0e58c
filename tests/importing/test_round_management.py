"""Rounds as managed records (domain, no HTTP): names unique ignoring case, accents and spaces;
deleting a round imported by mistake, or refusing with the reason and writing nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.support import factories
from tests.support.helpers import NOW, table_counts
from tracker.domain.errors import DomainError
from tracker.domain.rounds.current import current_round
from tracker.domain.rounds.deleting import delete_round, plan_deletion
from tracker.domain.rounds.editing import update_round
from tracker.domain.rounds.importing.summary import import_result
from tracker.models import (
    Action,
    ActionOrigin,
    ActionStatus,
    AssessmentRound,
    AuditEvent,
    Milestone,
    MilestoneReplan,
    ProgressUpdate,
    ReadinessSnapshot,
    RoundStatus,
    Score,
)

BASELINE, REMEASURE = date(2025, 6, 1), date(2026, 6, 1)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def round_named(session, name: str) -> AssessmentRound:
    return session.scalars(select(AssessmentRound).where(AssessmentRound.name == name)).one()


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["re-measure  2027", "RE-MEASURE 2027 ", "Ré-measure 2027"])
def test_a_variant_name_imports_into_the_same_round(session, do_import, sample_bytes, variant):
    do_import(sample_bytes, "Re-measure 2027", held_on=REMEASURE, next_round_on=date(2027, 1, 1))
    session.commit()
    before = table_counts(session)
    again = do_import(sample_bytes, variant, held_on=REMEASURE)
    assert not again.changed and again.round_name == "Re-measure 2027"
    assert str(again).startswith("Round 'Re-measure 2027' already has these 22 scores")
    assert table_counts(session) == before
    only = session.scalars(select(AssessmentRound)).one()
    assert only.next_round_on == date(2027, 1, 1) and only.status == RoundStatus.OPEN


def test_the_database_refuses_a_second_round_under_a_variant_name(session, framework):
    factories.make_round(session, "Baseline 2025")
    session.commit()
    with pytest.raises(IntegrityError):
        factories.make_round(session, "baseline   2025")
    session.rollback()
    assert count(session, AssessmentRound) == 1


def test_editing_to_a_variant_of_another_name_is_refused_and_writes_nothing(session, framework):
    first = factories.make_round(session, "Baseline 2025", held_on=BASELINE)
    factories.make_round(session, "Re-measure 2026", held_on=REMEASURE)
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError) as refused:
        update_round(session, None, first, name="re-measure 2026", held_on=BASELINE,
                     next_round_on=None, now=NOW)  # fmt: skip
    assert refused.value.message == (
        "Another round is already called Re-measure 2026: names that differ only in capital "
        "letters, accents or spaces are the same name"
    )
    session.rollback()
    assert table_counts(session) == before and first.name == "Baseline 2025"


def test_correcting_a_date_moves_the_current_round_and_the_statuses_follow(session, framework):
    early = factories.make_round(session, "Baseline 2025", held_on=BASELINE)
    late = factories.make_round(session, "Re-measure 2026", held_on=REMEASURE)
    session.flush()
    update_round(session, None, early, name=early.name, held_on=date(2026, 9, 1),
                 next_round_on=date(2027, 3, 1), now=NOW)  # fmt: skip
    assert current_round(session, early.organisation_id) is early
    assert (early.status, late.status) == (RoundStatus.OPEN, RoundStatus.CLOSED)
    verbs = set(session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == late.id)))
    assert "closed" in verbs


# --- deleting ---------------------------------------------------------------------------------


def test_deleting_a_mistaken_reimport_makes_the_previous_round_current_again(
    session, do_import, sample_bytes
):
    do_import(sample_bytes, "Baseline 2025", held_on=BASELINE, next_round_on=date(2026, 3, 1))
    do_import(sample_bytes, "Re-measure 2026", held_on=REMEASURE)
    mistake = round_named(session, "Re-measure 2026")
    session.add(ReadinessSnapshot(round_id=mistake.id, taken_on=REMEASURE, scope_key="overall",
                                  baseline=1.0, expected=1.2, assured=1.1))  # fmt: skip
    carried = session.scalars(select(Action).order_by(Action.id)).first()
    assert carried.description.startswith("The round 'Re-measure 2026' scored question")
    session.commit()
    plan = plan_deletion(session, mistake)
    assert plan.allowed and (plan.scores, plan.actions, plan.snapshots) == (22, 0, 1)
    delete_round(session, None, mistake, now=NOW)
    session.commit()
    baseline = round_named(session, "Baseline 2025")
    assert current_round(session, baseline.organisation_id) is baseline
    assert baseline.status == RoundStatus.OPEN and baseline.next_round_on == date(2026, 3, 1)
    assert (count(session, AssessmentRound), count(session, Score)) == (1, 22)
    assert count(session, ReadinessSnapshot) == 0 and count(session, Action) == 16
    assert carried.description.startswith("The round 'Baseline 2025' scored question")
    verbs = [e.verb for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert {"deleted", "made_current", "serves_round_again"} <= set(verbs)
    deleted = session.scalars(select(AuditEvent).where(AuditEvent.verb == "deleted")).one()
    assert deleted.before["name"] == "Re-measure 2026" and deleted.before["scores"] == 22


def test_deleting_the_only_round_removes_its_untouched_actions(
    session, do_import, sample_bytes, make_user
):
    do_import(sample_bytes)
    action = session.scalars(select(Action).order_by(Action.id)).first()
    action.owner = make_user("owner")  # an owner assigned and a plan are not progress
    factories.make_milestone(session, action, date(2026, 1, 31))
    session.commit()
    delete_round(session, None, round_named(session, "Baseline 2025"), now=NOW)
    session.commit()
    assert [count(session, m) for m in (AssessmentRound, Score, Action, Milestone)] == [0] * 4
    removed = session.scalars(select(AuditEvent).where(AuditEvent.verb == "removed_with_round"))
    assert len(removed.all()) == 16


def _progress(session, action, user):
    session.add(ProgressUpdate(action=action, author=user, text="Started", percent=10))


def _ticked(session, action, user):
    factories.make_milestone(session, action, date(2026, 1, 31), done_at=NOW, done_by=user)


def _replanned(session, action, user):
    milestone = factories.make_milestone(session, action, date(2026, 1, 31))
    session.add(MilestoneReplan(milestone=milestone, old_due_on=date(2026, 1, 31),
                                new_due_on=date(2026, 2, 28), reason="Board moved",
                                replanned_by=user))  # fmt: skip


def _evidence(session, action, user):
    factories.make_note_evidence(session, action, user)


def _completed(session, action, user):
    action.status = ActionStatus.COMPLETED


def _by_hand(session, action, user):
    factories.make_action(session, action.round, 3, origin=ActionOrigin.MANUAL)


@pytest.mark.parametrize(
    ("work", "reason"),
    [
        (_progress, "1 action has progress updates, ticked or re-planned milestones, or evidence"),
        (_ticked, "1 action has progress updates, ticked or re-planned milestones, or evidence"),
        (_replanned, "1 action has progress updates, ticked or re-planned milestones, or evidence"),
        (_evidence, "1 action has progress updates, ticked or re-planned milestones, or evidence"),
        (_completed, "1 action has been started or decided"),
        (_by_hand, "1 action was added by hand to this round"),
    ],
)
def test_a_round_with_work_on_it_is_not_deleted(
    session, do_import, sample_bytes, make_user, work, reason
):
    user = make_user("owner")
    do_import(sample_bytes)
    work(session, session.scalars(select(Action).order_by(Action.id)).first(), user)
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError) as refused:
        delete_round(session, None, round_named(session, "Baseline 2025"), now=NOW)
    assert refused.value.message == (
        f"Baseline 2025 cannot be deleted because {reason}. Nothing was deleted."
    )
    session.rollback()
    assert table_counts(session) == before


def test_an_earlier_round_whose_actions_carry_on_is_not_deleted(session, do_import, sample_bytes):
    do_import(sample_bytes, "Baseline 2025", held_on=BASELINE)
    do_import(sample_bytes, "Re-measure 2026", held_on=REMEASURE)
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError) as refused:
        delete_round(session, None, round_named(session, "Baseline 2025"), now=NOW)
    assert "its actions carry on into the later round Re-measure 2026" in refused.value.message
    session.rollback()
    assert table_counts(session) == before


def test_an_import_result_compares_with_the_round_before_once_its_own_was_deleted(
    session, do_import, sample_bytes
):
    do_import(sample_bytes, "Baseline 2025", held_on=BASELINE)
    do_import(sample_bytes, "Mistake", held_on=date(2026, 1, 1))
    last = do_import(sample_bytes, "Re-measure 2026", held_on=REMEASURE)
    organisation_id = round_named(session, "Baseline 2025").organisation_id
    for event in session.scalars(select(AuditEvent)):
        event.organisation_id = organisation_id  # as a request scoped to it would record
    delete_round(session, None, round_named(session, "Mistake"), now=NOW)
    result = import_result(session, organisation_id, last.event_id)
    assert result.moves.previous_round == "Baseline 2025" and len(result.moves.stayed) == 22
