"""Carried-forward actions: a history entry naming the new round, wording that says which round
they serve, nothing recorded twice, and a person's own wording kept."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.support.helpers import table_counts
from tracker.domain.audit.wording import describe_events
from tracker.models import Action, AuditEvent, Question


def first_action(session) -> Action:
    return session.scalars(select(Action).join(Question).where(Question.number == 1)).one()


def test_a_carried_action_names_the_round_it_now_serves(session, do_import, sample_bytes):
    do_import(sample_bytes, "Baseline", held_on=date(2025, 6, 1))
    action = first_action(session)
    assert action.description.startswith("The round 'Baseline' scored question 1")
    summary = do_import(sample_bytes, "Re-measure 2026", held_on=date(2026, 6, 1))
    assert action.id in {ref.id for ref in summary.carried_actions}
    first, target = action.description.split("\n\n")[:2]
    assert first == (
        "The round 'Re-measure 2026' scored question 1 (Board and executives setting the shared "
        "purpose and vision) at Starting. This action was carried forward to serve it; it was "
        "first created for the round 'Baseline'."
    )
    assert target == "Target for the next round: Developing."
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "action",
            AuditEvent.entity_id == action.id,
            AuditEvent.verb == "carried_forward",
        )
    ).one()
    words = describe_events(session, [event])[0]
    assert words.what == "Carried forward to a new round"
    assert words.details == ("Round: Re-measure 2026",)
    session.commit()
    before = table_counts(session)
    do_import(sample_bytes, "re-measure 2026", held_on=date(2026, 6, 1))
    assert table_counts(session) == before  # carried once, not again


def test_a_description_a_person_rewrote_keeps_their_words(session, do_import, sample_bytes):
    do_import(sample_bytes, "Baseline", held_on=date(2025, 6, 1))
    action = first_action(session)
    action.description = "Our own plan for the board."
    do_import(sample_bytes, "Re-measure 2026", held_on=date(2026, 6, 1))
    assert action.description.startswith("The round 'Re-measure 2026' scored question 1")
    assert action.description.endswith("\n\nOur own plan for the board.")
