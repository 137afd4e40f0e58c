"""The cycle collector is paused only while a forecast is built, and left as it was."""

from __future__ import annotations

import gc

import pytest

from tracker.domain.readiness.collector import cycle_collection_paused


@pytest.fixture
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_running_again_after(collector_enabled):
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_running_again_after_an_error(collector_enabled):
    with pytest.raises(ZeroDivisionError), cycle_collection_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outer_one(collector_enabled):
    with cycle_collection_paused():
        with cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer build is still going
    assert gc.isenabled()


def test_a_caller_that_had_paused_it_keeps_it_paused(collector_enabled):
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()
    gc.enable()


def test_a_forecast_leaves_the_collector_running(session, framework):
    from tests.support.factories import make_round
    from tests.support.helpers import TODAY
    from tracker.domain.readiness import compute_readiness

    rnd = make_round(session)
    session.commit()
    assert gc.isenabled()
    assert compute_readiness(session, organisation_id=rnd.organisation_id, as_of=TODAY)
    assert gc.isenabled()
