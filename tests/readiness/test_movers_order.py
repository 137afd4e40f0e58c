"""What would move the forecast lists the milestones due by the next round first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.readiness.test_model_properties import ROUND_ON, plans
from tracker.domain.readiness.model import marginal_gains, run_model


@given(plans(), st.integers(1, 6))
def test_due_by_the_round_first_then_largest_gain(inputs, limit):
    result = run_model(inputs)
    everything = marginal_gains(inputs, result)
    late = [m.due_on > ROUND_ON for m, _, _ in everything]
    assert late == sorted(late)  # none due after the round before one due by it
    for group in (False, True):
        gains = [g for (m, _, g), is_late in zip(everything, late, strict=True) if is_late == group]
        assert gains == sorted(gains, reverse=True)
    assert marginal_gains(inputs, result, limit) == everything[:limit]
