"""The board pack: organisation and date, the summary of change and forecast, actions by status
and component, level names beside numbers, targets met shown as met, questions by number and
text, charts from 1, and (when the organisation shares with its system) how it compares."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.board_pack import seed_two_rounds
from tests.support.factories import question
from tests.support.helpers import NOW, TODAY
from tests.support.readiness import seed_forecast
from tracker import clock
from tracker.domain.readiness import compute_readiness
from tracker.domain.readiness.board import TARGET_MET, build_board_pack, question_words
from tracker.models import Action, Organisation, User


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: NOW)


def text_of(html: str) -> str:
    html = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", html)
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_pack_counts_movement_actions_and_names_a_met_target(session, framework, make_user):
    seed_two_rounds(session, make_user)
    organisation = session.scalars(select(Organisation)).one()
    report = compute_readiness(session, organisation_id=organisation.id, as_of=TODAY)
    pack = build_board_pack(session, report, organisation_name=organisation.name)

    assert pack.moved == (1, 1, len(report.questions) - 2)
    assert pack.previous.round_a == "Baseline 2025"
    q5 = next(q for q in report.questions if q.number == 5)
    assert q5.status == "No actions planned"  # the model's word for "nothing aims higher"
    assert pack.question_status[q5.question_id] == TARGET_MET
    untouched = next(q for q in report.questions if q.number == 20)
    assert pack.question_status[untouched.question_id] == "No actions planned"
    live = session.scalar(select(func.count()).select_from(Action))
    assert pack.actions.total == live == 4
    assert pack.actions.by_status("not_started") == 4
    assert [c.number for c in pack.actions.components] == [c.position for c in report.components]
    by_component = {c.number: c.total for c in pack.actions.components}
    component_of = {q.number: q.component_id for q in report.questions}
    position = {c.component_id: c.position for c in report.components}
    expected: dict[int, int] = {}
    for number in (1, 2, 5, 9):
        expected[position[component_of[number]]] = (
            expected.get(position[component_of[number]], 0) + 1
        )
    assert {k: v for k, v in by_component.items() if v} == expected

    summary = pack.summary
    assert "Since the previous round (Baseline 2025, held 1 May 2025)" in summary
    assert "1 question moved up at least one level, 1 moved down and" in summary
    assert (
        "the overall level is expected to reach" in summary
        and "(between Starting and Developing)" in summary
    )
    assert "likely to be between" in summary and "(an 8 in 10 chance)" in summary
    assert "3 questions have actions aiming above their level now" in summary
    assert "the chance that all 3 do is 0%" in summary  # question 1 cannot make it
    assert "None" not in summary and "_" not in summary


def test_the_first_round_says_there_is_nothing_to_compare_with(session, framework, make_user):
    seed_forecast(session, make_user)
    organisation = session.scalars(select(Organisation)).one()
    report = compute_readiness(session, organisation_id=organisation.id, as_of=TODAY)
    pack = build_board_pack(session, report, organisation_name=organisation.name)
    assert pack.previous is None and pack.moved == (0, 0, 0)
    assert pack.summary.startswith("Baseline 2026 is the first round recorded")
    assert pack.partners is None  # in no system


def test_a_question_at_the_top_of_the_scale_has_reached_the_highest_level():
    from tests.support.board_pack import readiness_question

    assert question_words(readiness_question(baseline=4, target=4), 4) == "Highest level reached"
    assert question_words(readiness_question(baseline=2, target=2, actions=(1,)), 4) == TARGET_MET
    assert question_words(readiness_question(baseline=2, target=2), 4) == "No actions planned"
    assert question_words(readiness_question(baseline=1, target=3), 4) == "Not on track"


def test_the_board_page_reads_as_a_board_report(app, session, framework, make_user, sign_in):
    seed_two_rounds(session, make_user)
    organisation = session.scalars(select(Organisation)).one()
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness/board-report").get_data(as_text=True)
    text = text_of(html)
    assert f"{organisation.name}: readiness for the next NHS IMPACT round" in text
    assert "Board report prepared 27 November 2026" in text
    summary = text_of(html.split('id="board-summary"')[1].split("</p>")[0])
    assert "1 question moved up at least one level, 1 moved down" in summary
    for q in (question(session, 1), question(session, 12)):
        assert f"{q.number}. {q.text}" in text  # number and text, visible
    q5 = html.split('data-question="5"')[1].split("</tr>")[0]
    assert TARGET_MET in q5 and "No actions planned" not in q5
    assert "Not started" in text and "All components" in text
    row = text_of("<tr " + html.split('id="board-actions-total"')[1].split("</tr>")[0])
    assert row == "All components 4 0 0 0 0 4"
    overall = text_of("<tr " + html.split('data-component="overall"')[1].split("</tr>")[0])
    assert re.search(r"\d\.\d\d between \w+ and \w+", overall) or "Starting" in overall
    # the charts start at 1: no tick labelled 0
    assert "1. Building a shared purpose and vision</text>" in html  # charts name components
    for ident in ("board-components", "board-questions"):
        svg = html.split(f'aria-labelledby="{ident}-title')[1].split("</svg>")[0]
        ticks = re.findall(r'y="13" font-size="12" text-anchor="\w+">(\d+)</text>', svg)
        assert ticks == ["1", "2", "3", "4"]  # the scale's real range, no 0
        assert "Starting</text>" in svg and "Thriving</text>" in svg
    assert "Compared with partners" not in text  # not in a system
    assert "Q12" not in text


def test_the_board_page_of_an_empty_organisation(app, session, framework, make_user, sign_in):
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness/board-report").get_data(as_text=True)
    assert "There is no assessment round yet" in html
    assert client.get("/readiness/board-report.pdf").status_code == 404


def test_compared_with_partners_on_the_board_report_and_the_readiness_page(
    app, session, framework, make_user, sign_in
):
    from tests.support.board_pack import seed_partners

    rnd, _ = seed_two_rounds(session, make_user)
    client = sign_in(seed_partners(session, make_user, rnd))
    for path in ("/readiness/board-report", "/readiness"):
        html = client.get(path).get_data(as_text=True)
        part = text_of(html.split('id="compared-with-partners"')[1].split("</section>")[0])
        assert "Compared with partners in Nottingham and Nottinghamshire ICS" in part
        assert "is below the median of the partners that shared their results" in part
        assert (
            "1. Building a shared purpose and vision 1.00 (Starting) 3.00 (Maturing) Below" in part
        )
        assert "Nottinghamshire Healthcare (RHA) Baseline RHA, held 1 May 2026 1.55" in part
        quiet = text_of("<tr " + html.split('data-partner="RX9"')[1].split("</tr>")[0])
        assert quiet.endswith("Sherwood Community Trust (RX9) Not shared Not shared")
        assert "Vision work at RHA" not in html  # partners' actions are never shared


def test_no_comparison_when_the_organisation_does_not_share_or_withdraws(
    app, session, framework, make_user, sign_in
):
    from tests.support.board_pack import seed_partners
    from tracker.domain.organisations import sharing

    rnd, _ = seed_two_rounds(session, make_user)
    viewer = seed_partners(session, make_user, rnd)
    client = sign_in(viewer)
    assert "Compared with partners" in client.get("/readiness/board-report").get_data(as_text=True)
    admin = session.scalars(
        select(User).where(User.role == "admin", User.organisation_id == viewer.organisation_id)
    ).one()
    sharing.withdraw_share(session, admin, rnd.id, now=NOW)
    session.commit()
    for path in ("/readiness/board-report", "/readiness"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="compared-with-partners"' not in html
        assert "Nottinghamshire Healthcare" not in html
