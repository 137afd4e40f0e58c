"""Forecast scores computed by hand (the worked example of docs/readiness.md), the comparison
page showing them in words, and `flask readiness backtest`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from tests.support.factories import make_action, make_milestone, make_round
from tests.support.helpers import TODAY
from tracker import clock
from tracker.domain.readiness.calibration import Outcome, score_forecast

# The worked example: (number, level then, target, expected, chance, level scored)
WORKED = [
    Outcome(1, 1, 2, 1.8, 0.8, 2),
    Outcome(2, 1, 2, 1.5, 0.3, 1),
    Outcome(3, 2, 2, 2.0, 1.0, 2),
    Outcome(4, 1, 2, 1.3, 0.1, 2),
]


def test_worked_example_by_hand():
    score = score_forecast(WORKED)
    # errors 0.2, 0.5, 0, 0.7 -> 1.4 / 4
    assert score.questions == 4 and abs(score.mean_absolute_error - 0.35) < 1e-12
    # Q3 had no planned rise; (0.8-1)^2 + (0.3-0)^2 + (0.1-1)^2 = 0.04 + 0.09 + 0.81 = 0.94 / 3
    assert (score.outcomes, score.reached) == (3, 2)
    assert abs(score.brier - 0.94 / 3) < 1e-12
    assert score.bands is None  # fewer than 10 outcomes


def test_reliability_bands_by_hand():
    chances = [0.1, 0.15, 0.3, 0.5, 0.55, 0.7, 0.7, 0.75, 0.9, 0.95]
    reached = [0, 0, 1, 0, 1, 1, 1, 0, 1, 1]
    outcomes = [
        Outcome(n, 1, 2, 1.5, p, 1 + r)
        for n, (p, r) in enumerate(zip(chances, reached, strict=True))
    ]
    bands = score_forecast(outcomes).bands
    assert [(b.low, b.high, b.forecasts, b.reached) for b in bands] == [
        (0, 20, 2, 0),
        (20, 40, 1, 1),
        (40, 60, 2, 1),
        (60, 80, 3, 2),
        (80, 100, 2, 2),
    ]
    assert bands[3].sentence == (
        "When we said about 72% (chances from 60% to 80%), the target was reached 2 times out of 3."
    )


@pytest.fixture
def two_rounds(app, session, framework, make_user):
    """Baseline with one action (one milestone done, one open), a forecast stored the day
    before the re-measurement, which scores Q1 at Developing and Q2 still at Starting."""
    owner = make_user("owner")
    baseline = make_round(session, ranks={5: 2})
    for number in (1, 2):
        action = make_action(session, baseline, number, owner=owner, target_rank=2)
        make_milestone(
            session, action, date(2026, 10, 1), done_at=datetime(2026, 9, 30, tzinfo=UTC)
        )
        make_milestone(session, action, date(2027, 2, 1))
    session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["readiness", "recompute", "--as-of", "2027-04-30"]).exit_code == 0
    make_round(
        session, "Re-measurement", held_on=date(2027, 5, 1), next_round_on=None,
        ranks={1: 2, 5: 2},
    )  # fmt: skip
    session.commit()
    return owner


def backtest_json(app):
    result = app.test_cli_runner().invoke(args=["readiness", "backtest", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_comparison_page_shows_the_scores_in_words(app, session, two_rounds, sign_in, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    data = backtest_json(app)
    replayed = data["rounds"][0]["forecasts"][0]
    assert replayed["when"] == "the day before" and replayed["forecast_on"] == "2027-04-30"
    html = " ".join(sign_in(two_rounds).get("/readiness/compare").get_data(as_text=True).split())
    assert "Scores of the earlier forecast" in html
    assert "The forecast of 30 April 2027 (the last stored before the round)" in html
    # the stored forecast and the replay of the same day agree to the digit
    assert f"<strong>{replayed['brier']:.2f}</strong>, over the 2 questions" in html
    assert f"<strong>{replayed['mean_absolute_error']:.2f}</strong> levels" in html
    assert "(1 reached its target)" not in html and "(1 reached their target)" in html


def test_backtest_json_scores_every_past_round(app, session, two_rounds):
    data = backtest_json(app)
    assert [r["round"] for r in data["rounds"]] == ["Re-measurement"]
    assert data["rounds"][0]["forecast_by"] == "Baseline 2026"
    whens = [f["when"] for f in data["rounds"][0]["forecasts"]]
    assert whens == ["the day before", "90 days before"]
    day_before, early = data["rounds"][0]["forecasts"]
    # Lateness record: the 2 done milestones finished 1 day early; the prior adds 2 on time,
    # 1 thirty days late and 1 never. The day before (30 Apr), the open milestones (original due
    # 1 Feb) are 88 days late and nothing has ever finished later than 30 days: chance 0.
    # Q1 reached Developing, Q2 did not: Brier ((0 - 1)^2 + 0^2) / 2 = 0.5.
    assert (day_before["outcomes"], day_before["reached"]) == (2, 1)
    assert day_before["brier"] == 0.5 and day_before["reliability"] is None
    # 90 days before (31 Jan), not yet due: S(-1) = 6/8, S(89) = 6/8 x 4/6 x 1/2 = 1/4, so the
    # chance is 1 - (1/4) / (6/8) = 2/3 and Brier ((2/3 - 1)^2 + (2/3)^2) / 2 = 5/18.
    assert early["forecast_on"] == "2027-01-31" and early["brier"] == round(5 / 18, 2)
    assert data["pooled"]["outcomes"] == 2


def test_backtest_text_and_organisation_code(app, session, two_rounds):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["readiness", "backtest"])
    assert result.exit_code == 0, result.output
    assert "Re-measurement (held 2027-05-01), forecast from Baseline 2026:" in result.output
    assert "Brier score" in result.output
    assert "Reliability table once there are 10 outcomes (now 2)." in result.output
    refused = runner.invoke(args=["readiness", "backtest", "--organisation", "RX1"])
    assert refused.exit_code != 0
    assert "organisation" in refused.output
