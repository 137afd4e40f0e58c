"""`flask readiness show` and `flask readiness recompute`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from tests.support.factories import make_action, make_milestone, make_round
from tracker.models import ReadinessSnapshot


def seed(session, make_user):
    owner = make_user("owner")
    rnd = make_round(session, ranks={5: 2})
    action = make_action(session, rnd, 1, owner=owner, target_rank=2)
    make_milestone(session, action, date(2026, 10, 1), done_at=datetime(2026, 9, 30, tzinfo=UTC))
    make_milestone(session, action, date(2027, 2, 1))
    session.commit()


def test_show_json_has_the_documented_keys(app, session, framework, make_user):
    seed(session, make_user)
    result = app.test_cli_runner().invoke(
        args=["readiness", "show", "--as-of", "2026-11-27", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "round",
        "round_held_on",
        "next_round_on",
        "as_of",
        "on_time_rate",
        "lateness",
        "likely_range_percentiles",
        "overall",
        "components",
        "questions",
        "at_risk",
    }
    assert data["round"] == "Baseline 2026"
    assert data["next_round_on"] == "2027-05-01"
    q1 = data["questions"][0]
    # rate (1 + 2) / (1 + 4) = 0.6; completion (1 + 0.6) / 2 = 0.8 -> 1 + 1 x 0.8
    assert (q1["number"], q1["level_now"], q1["target_level"]) == (1, "Starting", "Developing")
    assert (q1["expected"], q1["status"]) == (1.8, "On track")
    assert data["questions"][4]["level_now"] == "Developing"
    assert set(data["overall"]) == {
        "baseline",
        "target",
        "expected",
        "assured",
        "status",
        "chance_of_target",
        "likely_low",
        "likely_high",
    }
    assert set(q1) >= {"chance_of_target", "likely_low", "likely_high"}
    assert 0 <= q1["chance_of_target"] <= 1
    assert data["likely_range_percentiles"] == [10, 90]


def test_show_text_lists_every_question(app, session, framework, make_user):
    seed(session, make_user)
    result = app.test_cli_runner().invoke(args=["readiness", "show", "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert "Round: Baseline 2026" in result.output
    assert "Next round: 2027-05-01" in result.output
    assert result.output.count("No actions planned") >= 21


def test_bad_date_is_refused_and_writes_nothing(app, session, framework, make_user):
    seed(session, make_user)
    result = app.test_cli_runner().invoke(args=["readiness", "recompute", "--as-of", "27/11/2026"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output
    assert session.scalar(select(func.count()).select_from(ReadinessSnapshot)) == 0


def test_show_without_round_says_so(app, session, framework):
    result = app.test_cli_runner().invoke(args=["readiness", "show"])
    assert result.exit_code == 1
    assert "No assessment round yet" in result.output


def test_recompute_twice_replaces(app, session, framework, make_user):
    seed(session, make_user)
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["readiness", "recompute", "--as-of", "2026-11-27"])
        assert result.exit_code == 0, result.output
        assert "28 snapshots stored for 2026-11-27" in result.output
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ReadinessSnapshot)) == 28
