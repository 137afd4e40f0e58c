"""The model's invariants, checked by Hypothesis on generated plans (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.readiness.model import (
    ActionInput,
    ComponentInput,
    MilestoneInput,
    ModelInputs,
    QuestionInput,
    run_model,
)

AS_OF = date(2026, 11, 27)
ROUND_ON = date(2027, 5, 1)
EPS = 1e-9
days = st.integers(min_value=-200, max_value=400).map(lambda n: AS_OF + timedelta(days=n))


@st.composite
def milestones(draw, ident, *, all_done=False):
    due = draw(days)
    original = draw(st.one_of(st.just(due), days))
    done = True if all_done else draw(st.booleans())
    done_on = min(draw(days), AS_OF) if done else None
    assured = all_done or (done and draw(st.booleans()))
    return MilestoneInput(
        id=ident,
        weight=draw(st.integers(1, 5)),
        due_on=due,
        original_due_on=original,
        done_on=done_on,
        assured_on=(done_on if assured else None),
    )


@st.composite
def plans(draw, *, all_done=False, min_milestones=0):
    components = (ComponentInput(1, 1, "One"), ComponentInput(2, 2, "Two"))
    n_questions = draw(st.integers(1, 4))
    questions = tuple(
        QuestionInput(id=q, number=q, component_id=1 + q % 2, rank_now=draw(st.integers(1, 3)))
        for q in range(1, n_questions + 1)
    )
    actions = []
    counter = iter(range(1, 10_000))
    for a in range(1, draw(st.integers(0, 5)) + 1):
        ms = tuple(
            draw(milestones(next(counter), all_done=all_done))
            for _ in range(draw(st.integers(min_milestones, 4)))
        )
        actions.append(
            ActionInput(
                id=a,
                question_id=draw(st.integers(1, n_questions)),
                target_rank=draw(st.integers(1, 5)),
                milestones=ms,
            )
        )
    return ModelInputs(AS_OF, ROUND_ON, components, questions, tuple(actions))


def all_scores(inputs):
    result = run_model(inputs)
    return [result.overall, *result.components, *result.questions]


@given(plans())
def test_assured_never_exceeds_expected_and_target_caps(inputs):
    for score in all_scores(inputs):
        assert score.assured <= score.expected + EPS
        assert score.baseline - EPS <= score.assured
        assert score.expected <= score.target + EPS


@given(plans())
def test_question_without_actions_keeps_its_level(inputs):
    with_actions = {a.question_id for a in inputs.actions}
    for q in run_model(inputs).questions:
        if q.question_id not in with_actions:
            assert q.expected == q.assured == q.baseline == q.target


@given(plans(), st.data())
def test_marking_a_milestone_done_never_lowers_any_score(inputs, data):
    open_ones = [
        (i, j)
        for i, a in enumerate(inputs.actions)
        for j, m in enumerate(a.milestones)
        if m.done_on is None
    ]
    if not open_ones:
        return
    i, j = data.draw(st.sampled_from(open_ones))
    action = inputs.actions[i]
    ms = list(action.milestones)
    ms[j] = replace(ms[j], done_on=data.draw(st.sampled_from([AS_OF, ms[j].original_due_on])))
    if ms[j].done_on > AS_OF:
        ms[j] = replace(ms[j], done_on=AS_OF)
    actions = list(inputs.actions)
    actions[i] = replace(action, milestones=tuple(ms))
    before = all_scores(inputs)
    after = all_scores(replace(inputs, actions=tuple(actions)))
    for old, new in zip(before, after, strict=True):
        assert new.expected >= old.expected - EPS
        assert new.assured >= old.assured - EPS


@given(plans(), st.data())
def test_open_milestones_after_the_round_never_raise_any_score(inputs, data):
    if not inputs.actions:
        return
    i = data.draw(st.integers(0, len(inputs.actions) - 1))
    late = MilestoneInput(
        id=99_999,
        weight=data.draw(st.integers(1, 5)),
        due_on=ROUND_ON + timedelta(days=data.draw(st.integers(1, 300))),
        original_due_on=ROUND_ON + timedelta(days=data.draw(st.integers(1, 300))),
    )
    actions = list(inputs.actions)
    actions[i] = replace(actions[i], milestones=(*actions[i].milestones, late))
    before = all_scores(inputs)
    after = all_scores(replace(inputs, actions=tuple(actions)))
    for old, new in zip(before, after, strict=True):
        assert new.expected <= old.expected + EPS
        assert new.assured <= old.assured + EPS


@settings(max_examples=60)
@given(plans(all_done=True, min_milestones=1))
def test_all_done_with_accepted_evidence_reaches_the_target(inputs):
    with_actions = {a.question_id for a in inputs.actions}
    for q in run_model(inputs).questions:
        if q.question_id in with_actions:
            assert abs(q.expected - q.target) < EPS
            assert abs(q.assured - q.target) < EPS
            assert q.target >= q.baseline
