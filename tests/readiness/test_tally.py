"""The one-pass milestone tally (tracker.domain.readiness.tally), checked against a naive
reference that applies the module's per-milestone rules one milestone at a time (no database).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.readiness.test_model_properties import AS_OF, ROUND_ON, milestones, plans
from tracker.domain.readiness.chances import (
    action_chances,
    compute_chances,
    learn_lateness,
    learn_lateness_counts,
)
from tracker.domain.readiness.model import run_model
from tracker.domain.readiness.model_inputs import (
    ActionInput,
    ComponentInput,
    MilestoneInput,
    ModelInputs,
    QuestionInput,
)
from tracker.domain.readiness.tally import ActionTally, tally_inputs

EPS = 1e-12
ROUND_DATES = [ROUND_ON, None, AS_OF, AS_OF - timedelta(days=10), AS_OF + timedelta(days=1)]


# ---------------------------------------------------------------------------------------------
# The naive reference: the rules of tally.py's docstring, one milestone at a time.


def is_done(m: MilestoneInput, as_of: date) -> bool:
    return m.done_on is not None and m.done_on <= as_of


def naive_action(action: ActionInput, as_of: date, round_on: date | None) -> dict:
    figures = dict(milestones=0, weight=0, done_weight=0, assured_weight=0, due_weight=0, overdue=0)
    open_rows = set()
    for m in action.milestones:
        figures["milestones"] += 1
        figures["weight"] += m.weight
        if is_done(m, as_of):
            figures["done_weight"] += m.weight
            if m.assured_on is not None and m.assured_on <= as_of:
                figures["assured_weight"] += m.weight
        else:
            if round_on is None or m.due_on <= round_on:
                figures["due_weight"] += m.weight
            if m.due_on < as_of:
                figures["overdue"] += 1
            open_rows.add((m.id, m.weight, m.due_on, m.original_due_on))
    return {"figures": figures, "open": open_rows}


def naive_record(every: list[MilestoneInput], as_of: date) -> dict:
    on_time = finished_or_due = finished = still_open = 0
    days_late: Counter[int] = Counter()
    open_for: Counter[int] = Counter()
    for m in every:
        if is_done(m, as_of):
            finished += 1
            finished_or_due += 1
            on_time += m.done_on <= m.original_due_on
            days_late[(m.done_on - m.original_due_on).days] += 1
        else:
            still_open += 1
            finished_or_due += m.original_due_on < as_of
            open_for[(as_of - m.original_due_on).days] += 1
    return dict(
        on_time=on_time,
        finished_or_due=finished_or_due,
        finished=finished,
        still_open=still_open,
        days_late=dict(days_late),
        open_for=dict(open_for),
    )


def tally_figures(a: ActionTally) -> dict:
    return dict(
        milestones=a.milestones,
        weight=a.weight,
        done_weight=a.done_weight,
        assured_weight=a.assured_weight,
        due_weight=a.due_weight,
        overdue=a.overdue,
    )


def every_milestone(inputs: ModelInputs) -> list[MilestoneInput]:
    return [m for a in inputs.actions for m in a.milestones] + list(inputs.closed_milestones)


# ---------------------------------------------------------------------------------------------
# Generated plans, varied beyond plans(): ticks after the as-of date, evidence accepted after
# it, other round dates (or none), and closed actions' milestones.


def vary(data: st.DataObject, m: MilestoneInput) -> MilestoneInput:
    choice = data.draw(st.sampled_from(["keep", "ticked_later", "assured_later", "assured"]))
    if choice == "ticked_later":
        later = AS_OF + timedelta(days=data.draw(st.integers(1, 60)))
        return replace(m, done_on=later, assured_on=data.draw(st.sampled_from([None, later])))
    if choice == "assured_later" and m.done_on is not None:
        return replace(m, assured_on=AS_OF + timedelta(days=data.draw(st.integers(1, 60))))
    if choice == "assured" and m.done_on is not None:
        return replace(m, assured_on=AS_OF - timedelta(days=data.draw(st.integers(0, 60))))
    return m


@st.composite
def varied_plans(draw):
    data = draw(st.data())
    inputs = draw(plans())
    actions = tuple(
        replace(a, milestones=tuple(vary(data, m) for m in a.milestones)) for a in inputs.actions
    )
    closed = tuple(vary(data, draw(milestones(20_000 + i))) for i in range(draw(st.integers(0, 6))))
    return replace(
        inputs,
        round_on=draw(st.sampled_from(ROUND_DATES)),
        actions=actions,
        closed_milestones=closed,
    )


@settings(max_examples=200)
@given(varied_plans())
def test_tally_matches_the_naive_rules_per_action(inputs):
    tallied = tally_inputs(inputs)
    assert [a.id for a in tallied.actions] == [a.id for a in inputs.actions]
    by_id = {a.id: a for a in tallied.actions}
    for action in inputs.actions:
        expected = naive_action(action, inputs.as_of, inputs.round_on)
        got = by_id[action.id]
        assert (got.question_id, got.target_rank) == (action.question_id, action.target_rank)
        assert tally_figures(got) == expected["figures"]
        assert set(got.open) == expected["open"]
        assert len(got.open) == len(expected["open"])  # each open milestone listed once
        assert {m[0] for m in got.open} == {m[0] for m in expected["open"]}


@settings(max_examples=200)
@given(varied_plans())
def test_tally_matches_the_naive_record_including_closed_actions(inputs):
    record = tally_inputs(inputs).record
    assert record.as_of == inputs.as_of
    assert_record_is(record, naive_record(every_milestone(inputs), inputs.as_of))


def assert_record_is(record, expected):
    """The tallied record gives the figures the naive reference worked out."""
    assert record.on_time == expected["on_time"]
    assert record.finished_or_due == expected["finished_or_due"]
    assert sum(record.finished.values()) == expected["finished"]
    assert sum(record.still_open.values()) == expected["still_open"]
    assert dict(record.days_late()) == expected["days_late"]
    assert dict(record.open_for()) == expected["open_for"]


@settings(max_examples=100)
@given(varied_plans())
def test_closed_milestones_never_reach_an_action(inputs):
    with_closed = tally_inputs(inputs)
    without = tally_inputs(replace(inputs, closed_milestones=()))
    assert [tally_figures(a) for a in with_closed.actions] == [
        tally_figures(a) for a in without.actions
    ]
    assert [a.open for a in with_closed.actions] == [a.open for a in without.actions]
    closed_ids = {m.id for m in inputs.closed_milestones}
    assert not closed_ids & {row[0] for a in with_closed.actions for row in a.open}


@given(
    st.lists(st.integers(-300, 400), max_size=40),
    st.lists(st.integers(-300, 600), max_size=40),
    st.randoms(use_true_random=False),
)
def test_learn_lateness_equals_learning_from_counts(finished, open_since, rnd):
    from_lists = learn_lateness(finished, open_since)
    assert from_lists == learn_lateness_counts(Counter(finished), Counter(open_since))
    shuffled_f, shuffled_o = finished[:], open_since[:]
    rnd.shuffle(shuffled_f)
    rnd.shuffle(shuffled_o)
    assert learn_lateness(shuffled_f, shuffled_o) == from_lists
    assert from_lists.finished == len(finished)
    assert from_lists.still_open == len(open_since)


@given(st.lists(st.integers(-100, 100), max_size=20), st.lists(st.integers(-100, 100)))
def test_a_zero_count_changes_no_chance(finished, open_since):
    counted = learn_lateness_counts(Counter(finished), Counter(open_since))
    with_zeros = learn_lateness_counts(
        {**Counter(finished), 555: 0}, {**Counter(open_since), 777: 0}
    )
    for days in range(-120, 800, 7):
        assert with_zeros.survives(days) == pytest.approx(counted.survives(days), abs=EPS)
    assert with_zeros.survives(None) == pytest.approx(counted.survives(None), abs=EPS)


@given(
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 50),
    st.floats(0, 1, allow_nan=False),
)
def test_completion_is_done_plus_rate_times_due_over_weight(done, assured, due, rate):
    assured = min(assured, done)
    weight = done + due + 3  # some open weight due after the round
    action = ActionTally(
        1, 1, 2, weight=weight, done_weight=done, assured_weight=assured, due_weight=due
    )
    expected, sure = action.completion(rate)
    assert expected == pytest.approx((done + rate * due) / weight, abs=EPS)
    assert sure == pytest.approx(assured / weight, abs=EPS)


@settings(max_examples=100)
@given(varied_plans(), st.floats(0, 1, allow_nan=False))
def test_tallied_completion_matches_the_naive_figures(inputs, rate):
    for action, got in zip(inputs.actions, tally_inputs(inputs).actions, strict=True):
        f = naive_action(action, inputs.as_of, inputs.round_on)["figures"]
        if f["weight"] == 0:
            assert got.completion(rate) == (0.0, 0.0)
            continue
        expected, sure = got.completion(rate)
        assert expected == pytest.approx((f["done_weight"] + rate * f["due_weight"]) / f["weight"])
        assert sure == pytest.approx(f["assured_weight"] / f["weight"])


def one_question(actions, closed=(), *, round_on=ROUND_ON):
    return ModelInputs(
        AS_OF,
        round_on,
        (ComponentInput(1, 1, "One"),),
        (QuestionInput(1, 1, 1, 1),),
        tuple(actions),
        tuple(closed),
    )


def test_an_action_without_milestones_has_no_completion_and_no_chance():
    empty = ActionInput(id=7, question_id=1, target_rank=2)
    inputs = one_question([empty])
    tallied = tally_inputs(inputs)
    (action,) = tallied.actions
    assert (action.milestones, action.weight, action.open) == (0, 0, [])
    for rate in (0.0, 0.5, 1.0):
        assert action.completion(rate) == (0.0, 0.0)
    assert action_chances(inputs)[1] == {7: 0.0}
    chances = compute_chances(tallied)
    assert chances.action == {7: 0.0}
    assert chances.question[1] == 0.0  # nothing can complete it


# ---------------------------------------------------------------------------------------------
# The lateness record the chances are learned from includes closed actions' milestones.


def open_due_on_round(ident=1):
    return MilestoneInput(id=ident, weight=1, due_on=ROUND_ON, original_due_on=ROUND_ON)


def finished(ident, original_due, late_by):
    return MilestoneInput(
        id=ident,
        weight=1,
        due_on=original_due,
        original_due_on=original_due,
        done_on=original_due + timedelta(days=late_by),
    )


@pytest.mark.parametrize("n_late", [1, 3, 8])
def test_closed_actions_finished_late_are_learned_and_lower_the_chance(n_late):
    history = [finished(100 + i, AS_OF - timedelta(days=60 + i), 0) for i in range(4)]
    action = ActionInput(id=1, question_id=1, target_rank=2, milestones=(open_due_on_round(),))
    late = [finished(500 + i, AS_OF - timedelta(days=250), 200) for i in range(n_late)]
    assert all(m.done_on < AS_OF for m in late)
    base = one_question([action], history)
    with_late = replace(base, closed_milestones=(*history, *late))
    before, after = compute_chances(base), compute_chances(with_late)
    assert after.lateness.finished == before.lateness.finished + n_late
    assert after.lateness.still_open == before.lateness.still_open
    assert after.action[1] < before.action[1]
    assert after.question[1] < before.question[1]
    # the same record, learned from the tallied inputs, gives the same chances
    assert compute_chances(tally_inputs(with_late)).action == after.action
    # ... and exactly what the plain lists of days give
    days_late = [0] * 4 + [200] * n_late
    open_for = [(AS_OF - ROUND_ON).days]
    assert after.lateness == learn_lateness(days_late, open_for)


def test_closed_milestones_finished_on_time_raise_the_on_time_record():
    action = ActionInput(id=1, question_id=1, target_rank=2, milestones=(open_due_on_round(),))
    on_time = [finished(600 + i, AS_OF - timedelta(days=40), -5) for i in range(3)]
    base, more = one_question([action]), one_question([action], on_time)
    assert run_model(base).record.on_time == 0
    assert run_model(more).record.on_time == 3
    assert run_model(more).record.finished_or_due == 3


def test_a_tick_after_the_as_of_date_counts_as_open():
    ticked_later = MilestoneInput(
        id=1,
        weight=2,
        due_on=AS_OF - timedelta(days=5),
        original_due_on=AS_OF - timedelta(days=20),
        done_on=AS_OF + timedelta(days=3),
        assured_on=AS_OF + timedelta(days=3),
    )
    never_ticked = replace(ticked_later, done_on=None, assured_on=None)
    ticked_today = replace(ticked_later, done_on=AS_OF, assured_on=AS_OF)
    plan = {
        name: one_question(
            [ActionInput(id=1, question_id=1, target_rank=2, milestones=(m,))],
            [replace(m, id=2)],  # and the same milestone on a closed action
        )
        for name, m in (("later", ticked_later), ("never", never_ticked), ("today", ticked_today))
    }
    later, never, today = (tally_inputs(plan[k]) for k in ("later", "never", "today"))
    (action,) = later.actions
    assert tally_figures(action) == dict(
        milestones=1, weight=2, done_weight=0, assured_weight=0, due_weight=2, overdue=1
    )
    assert action.open == [(1, 2, ticked_later.due_on, ticked_later.original_due_on)]
    assert dict(later.record.finished) == {}
    assert dict(later.record.still_open) == {ticked_later.original_due_on: 2}
    # replaying as of that date ignores the later tick: as if it had never been ticked
    assert tally_figures(action) == tally_figures(never.actions[0])
    assert later.record.finished == never.record.finished
    assert later.record.still_open == never.record.still_open
    assert compute_chances(plan["later"]) == compute_chances(plan["never"])
    assert run_model(plan["later"]) == run_model(plan["never"])
    # ticked on the as-of date itself, it is done
    assert today.actions[0].done_weight == today.actions[0].assured_weight == 2
    assert today.actions[0].open == []
    assert sum(today.record.finished.values()) == 2


def test_the_reference_agrees_on_a_hand_written_plan():
    """A guard on the naive reference itself: figures worked out by hand."""
    ms = (
        finished(1, AS_OF - timedelta(days=10), -2),  # done on time, not assured
        replace(finished(2, AS_OF - timedelta(days=30), 5), assured_on=AS_OF),  # late, assured
        MilestoneInput(3, 3, AS_OF - timedelta(days=1), AS_OF - timedelta(days=1)),  # overdue
        MilestoneInput(4, 4, ROUND_ON, ROUND_ON),  # due on the round date
        MilestoneInput(5, 5, ROUND_ON + timedelta(days=1), ROUND_ON),  # replanned past it
    )
    action = ActionInput(id=1, question_id=1, target_rank=2, milestones=ms)
    inputs = one_question([action])
    expected = dict(
        milestones=5, weight=14, done_weight=2, assured_weight=1, due_weight=7, overdue=1
    )
    assert naive_action(action, AS_OF, ROUND_ON)["figures"] == expected
    tallied = tally_inputs(inputs)
    assert tally_figures(tallied.actions[0]) == expected
    assert {row[0] for row in tallied.actions[0].open} == {3, 4, 5}
    assert tallied.record.on_time == 1
    assert tallied.record.finished_or_due == 3
    assert dict(tallied.record.days_late()) == {-2: 1, 5: 1}
    assert dict(tallied.record.open_for()) == {1: 1, (AS_OF - ROUND_ON).days: 2}


def test_shuffled_milestones_tally_the_same():
    rng = random.Random(7)
    ms = [
        MilestoneInput(
            i,
            rng.randint(1, 5),
            AS_OF + timedelta(days=rng.randint(-100, 200)),
            AS_OF + timedelta(days=rng.randint(-100, 200)),
            done_on=rng.choice([None, AS_OF - timedelta(days=rng.randint(0, 90))]),
        )
        for i in range(1, 40)
    ]
    tallies = []
    for _ in range(3):
        rng.shuffle(ms)
        inputs = one_question([ActionInput(1, 1, 2, tuple(ms))])
        tallies.append(tally_inputs(inputs))
    figures = {tuple(tally_figures(t.actions[0]).values()) for t in tallies}
    assert len(figures) == 1
    assert len({frozenset(t.actions[0].open) for t in tallies}) == 1
    assert all(dict(t.record.finished) == dict(tallies[0].record.finished) for t in tallies)
