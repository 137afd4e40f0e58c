"""The chance of reaching each target and the likely ranges: invariants checked by Hypothesis
on generated plans, and the prior's documented values (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.readiness.test_model_properties import AS_OF, ROUND_ON, plans
from tracker.domain.readiness.chances import (
    Spread,
    compute_chances,
    learn_lateness,
    level_spread,
    mean_spread,
)
from tracker.domain.readiness.model import (
    ActionInput,
    ComponentInput,
    MilestoneInput,
    ModelInputs,
    QuestionInput,
)

EPS = 1e-9


def every_chance(chances):
    return [*chances.action.values(), *chances.question.values()]


def every_spread(chances):
    return [*chances.levels.values(), *chances.components.values(), chances.overall]


@settings(max_examples=80)
@given(plans())
def test_probabilities_lie_in_0_1_and_spreads_sum_to_one(inputs):
    chances = compute_chances(inputs)
    for p in every_chance(chances):
        assert -EPS <= p <= 1 + EPS
    for spread in every_spread(chances):
        assert abs(sum(spread.probs) - 1) < 1e-9
        assert all(p >= 0 for p in spread.probs)


@settings(max_examples=80)
@given(plans())
def test_a_question_at_its_target_has_chance_one(inputs):
    chances = compute_chances(inputs)
    for q in inputs.questions:
        if not any(a.question_id == q.id and a.target_rank > q.rank_now for a in inputs.actions):
            assert chances.question[q.id] == 1.0
            assert chances.levels[q.id].values == (float(q.rank_now),)


@settings(max_examples=80)
@given(plans())
def test_ranges_are_ordered_and_inside_the_scale(inputs):
    chances = compute_chances(inputs)
    ranks = {q.id: q.rank_now for q in inputs.questions}
    for spread in every_spread(chances):
        assert spread.low <= spread.median <= spread.high
    for q_id, spread in chances.levels.items():
        top = max([a.target_rank for a in inputs.actions if a.question_id == q_id] + [ranks[q_id]])
        assert ranks[q_id] <= spread.low <= spread.high <= top
    lowest = min(ranks.values())
    highest = max([*ranks.values(), *(a.target_rank for a in inputs.actions)])
    assert lowest <= chances.overall.low <= chances.overall.high <= highest


@settings(max_examples=80)
@given(plans(), st.data())
def test_adding_a_done_milestone_never_lowers_a_probability(inputs, data):
    """With the learned lateness record held as it is (the record itself may move as history
    grows), a milestone added already done, or an open one ticked, never lowers a chance."""
    if not inputs.actions:
        return
    i = data.draw(st.integers(0, len(inputs.actions) - 1))
    done = MilestoneInput(
        id=99_999,
        weight=1,
        due_on=AS_OF,
        original_due_on=AS_OF - timedelta(days=data.draw(st.integers(-100, 100))),
        done_on=AS_OF - timedelta(days=data.draw(st.integers(0, 100))),
    )
    action = inputs.actions[i]
    ms = [
        replace(m, done_on=m.done_on or AS_OF) if data.draw(st.booleans()) else m
        for m in action.milestones
    ]
    actions = list(inputs.actions)
    actions[i] = replace(action, milestones=(*ms, done))
    before = compute_chances(inputs)
    after = compute_chances(replace(inputs, actions=tuple(actions)), before.lateness)
    for old, new in zip(every_chance(before), every_chance(after), strict=True):
        assert new >= old - EPS
    for old, new in zip(every_spread(before), every_spread(after), strict=True):
        assert new.low >= old.low and new.high >= old.high


def one_milestone_plan(due: date, *, done_on: date | None = None) -> ModelInputs:
    milestone = MilestoneInput(1, 1, due_on=due, original_due_on=due, done_on=done_on)
    return ModelInputs(
        as_of=AS_OF,
        round_on=ROUND_ON,
        components=(ComponentInput(1, 1, "One"),),
        questions=(QuestionInput(1, 1, 1, rank_now=1),),
        actions=(ActionInput(1, 1, target_rank=2, milestones=(milestone,)),),
    )


def test_with_no_history_the_prior_gives_the_documented_chances():
    """Prior: 2 pseudo-milestones done on their due date, 1 done 30 days late, 1 never done.
    Due on the round date: 2 in 4 = 50 %; due 30 or more days before it: 3 in 4 = 75 %."""
    assert compute_chances(one_milestone_plan(ROUND_ON)).question[1] == 0.5
    assert compute_chances(one_milestone_plan(ROUND_ON - timedelta(days=30))).question[1] == 0.75
    assert compute_chances(one_milestone_plan(ROUND_ON - timedelta(days=90))).question[1] == 0.75
    late = one_milestone_plan(ROUND_ON + timedelta(days=1))
    assert compute_chances(late).question[1] == 0.0
    done = one_milestone_plan(ROUND_ON, done_on=AS_OF)
    assert compute_chances(done).question[1] == 1.0


def test_open_overdue_milestones_are_censored_not_dropped():
    """Ten milestones finished on time and ten still open 60 days past their original due
    date: the open ones count as "at least 60 days late", so the chance for a new milestone
    due on the round date is well below what the finished ones alone would say."""
    on_time = [0] * 10
    only_finished = learn_lateness(on_time, [])
    with_open = learn_lateness(on_time, [60] * 10)
    assert with_open.still_open == 10 and with_open.finished == 10
    # 12 of 14 (10 + the prior's 4) done by day 0
    assert abs(only_finished.survives(0) - 2 / 14) < 1e-12
    # the 10 open ones stay at risk on day 0: 12 of 24 finish then; then 1 of 12 on day 30
    assert abs(with_open.survives(0) - 12 / 24) < 1e-12
    assert abs(with_open.survives(60) - 0.5 * 11 / 12) < 1e-12


def test_level_and_mean_distributions_by_hand():
    # Question at 1: two actions aimed at 2 (chances 0.5 and 0.8), one aimed at 3 (0.5).
    actions = [ActionInput(1, 1, 2), ActionInput(2, 1, 2), ActionInput(3, 1, 3)]
    spread = level_spread(1, actions, {1: 0.5, 2: 0.8, 3: 0.5})
    # P(level 3) = 0.5; P(level 2) = (1 - 0.5) x 0.4; P(level 1) = 0.5 x 0.6
    assert spread.values == (1.0, 2.0, 3.0)
    assert [round(p, 12) for p in spread.probs] == [0.3, 0.2, 0.5]
    # Mean of two independent questions each 1 or 2 with P(2) = 0.5: 1, 1.5, 2 w.p. 1/4, 1/2, 1/4
    coin = Spread((1.0, 2.0), (0.5, 0.5))
    both = mean_spread([coin, coin])
    assert both.values == (1.0, 1.5, 2.0) and both.probs == (0.25, 0.5, 0.25)
    assert (both.low, both.median, both.high) == (1.0, 1.5, 2.0)


def test_a_component_reaches_its_target_only_if_every_question_does():
    """One question certain, one that cannot move (an action with no milestones): the mean's
    highest reachable value is certain, but the component's target is not reachable at all."""
    from tracker.domain.readiness.report import Likely

    certain = Spread((1.0, 2.0), (0.0, 1.0))
    stuck = Spread((1.0, 2.0), (1.0, 0.0))
    mean = mean_spread([certain, stuck])
    assert mean.values[-1] == 1.5 and mean.probs[-1] == 1.0  # the highest mean that happens
    assert Likely.of(mean, [1.0, 0.0]).chance == 0.0
    assert Likely.of(mean, [0.5, 0.5]).chance == 0.25


@settings(max_examples=60)
@given(plans())
def test_a_component_chance_is_never_above_its_least_likely_question(inputs):
    from tracker.domain.readiness.report import Likely

    chances = compute_chances(inputs)
    for component in inputs.components:
        reach = [chances.question[q.id] for q in inputs.questions if q.component_id == component.id]
        chance = Likely.of(chances.components[component.id], reach).chance
        assert 0.0 <= chance <= min(reach, default=1.0) + EPS
