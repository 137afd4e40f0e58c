"""The at-risk list: the readiness page and the board report (page and PDF) show the 20 most at
risk, in the report's order, and link to /readiness/at-risk, which lists them all 50 a page."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from tests.readiness.test_scale import bulk_plan
from tests.support.factories import make_action, make_round
from tests.support.helpers import TODAY
from tests.support.proof import cached_password_hash, fetch, signed_in_client
from tests.support.readiness import seed_forecast
from tracker import clock
from tracker.models import Organisation, Question, User
from tracker.readiness import views
from tracker.readiness.at_risk import AT_RISK_PER_PAGE, AT_RISK_SHOWN

LIMIT_WORDS = "most at risk are shown"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def unplanned(session, rnd, n: int, prefix: str = "Unplanned action") -> None:
    """`n` open actions with no owner and no milestones: each is at risk."""
    for i in range(n):
        make_action(session, rnd, i % 22 + 1, title=f"{prefix} {i:03d}")
    session.commit()


def at_risk_json(app) -> list[dict]:
    result = app.test_cli_runner().invoke(
        args=["readiness", "show", "--json", "--as-of", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["at_risk"]


def table(html: str, ident: str) -> str:
    return html.split(f'id="{ident}"')[1].split("</table>")[0]


def titles(html: str, ident: str) -> list[str]:
    """The action titles of the table's rows, in order."""
    rows = re.findall(r'<tr class="nhsuk-table__row".*?</tr>', table(html, ident), re.S)
    heading = r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>'
    cells = [re.sub(heading, "", re.search(r"<th[^>]*>(.*?)</th>", r, re.S).group(1)) for r in rows]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_html(monkeypatch, client) -> str:
    """The HTML the board report's PDF is made from (the PDF itself still rendered)."""
    seen: list[str] = []
    real = views.cached_pdf
    monkeypatch.setattr(
        views, "cached_pdf", lambda html, folder: seen.append(html) or real(html, folder)
    )
    response = client.get("/readiness/board-report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return seen[0]


def test_page_and_board_report_show_the_20_most_at_risk_and_link_to_all(
    app, session, framework, make_user, sign_in, monkeypatch
):
    rnd = make_round(session)
    unplanned(session, rnd, 25)
    expected = [item["title"] for item in at_risk_json(app)]
    assert len(expected) == 25
    client = sign_in(make_user("viewer"))

    page = client.get("/readiness").get_data(as_text=True)
    assert titles(page, "at-risk") == expected[:AT_RISK_SHOWN]  # in the report's order
    assert (
        "25 open actions at risk. The 20 most at risk are shown: those with the most reasons, "
        "then the most overdue milestones." in words(table(page, "at-risk"))
    )
    assert '<a href="/readiness/at-risk">See all 25 open actions at risk</a>' in page

    board = client.get("/readiness/board-report").get_data(as_text=True)
    assert titles(board, "board-at-risk") == expected[:AT_RISK_SHOWN]
    assert "25 open actions at risk. The 20 most at risk are shown" in words(board)
    assert '<a href="/readiness/at-risk">See all 25 open actions at risk</a>' in board

    printed = pdf_html(monkeypatch, client)
    assert titles(printed, "board-at-risk") == expected[:AT_RISK_SHOWN]
    assert "The 20 most at risk are shown" in words(printed)
    assert "See all" not in printed and "/readiness/at-risk" not in printed
    assert "The full list of 25 open actions at risk is on the readiness pages" in words(printed)


@pytest.mark.parametrize("count", [1, AT_RISK_SHOWN])
def test_20_or_fewer_are_all_shown_with_no_limit_or_link(
    app, session, framework, make_user, sign_in, monkeypatch, count
):
    rnd = make_round(session)
    unplanned(session, rnd, count)
    client = sign_in(make_user("viewer"))
    page = client.get("/readiness").get_data(as_text=True)
    board = client.get("/readiness/board-report").get_data(as_text=True)
    printed = pdf_html(monkeypatch, client)
    shown = f"{count} open action{'s' if count != 1 else ''} at risk."
    for html, ident in ((page, "at-risk"), (board, "board-at-risk"), (printed, "board-at-risk")):
        assert len(titles(html, ident)) == count
        assert shown in words(table(html, ident))
        assert LIMIT_WORDS not in html and "See all" not in html
        assert "/readiness/at-risk" not in html and "The full list" not in html


def test_thousands_are_written_with_commas(app, session, framework, make_user, sign_in):
    rnd = make_round(session)
    bulk_plan(session, rnd, make_user("owner"), 1_234, 0)  # no milestones: every one at risk
    client = sign_in(make_user("viewer"))
    page = client.get("/readiness").get_data(as_text=True)
    assert len(titles(page, "at-risk")) == AT_RISK_SHOWN
    assert "1,234 open actions at risk. The 20 most at risk are shown" in words(page)
    assert "See all 1,234 open actions at risk" in page
    listing = client.get("/readiness/at-risk").get_data(as_text=True)
    assert "Showing 1 to 50 of 1,234 open actions at risk" in words(listing)
    assert "Open actions at risk, page 1 of 25" in listing


def test_the_at_risk_page_lists_them_all_50_a_page(app, session, framework, make_user, sign_in):
    rnd = make_round(session)
    unplanned(session, rnd, AT_RISK_PER_PAGE + 5)
    expected = [item["title"] for item in at_risk_json(app)]
    client = sign_in(make_user("viewer"))

    response = client.get("/readiness/at-risk")
    first = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Open actions at risk</h1>" in first
    assert '<a class="nhsuk-back-link" href="/readiness">' in first
    assert titles(first, "at-risk") == expected[:50]
    assert "Showing 1 to 50 of 55 open actions at risk" in words(first)
    assert "Open actions at risk, page 1 of 2" in first
    assert 'href="/readiness/at-risk?page=2"' in first  # the NHS.UK pagination
    assert 'class="nhsuk-pagination' in first

    second = client.get("/readiness/at-risk?page=2").get_data(as_text=True)
    assert titles(second, "at-risk") == expected[50:]
    assert "Showing 51 to 55 of 55 open actions at risk" in words(second)
    assert 'href="/readiness/at-risk?page=1"' in second
    # the same columns as the readiness page: linked title, question, owner, why
    row = table(second, "at-risk")
    assert re.search(r'<a href="/actions/\d+">Unplanned action \d{3}</a>', row)
    assert "No owner" in row and "No owner; No milestones" in row
    q = session.scalars(select(Question).where(Question.number == 1)).one()
    assert f"1. {q.text}"[:60] in words(client.get("/readiness/at-risk").get_data(as_text=True))


@pytest.mark.parametrize(
    ("page", "status", "shown"),
    [
        ("999", 200, "Showing 51 to 55"),  # past the end: the last page
        ("-1", 200, "Showing 1 to 50"),  # not a page number: the first page
        ("abc", 200, "Showing 1 to 50"),
        ("0", 400, "Sorry, there is a problem with that request"),
        ("99999999999999999999", 400, "Sorry, there is a problem with that request"),
    ],
)
def test_a_bad_page_number_gets_a_clear_answer(
    app, session, framework, make_user, sign_in, page, status, shown
):
    rnd = make_round(session)
    unplanned(session, rnd, AT_RISK_PER_PAGE + 5)
    client = sign_in(make_user("viewer"))
    response = client.get(f"/readiness/at-risk?page={page}")
    assert response.status_code == status
    assert shown in words(response.get_data(as_text=True))


def test_the_at_risk_page_of_a_small_list_has_no_pagination(
    app, session, framework, make_user, sign_in
):
    seed_forecast(session, make_user)
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness/at-risk").get_data(as_text=True)
    assert titles(html, "at-risk") == [item["title"] for item in at_risk_json(app)]
    assert "Showing 1 to 2 of 2 open actions at risk" in words(html)
    assert "nhsuk-pagination" not in html and ", page 1 of" not in html
    assert "None" not in words(html)


def test_the_at_risk_page_when_nothing_is_at_risk(app, session, framework, make_user, sign_in):
    make_round(session)
    session.commit()
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness/at-risk").get_data(as_text=True)
    assert "No open action is at risk today." in html
    assert 'id="at-risk"' not in html and "Showing" not in html


def test_the_at_risk_page_with_no_round(app, session, framework, make_user, sign_in):
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness/at-risk").get_data(as_text=True)
    assert "There is no assessment round yet" in html


@pytest.mark.parametrize("role", ["viewer", "owner", "director", "admin"])
def test_every_role_may_see_the_at_risk_page(app, session, framework, make_user, role):
    seed_forecast(session, make_user)
    response = fetch(signed_in_client(app, make_user(role)), "GET", "/readiness/at-risk")
    assert response.status_code == 200
    assert "Leadership programme" in response.get_data(as_text=True)


def test_signed_out_is_sent_to_sign_in(app, client, session, framework):
    response = client.get("/readiness/at-risk?page=2")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_another_organisations_at_risk_actions_never_appear(app, session, framework, make_user):
    ours = make_user("viewer")
    unplanned(session, make_round(session), AT_RISK_SHOWN + 5, prefix="Our action")
    trust = Organisation(ods_code="RZZ", name="Another NHS trust")
    theirs = User(
        organisation=trust,
        email="viewer@other-trust.nhs.uk",
        name="Other viewer",
        role="viewer",
        password_hash=cached_password_hash(),
    )
    session.add_all([trust, theirs])
    session.flush()
    unplanned(
        session, make_round(session, "Their round", organisation=trust), 3, prefix="Their action"
    )
    pages = [
        "/readiness",
        "/readiness/board-report",
        "/readiness/at-risk",
        "/readiness/at-risk?page=2",
    ]
    for person, own, other in (
        (ours, "Our action", "Their action"),
        (theirs, "Their action", "Our action"),
    ):
        client = signed_in_client(app, person)
        for path in pages:
            html = fetch(client, "GET", path).get_data(as_text=True)
            assert other not in html, (person.name, path)
        listing = fetch(client, "GET", "/readiness/at-risk").get_data(as_text=True)
        assert own in listing
    their_page = fetch(signed_in_client(app, theirs), "GET", "/readiness/at-risk")
    assert "Showing 1 to 3 of 3 open actions at risk" in words(their_page.get_data(as_text=True))
