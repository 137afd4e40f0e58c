"""The loader's tally through the database (SQLite or PostgreSQL): `load_inputs` against
figures written out by hand and against the naive per-milestone reference of test_tally.py
applied to the ORM rows, UK dates of late-evening ticks, and the movers' titles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.readiness.test_tally import (
    assert_record_is,
    naive_action,
    naive_record,
    tally_figures,
)
from tests.support.factories import make_action, make_milestone, make_note_evidence, make_round
from tests.support.helpers import TODAY
from tracker.domain.readiness import compute_readiness
from tracker.domain.readiness.inputs import load_inputs, milestone_titles
from tracker.domain.readiness.model_inputs import ActionInput, MilestoneInput
from tracker.models import Action, AssessmentRound, Milestone, Organisation

LONDON = ZoneInfo("Europe/London")
ROUND_ON = date(2027, 5, 1)
SUMMER_TICK = datetime(2026, 7, 14, 23, 30, tzinfo=UTC)  # 00:30 on 15 July in the UK (BST)
WINTER_TICK = datetime(2026, 11, 10, 23, 30, tzinfo=UTC)  # still 10 November in the UK (GMT)
LATE_REVIEW = datetime(2026, 10, 5, 23, 30, tzinfo=UTC)  # 6 October in the UK


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def uk(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(LONDON).date()


def milestone(session, action, due, *, original=None, **fields):
    m = make_milestone(session, action, due, **fields)
    if original is not None:
        m.original_due_on = original
        session.flush()
    return m


@pytest.fixture
def plan(session, framework, make_user):
    """Our organisation: four open actions, a completed, a cancelled and a deleted one; and
    another organisation with a round of its own."""
    director, owner = make_user("director"), make_user("owner")
    rnd = make_round(session)
    ms: dict[str, Milestone] = {}
    a1 = make_action(session, rnd, 1, owner=owner, target_rank=3, title="Our vision")
    ms["m1"] = milestone(
        session, a1, date(2026, 10, 2), title="Our draft", done_at=at(date(2026, 10, 1))
    )
    ms["m2"] = milestone(session, a1, date(2027, 3, 1), title="Our sign-off", weight=2)
    ms["m3"] = milestone(session, a1, date(2026, 11, 1), title="Our mistake", weight=5)
    ms["m3"].withdrawn_at, ms["m3"].withdraw_reason = at(date(2026, 10, 20)), "Added by mistake"
    ms["m4"] = milestone(session, a1, date(2027, 9, 1), title="Our after-round step")
    make_note_evidence(
        session,
        a1,
        owner,
        milestone=ms["m1"],
        review_status="accepted",
        reviewed_by=director,
        reviewed_at=LATE_REVIEW,
    )

    a2 = make_action(session, rnd, 2, owner=owner, title="Our survey")
    ms["m5"] = milestone(
        session,
        a2,
        date(2026, 9, 1),
        title="Our questions",
        weight=3,
        done_at=at(date(2026, 9, 15)),
    )
    ms["m6"] = milestone(
        session, a2, date(2026, 11, 20), title="Our pilot", done_at=at(date(2026, 12, 5))
    )
    ms["m7"] = milestone(
        session, a2, date(2026, 7, 14), title="Our summer tick", weight=2, done_at=SUMMER_TICK
    )
    ms["m9"] = milestone(
        session, a2, date(2026, 10, 15), title="Our results", done_at=at(date(2026, 10, 14))
    )
    make_note_evidence(  # the whole action's evidence
        session,
        a2,
        owner,
        review_status="accepted",
        reviewed_by=director,
        reviewed_at=at(date(2026, 10, 10)),
    )
    make_note_evidence(  # m9's own evidence, rejected: the action's does not cover it
        session,
        a2,
        owner,
        milestone=ms["m9"],
        review_status="rejected",
        reviewed_by=director,
        reviewed_at=at(date(2026, 10, 16)),
    )

    a3 = make_action(session, rnd, 3, owner=owner, title="Our training")
    ms["m8"] = milestone(
        session, a3, date(2026, 10, 20), title="Our course", done_at=at(date(2026, 10, 25))
    )
    ms["m10"] = milestone(
        session,
        a3,
        date(2026, 11, 10),
        original=date(2026, 10, 1),
        title="Our replanned step",
        weight=2,
    )
    ms["m11"] = milestone(
        session, a3, date(2026, 11, 10), title="Our winter tick", done_at=WINTER_TICK
    )
    make_note_evidence(
        session,
        a3,
        owner,
        milestone=ms["m8"],
        review_status="rejected",
        reviewed_by=director,
        reviewed_at=at(date(2026, 10, 26)),
    )
    make_note_evidence(  # accepted, then deleted: it assures nothing
        session,
        a3,
        owner,
        milestone=ms["m8"],
        review_status="accepted",
        reviewed_by=director,
        reviewed_at=at(date(2026, 10, 27)),
        deleted_at=at(date(2026, 10, 28)),
    )

    a4 = make_action(session, rnd, 4, owner=owner, title="Our unplanned action")

    a5 = make_action(
        session,
        rnd,
        5,
        owner=owner,
        title="Our completed action",
        status="completed",
        outcome="verified",
    )
    ms["m12"] = milestone(
        session, a5, date(2026, 6, 1), title="Our late finish", done_at=at(date(2026, 8, 1))
    )
    ms["m13"] = milestone(session, a5, date(2026, 9, 1), title="Our never finished")
    a6 = make_action(session, rnd, 6, owner=owner, title="Our cancelled action", status="cancelled")
    ms["m14"] = milestone(
        session, a6, date(2026, 10, 1), title="Our early finish", done_at=at(date(2026, 9, 20))
    )
    ms["m15"] = milestone(
        session, a6, date(2026, 10, 1), title="Our withdrawn, done", done_at=at(date(2026, 12, 1))
    )
    ms["m15"].withdrawn_at = at(date(2026, 10, 2))
    a7 = make_action(
        session, rnd, 7, owner=owner, title="Our deleted action", deleted_at=at(date(2026, 10, 1))
    )
    ms["m16"] = milestone(
        session,
        a7,
        date(2026, 10, 1),
        title="Our deleted action's step",
        done_at=at(date(2026, 9, 1)),
    )

    trust = Organisation(ods_code="RZZ", name="Another NHS trust")
    session.add(trust)
    session.flush()
    theirs = make_round(session, "Their round", organisation=trust)
    t1 = make_action(session, theirs, 1, title="Their action", target_rank=3)
    their = [
        milestone(session, t1, date(2026, 12, 1), title="Their open step"),
        milestone(session, t1, date(2027, 2, 1), title="Their second step", weight=3),
        milestone(
            session, t1, date(2026, 6, 1), title="Their late finish", done_at=at(date(2026, 11, 1))
        ),
    ]
    session.commit()
    actions = {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6, "a7": a7}
    return {
        "org": rnd.organisation_id,
        "trust": trust.id,
        "actions": {k: a.id for k, a in actions.items()},
        "ms": {k: m.id for k, m in ms.items()},
        "their_ms": [m.id for m in their],
    }


def loaded_actions(session, org, as_of):
    loaded = load_inputs(session, org, as_of)
    assert loaded is not None
    return loaded, {a.id: a for a in loaded.inputs.actions}


def test_the_tally_read_from_the_database_matches_figures_worked_out_by_hand(session, plan):
    loaded, by_id = loaded_actions(session, plan["org"], TODAY)
    ids, ms = plan["actions"], plan["ms"]
    assert loaded.inputs.as_of == TODAY and loaded.inputs.round_on == ROUND_ON
    # only the open, live actions are tallied (closed and deleted ones are not)
    assert set(by_id) == {ids["a1"], ids["a2"], ids["a3"], ids["a4"]}
    fig = ("milestones", "weight", "done_weight", "assured_weight", "due_weight", "overdue")
    expected = {
        # m1 done and assured, m2 due by the round, m4 after it, m3 withdrawn (nowhere)
        "a1": ((3, 4, 1, 1, 2, 0), {"m2", "m4"}),
        # m5 and m7 assured by the action's evidence, m9 not (its own evidence was rejected),
        # m6 ticked after the as-of date: open and overdue
        "a2": ((4, 7, 6, 5, 1, 1), {"m6"}),
        # m8's evidence rejected (the accepted one deleted); m10 replanned, still overdue
        "a3": ((3, 4, 2, 0, 2, 1), {"m10"}),
        "a4": ((0, 0, 0, 0, 0, 0), set()),
    }
    for key, (figures, open_keys) in expected.items():
        got = by_id[ids[key]]
        assert tuple(tally_figures(got)[f] for f in fig) == figures, key
        assert {row[0] for row in got.open} == {ms[k] for k in open_keys}, key
    a1_open = {row[0]: row for row in by_id[ids["a1"]].open}
    assert a1_open[ms["m2"]] == (ms["m2"], 2, date(2027, 3, 1), date(2027, 3, 1))
    (m10,) = by_id[ids["a3"]].open
    assert m10 == (ms["m10"], 2, date(2026, 11, 10), date(2026, 10, 1))
    assert by_id[ids["a4"]].completion(0.7) == (0.0, 0.0)
    assert (by_id[ids["a1"]].question_id, by_id[ids["a1"]].target_rank) == (
        session.get(Action, ids["a1"]).question_id,
        3,
    )

    record = loaded.inputs.record
    # finished: m1 m5 m7 m9 m8 m11, the completed action's m12 and the cancelled one's m14
    assert dict(record.finished) == {
        (date(2026, 10, 1), date(2026, 10, 2)): 1,
        (date(2026, 9, 15), date(2026, 9, 1)): 1,
        (date(2026, 7, 15), date(2026, 7, 14)): 1,  # the summer tick, on its UK date
        (date(2026, 10, 14), date(2026, 10, 15)): 1,
        (date(2026, 10, 25), date(2026, 10, 20)): 1,
        (date(2026, 11, 10), date(2026, 11, 10)): 1,  # the winter tick: same date (GMT)
        (date(2026, 8, 1), date(2026, 6, 1)): 1,
        (date(2026, 9, 20), date(2026, 10, 1)): 1,
    }
    # open: m2 m4 m6 m10 (by its original date) and the completed action's m13
    assert dict(record.still_open) == {
        date(2027, 3, 1): 1,
        date(2027, 9, 1): 1,
        date(2026, 11, 20): 1,
        date(2026, 10, 1): 1,
        date(2026, 9, 1): 1,
    }
    assert record.on_time == 4  # m1 m9 m11 m14
    assert record.finished_or_due == 8 + 3  # and m6 m10 m13 past their original dates
    assert dict(record.days_late()) == {-1: 2, 14: 1, 1: 1, 5: 1, 0: 1, 61: 1, -11: 1}
    assert dict(record.open_for()) == {
        (TODAY - date(2027, 3, 1)).days: 1,
        (TODAY - date(2027, 9, 1)).days: 1,
        7: 1,
        57: 1,
        87: 1,
    }
    facts = loaded.facts
    assert facts[ids["a2"]].has_rejected_evidence  # m9's rejection is not undone by a2's
    assert facts[ids["a3"]].has_rejected_evidence  # the accepted one was deleted
    assert not facts[ids["a1"]].has_rejected_evidence
    assert not facts[ids["a4"]].has_rejected_evidence


def test_a_summer_tick_late_in_the_evening_counts_on_its_uk_date(session, plan):
    ids, ms = plan["actions"], plan["ms"]
    assert uk(SUMMER_TICK) == date(2026, 7, 15)
    utc_day = SUMMER_TICK.date()
    loaded, by_id = loaded_actions(session, plan["org"], utc_day)
    a2 = by_id[ids["a2"]]
    assert ms["m7"] in {row[0] for row in a2.open}  # not done yet on 14 July in the UK
    assert a2.done_weight == 0
    assert (utc_day, date(2026, 7, 14)) not in loaded.inputs.record.finished
    assert sum(loaded.inputs.record.finished.values()) == 0

    loaded, by_id = loaded_actions(session, plan["org"], utc_day + timedelta(days=1))
    a2 = by_id[ids["a2"]]
    assert ms["m7"] not in {row[0] for row in a2.open}
    assert (a2.done_weight, a2.assured_weight) == (2, 0)  # the action's evidence comes later
    assert dict(loaded.inputs.record.finished) == {(date(2026, 7, 15), date(2026, 7, 14)): 1}
    assert loaded.inputs.record.on_time == 0  # one day late by the UK date


def test_evidence_accepted_late_in_the_evening_assures_from_its_uk_date(session, plan):
    a1 = plan["actions"]["a1"]
    _, before = loaded_actions(session, plan["org"], LATE_REVIEW.date())
    _, after = loaded_actions(session, plan["org"], LATE_REVIEW.date() + timedelta(days=1))
    assert (before[a1].done_weight, before[a1].assured_weight) == (1, 0)
    assert (after[a1].done_weight, after[a1].assured_weight) == (1, 1)


def as_model_inputs(session, organisation_id):
    """The naive reference's view of the ORM rows: our live actions (open ones as
    ActionInputs, closed ones' milestones apart), withdrawn milestones left out, ticks and
    reviews turned into UK dates with zoneinfo."""
    session.expire_all()
    actions = session.scalars(
        select(Action)
        .join(AssessmentRound, Action.round_id == AssessmentRound.id)
        .where(AssessmentRound.organisation_id == organisation_id, Action.deleted_at.is_(None))
        .order_by(Action.id)
    ).all()
    open_actions, closed = [], []
    for action in actions:
        evidence = [e for e in action.evidence if e.deleted_at is None]

        def assured_on(m, evidence=evidence):
            own = [e for e in evidence if e.milestone_id == m.id]
            covering = own or [e for e in evidence if e.milestone_id is None]
            days = [uk(e.reviewed_at) for e in covering if e.review_status == "accepted"]
            return min((d for d in days if d is not None), default=None)

        inputs = tuple(
            MilestoneInput(
                id=m.id,
                weight=m.weight,
                due_on=m.due_on,
                original_due_on=m.original_due_on,
                done_on=uk(m.done_at),
                assured_on=assured_on(m),
            )
            for m in action.milestones
            if m.withdrawn_at is None
        )
        if action.status in ("completed", "cancelled"):
            closed.extend(inputs)
        else:
            open_actions.append(
                ActionInput(action.id, action.question_id, action.target_level.rank, inputs)
            )
    return open_actions, closed


@pytest.mark.parametrize(
    "as_of",
    [
        date(2026, 7, 14),
        date(2026, 7, 15),
        date(2026, 10, 5),
        date(2026, 10, 6),
        date(2026, 11, 10),
        TODAY,
        date(2026, 12, 5),
        date(2027, 6, 1),
    ],
)
def test_the_loaded_tally_matches_the_naive_reference_on_the_orm_rows(session, plan, as_of):
    open_actions, closed = as_model_inputs(session, plan["org"])
    loaded, by_id = loaded_actions(session, plan["org"], as_of)
    assert set(by_id) == {a.id for a in open_actions}
    for action in open_actions:
        expected = naive_action(action, as_of, ROUND_ON)
        assert tally_figures(by_id[action.id]) == expected["figures"], action.id
        assert set(by_id[action.id].open) == expected["open"], action.id
    expected = naive_record([m for a in open_actions for m in a.milestones] + closed, as_of)
    assert_record_is(loaded.inputs.record, expected)


def test_movers_carry_their_own_organisations_milestone_titles(session, plan):
    titles = {m.id: m.title for m in session.scalars(select(Milestone))}
    report = compute_readiness(session, organisation_id=plan["org"], as_of=TODAY)
    assert report.movers, "the plan has open milestones that would move the score"
    our_ids = set(plan["ms"].values())
    for mover in report.movers:
        assert mover.milestone_id in our_ids
        assert mover.milestone_title == titles[mover.milestone_id]
        assert mover.milestone_title.startswith("Our ")
    theirs = compute_readiness(session, organisation_id=plan["trust"], as_of=TODAY)
    assert theirs.movers
    for mover in theirs.movers:
        assert mover.milestone_id in plan["their_ms"]
        assert mover.milestone_title == titles[mover.milestone_id]
        assert mover.milestone_title.startswith("Their ")
    # the title query itself never names another organisation's milestone
    asked = [*plan["their_ms"], plan["ms"]["m2"], plan["ms"]["m6"]]
    assert milestone_titles(session, plan["org"], asked) == {
        plan["ms"]["m2"]: "Our sign-off",
        plan["ms"]["m6"]: "Our pilot",
    }
    assert milestone_titles(session, plan["trust"], asked) == {
        m: titles[m] for m in plan["their_ms"]
    }
    assert milestone_titles(session, plan["org"], []) == {}
