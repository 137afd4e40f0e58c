"""Every status word follows the stated rule applied to the figures the reader sees.

The page says: On track when expected reaches at least 75% of the way from level now to target,
Some issues from 40%, Not on track below that, No actions planned when nothing aims above the
level now. Here that rule is applied, in exact decimals, to the figures as printed (2 places).
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from tests.readiness.test_model_properties import all_scores, plans
from tracker.domain.readiness.figures import figures_of
from tracker.domain.readiness.model import (
    NO_ACTIONS,
    NOT_ON_TRACK,
    ON_TRACK,
    SOME_ISSUES,
    status_for,
)
from tracker.domain.readiness.report import round2

NAMES = {1: "Starting", 2: "Developing", 3: "Maturing", 4: "Thriving"}


def printed(value: float) -> Decimal:
    """A figure exactly as the page, export and JSON print it."""
    return Decimal(f"{round2(value):.2f}")


def stated_rule(now: Decimal, target: Decimal, expected: Decimal) -> str:
    if target <= now:
        return NO_ACTIONS
    share = (expected - now) / (target - now)
    if share >= Decimal("0.75"):
        return ON_TRACK
    if share >= Decimal("0.4"):
        return SOME_ISSUES
    return NOT_ON_TRACK


levels = st.floats(min_value=1, max_value=4, allow_nan=False)


@given(levels, levels, levels)
def test_status_follows_the_rule_on_the_printed_figures(now, target, expected):
    assert status_for(now, target, expected) == stated_rule(
        printed(now), printed(target), printed(expected)
    )


@given(plans())
def test_every_score_of_a_forecast_shows_the_status_its_figures_give(inputs):
    for score in all_scores(inputs):
        shown = figures_of(score, NAMES)
        rule = stated_rule(printed(score.baseline), printed(score.target), printed(score.expected))
        assert shown.status == score.status == rule
        assert f"{shown.expected:.2f}" == f"{printed(score.expected)}"


def test_the_reported_case_is_some_issues_not_not_on_track():
    # Level now 1.50, expected 1.697 (shown 1.70), target 2.00: 40% of the planned rise.
    assert status_for(1.5, 2.0, 1.697) == SOME_ISSUES
    assert status_for(1.5, 2.0, 1.694) == NOT_ON_TRACK  # shown 1.69: 38%
    assert status_for(1.0, 2.0, 1.745) == ON_TRACK  # shown 1.75: 75%
    assert status_for(2.0, 2.004, 2.0) == NO_ACTIONS  # target shown 2.00: nothing planned


def test_figures_carry_level_names_beside_the_numbers():
    score = SimpleNamespace(baseline=1.5, target=2.0, expected=1.697, assured=1.0)
    shown = figures_of(score, NAMES)
    assert (shown.baseline, shown.expected, shown.target, shown.assured) == (1.5, 1.7, 2.0, 1.0)
    assert shown.with_words(shown.expected) == "1.70 — between Starting and Developing"
    assert shown.words(shown.target) == "Developing"
