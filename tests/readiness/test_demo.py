"""On the demo organisation, the page, the JSON, the board report and the export agree to the
number; a second round then shows the comparison and the model's accuracy."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from tests.readiness.test_views import cell, figure, show_json
from tests.support.board_pack import assert_board_agrees
from tests.support.factories import make_round
from tests.support.helpers import TODAY
from tracker import clock
from tracker.domain.demo.organisation import DEMO_PASSWORD, load_demo
from tracker.models import User


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def demo(app, session):
    load_demo(session, TODAY)
    session.commit()
    return session.scalars(select(User).where(User.role == "viewer")).first()


def test_demo_page_json_board_report_and_export_agree(app, session, demo, sign_in):
    data = show_json(app, "DEMO1")
    assert any(q["expected"] > q["baseline"] for q in data["questions"])
    client = sign_in(demo, DEMO_PASSWORD)
    page = client.get("/readiness").get_data(as_text=True)
    board = client.get("/readiness/board-report").get_data(as_text=True)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/readiness/export.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    by_scope = {(r[0], r[2] or r[1]): r for r in rows[1:]}
    assert_board_agrees(board, data, cell)
    for html in (page,):
        for column, key in ((1, "baseline"), (2, "expected"), (3, "assured"), (4, "target")):
            shown = figure(cell(html, 'data-scope="overall"', column))
            assert shown == f"{data['overall'][key]:.2f}"
        assert cell(html, 'data-scope="overall"', 5) == data["overall"]["status"]
        for c in data["components"]:
            attr = f'data-scope="component-{c["position"]}"'
            assert figure(cell(html, attr, 2)) == f"{c['expected']:.2f}"
            assert figure(cell(html, attr, 3)) == f"{c['assured']:.2f}"
        for q in data["questions"]:
            attr = f'data-question="{q["number"]}"'
            assert cell(html, attr, 2) == q["level_now"]
            assert cell(html, attr, 3) == q["target_level"]
            assert figure(cell(html, attr, 4)) == f"{q['expected']:.2f}"
            assert figure(cell(html, attr, 5)) == f"{q['assured']:.2f}"
            assert cell(html, attr, 6) == q["status"]
            chance = (
                f"{round(q['chance_of_target'] * 100)}%"
                if q["target"] > q["baseline"]
                else "Already there"
            )
            assert cell(html, attr, 7) == chance
        overall_range = (
            f"{data['overall']['likely_low']:.2f} to {data['overall']['likely_high']:.2f}"
        )
        assert cell(html, 'data-scope="overall"', 6) == overall_range
        for c in data["components"]:
            attr = f'data-scope="component-{c["position"]}"'
            assert cell(html, attr, 6) == f"{c['likely_low']:.2f} to {c['likely_high']:.2f}"
    assert float(by_scope[("Overall", "")][10]) == data["overall"]["expected"]
    for q in data["questions"]:
        row = by_scope[("Question", str(q["number"]))]
        assert (float(row[10]), float(row[12]), row[14]) == (
            q["expected"],
            q["assured"],
            q["status"],
        )
        assert [float(x) for x in row[17:20]] == [
            q["chance_of_target"],
            q["likely_low"],
            q["likely_high"],
        ]
    for item in data["at_risk"]:
        assert f'href="/actions/{item["action_id"]}"' in page


def test_demo_second_round_shows_comparison_and_accuracy(app, session, demo, sign_in):
    runner = app.test_cli_runner()
    assert (
        runner.invoke(args=["readiness", "recompute", "--as-of", TODAY.isoformat()]).exit_code == 0
    )
    make_round(
        session, "Re-measurement", held_on=date(2027, 6, 1), next_round_on=None,
        ranks={n: 2 for n in range(1, 12)}, organisation=demo.organisation,
    )  # fmt: skip
    session.commit()
    client = sign_in(demo, DEMO_PASSWORD)
    html = " ".join(client.get("/readiness/compare").get_data(as_text=True).split())
    assert "Mean absolute error" in html
    assert f"the forecast made on <strong>{TODAY.day} {TODAY:%B %Y}</strong>" in html
    assert "questions predicted to move up" in html
    assert "Did the actions work?" in html
