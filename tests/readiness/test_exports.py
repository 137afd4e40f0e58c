"""The readiness CSV/XLSX export: every column says what it holds and holds that."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tests.support.factories import make_round
from tests.support.helpers import TODAY
from tests.support.readiness import seed_forecast
from tracker import clock
from tracker.domain.readiness.figures import figures_of
from tracker.domain.readiness.model import status_for


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def remeasured(session, make_user):
    """A baseline (question 5 at Developing), then a later round: 1 and 5 each rose a level."""
    seed_forecast(session, make_user)
    make_round(
        session,
        "Re-measure autumn",
        held_on=date(2026, 10, 1),
        next_round_on=date(2027, 6, 1),
        ranks={1: 2, 5: 3},
    )
    session.commit()


def read_csv(client) -> list[list[str]]:
    response = client.get("/readiness/export.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_columns_name_the_rounds_and_the_date(app, session, framework, make_user, sign_in):
    remeasured(session, make_user)
    header, *_ = read_csv(sign_in(make_user("viewer")))
    assert header[4:15] == [
        "Level at baseline (Baseline 2026)",
        "Level at baseline in words",
        "Level now (Re-measure autumn)",
        "Level now in words",
        "Target",
        "Target in words",
        "Expected by 1 June 2027",
        "Expected in words",
        "Assured by 1 June 2027",
        "Assured in words",
        "Status",
    ]
    assert header[-3:] == [
        "Chance of reaching target (0 to 1)",
        "Likely low when re-measured (10th percentile)",
        "Likely high when re-measured (90th percentile)",
    ]
    assert "Baseline" not in header


def test_baseline_holds_the_first_round_and_now_the_latest(
    app, session, framework, make_user, sign_in
):
    remeasured(session, make_user)
    _, *rows = read_csv(sign_in(make_user("viewer")))
    questions = {row[2]: row for row in rows if row[0] == "Question"}
    assert questions["5"][4:8] == ["2.0", "Developing", "3.0", "Maturing"]
    assert questions["1"][4:8] == ["1.0", "Starting", "2.0", "Developing"]
    assert questions["7"][4:8] == ["1.0", "Starting", "1.0", "Starting"]
    overall = rows[0]
    assert overall[0] == "Overall"
    # 22 questions: baseline one at 2, now one at 2 and one at 3.
    assert overall[4:8] == [
        "1.05",
        "between Starting and Developing",
        "1.14",
        "between Starting and Developing",
    ]
    for row in rows:
        now, target, expected = float(row[6]), float(row[8]), float(row[10])
        assert row[14] == status_for(now, target, expected)
        assert row[11] == figures_of_row(row).words(expected)


def figures_of_row(row):
    names = {1: "Starting", 2: "Developing", 3: "Maturing", 4: "Thriving"}
    score = SimpleNamespace(
        baseline=float(row[6]),
        target=float(row[8]),
        expected=float(row[10]),
        assured=float(row[12]),
    )
    return figures_of(score, names)


def test_with_one_round_the_baseline_is_the_level_now(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)
    header, *rows = read_csv(sign_in(make_user("viewer")))
    assert header[4] == "Level at baseline (Baseline 2026)"
    assert header[6] == "Level now (Baseline 2026)"
    assert all(row[4] == row[6] for row in rows)


def test_xlsx_has_the_same_columns(app, session, framework, make_user, sign_in):
    remeasured(session, make_user)
    client = sign_in(make_user("director"))
    csv_header = read_csv(client)[0]
    response = client.get("/readiness/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == csv_header
    q5 = next(row for row in rows[1:] if row[0] == "Question" and row[2] == 5)
    assert q5[4:8] == (2.0, "Developing", 3.0, "Maturing")
