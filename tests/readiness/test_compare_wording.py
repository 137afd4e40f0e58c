"""The comparison page counts moves both ways, names its questions, preselects no outcome and
says which forecast it compares with (made when, for which round date)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.readiness.test_views import visible
from tests.support.factories import make_round, question
from tests.support.helpers import TODAY, table_counts
from tests.support.readiness import csrf_from, seed_forecast
from tracker import clock
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness, store_snapshots
from tracker.domain.readiness.history import check_model
from tracker.models import Action, AuditEvent
from tracker.readiness.forms import OutcomeForm


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def remeasure(session, make_user, held_on=date(2027, 5, 1)):
    """The forecast of TODAY aimed at 1 May 2027; the later round: 1 and 9 up, 5 down."""
    baseline, director, _owner, a1, _a2 = seed_forecast(session, make_user)
    org = default_organisation(session).id
    store_snapshots(session, compute_readiness(session, organisation_id=org, as_of=TODAY), TODAY)
    later = make_round(
        session, "Re-measure 2027", held_on=held_on, next_round_on=None, ranks={1: 3, 9: 2}
    )
    session.commit()
    return baseline, later, director, a1


def test_moves_are_counted_both_ways(app, session, framework, make_user, sign_in):
    baseline, later, director, _ = remeasure(session, make_user)
    moves = check_model(session, default_organisation(session).id, baseline.id, later.id)
    moves = moves.comparison.moves
    assert (moves.up, moves.down, moves.same, moves.not_compared) == (2, 1, 19, 0)
    html = sign_in(director).get("/readiness/compare").get_data(as_text=True)
    assert (
        "Of 22 questions scored in both rounds, 2 moved up, 1 moved down and 19 stayed the same."
        in visible(html)
    )
    assert "moved in all" not in html
    rows = html.split('id="compare-questions"')[1]
    q5 = re.search(r'<tr data-question="5".*?</tr>', rows, re.S).group(0)
    assert "Down 1 level" in visible(q5)
    q1 = re.search(r'<tr data-question="1".*?</tr>', rows, re.S).group(0)
    assert "Up 2 levels" in visible(q1)
    assert f"1. {question(session, 1).text}" in visible(q1)  # the question by name


def test_compare_page_gives_level_names_beside_figures(app, session, framework, make_user, sign_in):
    remeasure(session, make_user)
    html = visible(sign_in(make_user("viewer")).get("/readiness/compare").get_data(as_text=True))
    assert re.search(r"\d\.\d\d — (between )?(Starting|Developing)", html)


def test_no_outcome_is_preselected(app, session, framework, make_user, sign_in):
    _, _, director, a1 = remeasure(session, make_user)
    a1.outcome = "verified"  # even one already recorded is not preselected
    session.commit()
    html = sign_in(director).get("/readiness/compare").get_data(as_text=True)
    selects = re.findall(r'<select[^>]*name="outcome"[^>]*>(.*?)</select>', html, re.S)
    assert selects
    for options in selects:
        assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)", options) == ["Choose an outcome"]
        assert options.strip().startswith('<option value="" selected>')


def test_missing_outcome_is_a_clear_error_and_writes_nothing(
    app, session, framework, make_user, sign_in
):
    _, _, director, a1 = remeasure(session, make_user)
    client = sign_in(director)
    html = client.get("/readiness/compare").get_data(as_text=True)
    before = table_counts(session)
    response = client.post(
        f"/readiness/actions/{a1.id}/outcome",
        data={"csrf_token": csrf_from(html), "outcome": "", "version": a1.version},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    required = OutcomeForm.outcome.kwargs["validators"][0].message
    assert required in page and "Not a valid choice" not in page
    session.expire_all()
    assert session.get(Action, a1.id).outcome is None
    assert table_counts(session) == before
    assert (
        session.scalars(select(AuditEvent).where(AuditEvent.verb == "record_outcome")).all() == []
    )


def test_says_which_forecast_it_compares_with(app, session, framework, make_user, sign_in):
    remeasure(session, make_user)
    html = visible(sign_in(make_user("viewer")).get("/readiness/compare").get_data(as_text=True))
    assert "Compared with the forecast made on 27 November 2026 for a round on 1 May 2027" in html
    assert "was held on 1 May 2027" in html
    assert "aimed at a different date" not in html


@pytest.mark.parametrize(
    ("held_on", "why"),
    [
        (date(2027, 6, 14), "milestones due between those dates did not count in it"),
        (date(2027, 3, 1), "which the round came too early to see"),
    ],
)
def test_warns_when_the_forecast_aimed_at_another_date(
    app, session, framework, make_user, sign_in, held_on, why
):
    remeasure(session, make_user, held_on=held_on)
    html = visible(sign_in(make_user("viewer")).get("/readiness/compare").get_data(as_text=True))
    assert "The forecast aimed at a different date" in html
    assert "It forecast the levels for 1 May 2027, but “Re-measure 2027” was held on" in html
    assert why in html
