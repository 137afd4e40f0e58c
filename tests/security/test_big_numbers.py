"""Ids, page numbers, filters and dates beyond what the database holds answer 404 or 400 with
the usual page, never 500: the URL map is walked with such values, on whichever database the
suite runs on (PostgreSQL's integers stop at 2**31 - 1, SQLite's at 2**63 - 1)."""

from __future__ import annotations

import re

import pytest

from tests.support.proof import build_world, fetch, signed_in_client

HUGE_IDS = [2**31, 2**63, 10**20]
HUGE_ARGS = ["2147483648", "9223372036854775808", "99999999999999999999"]
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def urls_with(rule: str, value: str) -> str:
    return PLACEHOLDER.sub(value, rule)


@pytest.fixture
def admin_client(app, session, framework):
    world = build_world(session, app.config["UPLOAD_DIR"])
    return signed_in_client(app, world.users["admin"])


def test_every_route_with_a_huge_id_is_not_found(app, admin_client) -> None:
    answers = {}
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        for value in HUGE_IDS:
            path = urls_with(rule.rule, str(value))
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = fetch(admin_client, method, path)
                answers[(method, path)] = response.status_code
    assert len({path for _, path in answers}) >= 15 * len(HUGE_IDS)
    wrong = {key: status for key, status in answers.items() if status not in (400, 404)}
    assert not wrong


def test_the_largest_id_the_database_holds_is_simply_not_found(admin_client) -> None:
    assert fetch(admin_client, "GET", f"/actions/{2**31 - 1}").status_code == 404
    assert fetch(admin_client, "GET", "/actions/0").status_code == 404


@pytest.mark.parametrize("value", HUGE_ARGS)
@pytest.mark.parametrize(
    "path",
    [
        "/actions?page={}",
        "/actions?component={}",
        "/admin/audit?page={}",
        "/admin/audit?actor={}",
        "/readiness/at-risk?page={}",
    ],
)
def test_huge_numbers_in_query_arguments_are_refused(admin_client, path, value) -> None:
    response = fetch(admin_client, "GET", path.format(value, value))
    assert response.status_code == 400
    assert "Internal" not in response.get_data(as_text=True)


def test_huge_round_ids_on_the_comparison_page(admin_client, session) -> None:
    """With one round the page explains that two are needed; the ids are refused before that."""
    for value in HUGE_ARGS:
        response = fetch(admin_client, "GET", f"/readiness/compare?a={value}&b={value}")
        assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", HUGE_ARGS)
def test_huge_page_of_a_component_is_refused(admin_client, session, value) -> None:
    from tests.support import factories

    component = factories.component(session, 1)
    response = fetch(admin_client, "GET", f"/domains/{component.id}?page={value}")
    assert response.status_code == 400


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_dates_outside_the_range_are_a_message_on_the_field(admin_client, date) -> None:
    response = fetch(admin_client, "GET", f"/admin/audit?date_to={date}")
    assert response.status_code == 400
    assert "To date must be between 1900 and 2999" in response.get_data(as_text=True)
