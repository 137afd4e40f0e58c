"""The action list's filter form and its CSV/XLSX export: the download holds exactly the
actions the page lists; bad filters say why; another organisation's actions never appear."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.support import signing_in
from tests.support.accounts import browser
from tests.support.factories import make_action, make_milestone, make_round
from tracker.models import Organisation, User


def titles_listed(client, query: str = "") -> set[str]:
    page = client.get(f"/actions{query}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    return {t for t in ("Write the vision", "Culture survey", "Share the plan") if f">{t}<" in html}


def titles_exported(client, query: str = "") -> list[str]:
    response = client.get(f"/actions/export.csv{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][5] == "Action"
    return sorted(row[5] for row in rows[1:])


def test_the_action_list_is_in_the_navigation(app, world):
    for who in (world.admin, world.director, world.owner, world.viewer):
        client = browser(app)
        signing_in.sign_in(client, who)
        html = client.get("/dashboard").get_data(as_text=True)
        assert 'href="/actions"' in html, who.role


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Write the vision", "Culture survey", "Share the plan"}),
        ("?q=VISION", {"Write the vision"}),
        ("?q=survey&status=not_started", {"Culture survey"}),
        ("?owner=none", {"Share the plan"}),
        ("?status=open&owner=none", {"Share the plan"}),
        ("?overdue=1", {"Write the vision"}),
        ("?led=1", {"Write the vision", "Share the plan"}),
        ("?q=100%25", set()),  # % is a letter in the search, not a wildcard
    ],
)
def test_filters_and_export_agree(session, world, sign_in, query, expected):
    make_milestone(session, world.action, date(2020, 1, 1), title="Long overdue")
    session.commit()
    client = sign_in(world.director)
    assert titles_listed(client, query) == expected
    assert titles_exported(client, query) == sorted(expected)


def test_owner_and_component_filters(world, sign_in):
    client = sign_in(world.admin)
    assert titles_listed(client, f"?owner={world.other_owner.id}") == {"Culture survey"}
    component = world.other_action.question.component_id
    assert titles_listed(client, f"?component={component}") == {"Culture survey"}


def test_the_xlsx_export_holds_the_same_rows(world, sign_in):
    client = sign_in(world.viewer)
    response = client.get("/actions/export.xlsx?q=plan")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Share the plan"]


def test_the_page_offers_the_download_of_what_it_shows(world, sign_in):
    client = sign_in(world.director)
    html = client.get("/actions?q=vision&status=not_started").get_data(as_text=True)
    assert 'href="/actions/export.csv?q=vision&amp;status=not_started"' in html
    assert 'href="/actions/export.xlsx?q=vision&amp;status=not_started"' in html


def test_owners_see_only_their_own_and_cannot_download(world, sign_in):
    client = sign_in(world.owner)
    assert titles_listed(client) == {"Write the vision"}
    html = client.get("/actions").get_data(as_text=True)
    assert "export.csv" not in html and 'name="owner"' not in html
    assert client.get("/actions/export.csv").status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?status=finished", "Choose a status from the list"),
        ("?component=999999", "Choose a domain from the list"),
        ("?owner=abc", "Choose an owner from the list"),
        ("?q=" + "x" * 201, "Search text must be 200 characters or fewer"),
    ],
)
def test_bad_filters_say_why(world, sign_in, query, message):
    client = sign_in(world.director)
    page = client.get(f"/actions{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert client.get(f"/actions/export.csv{query}").status_code == 400


def test_an_unknown_download_format_is_not_found(world, sign_in):
    assert sign_in(world.admin).get("/actions/export.pdf").status_code == 404


def test_another_organisations_actions_never_appear(session, world, sign_in):
    elsewhere = Organisation(ods_code="RZZ", name="Another NHS trust")
    session.add(elsewhere)
    stranger = User(organisation=elsewhere, email="o@other.nhs.uk", name="Sam Stranger",
                    role="owner")  # fmt: skip
    other_round = make_round(session, "Their baseline", organisation=elsewhere)
    make_action(session, other_round, 1, title="Their secret plan", owner=stranger)
    session.commit()
    client = sign_in(world.admin)
    assert "Their secret plan" not in client.get("/actions?q=secret").get_data(as_text=True)
    assert "Their secret plan" not in client.get("/actions/export.csv").get_data(as_text=True)
    # their owner is no choice here: filtering by them is refused, not answered
    page = client.get(f"/actions?owner={stranger.id}")
    assert page.status_code == 400 and "Sam Stranger" not in page.get_data(as_text=True)
    assert client.get(f"/actions/export.csv?owner={stranger.id}").status_code == 400
