"""The one date field (NHS.UK date input): what each typing mistake says, and that a refused
date writes nothing wherever the field is used."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import Form

from tests.support.actions import post
from tests.support.helpers import table_counts
from tracker.core.date_input import DateInputField
from tracker.models import Milestone


class DueForm(Form):
    due_on = DateInputField("Due date")
    later = DateInputField("Review date (optional)", required=False)


def filled(day: str = "", month: str = "", year: str = "", **more: str) -> DueForm:
    data = {"due_on-day": day, "due_on-month": month, "due_on-year": year, **more}
    return DueForm(MultiDict(data))


@pytest.mark.parametrize(
    ("typed", "message", "marked"),
    [
        (("", "", ""), "Enter the due date", ("day", "month", "year")),
        (("15052027", "", ""), "Due date must include a month and year", ("month", "year")),
        (("15", "", "2027"), "Due date must include a month", ("month",)),
        (("", "5", ""), "Due date must include a day and year", ("day", "year")),
        (("", "5", "2027"), "Due date must include a day", ("day",)),
        (("15052027", "5", "2027"), "Due date must be a real date", ("day",)),
        (("31", "2", "2027"), "Due date must be a real date", ("day", "month", "year")),
        (("1", "13", "2027"), "Due date must be a real date", ("month",)),
        (("one", "5", "2027"), "Due date must be a real date", ("day",)),
        (("1", "5", "27"), "Year must include 4 numbers", ("year",)),
        (("1", "5", "20277"), "Year must include 4 numbers", ("year",)),
        (("1", "5", "1066"), "Due date must be between 1900 and 2999", ("day", "month", "year")),
    ],
)
def test_each_mistake_has_its_own_message(typed, message, marked):
    form = filled(*typed)
    assert not form.validate()
    assert form.due_on.errors == [message]
    assert form.due_on.data is None or message.endswith("2999")
    assert form.due_on.error_parts == marked
    assert form.due_on.values == dict(zip(("day", "month", "year"), typed, strict=True))


def test_a_real_date_is_read_whatever_the_padding():
    form = filled(" 5", "03", "2027 ")
    assert form.validate(), form.errors
    assert form.due_on.data == date(2027, 3, 5)
    assert form.later.data is None  # an optional date left empty is no date, and no error


def test_an_optional_date_half_typed_is_still_refused():
    form = filled("1", "5", "2027", **{"later-day": "3"})
    assert not form.validate()
    assert form.later.errors == ["Review date must include a month and year"]


@pytest.mark.parametrize("value", ["15052027", "2027-5-15", "15/05/2027", "2027-02-30"])
def test_one_value_must_be_exactly_year_month_day(value):
    form = DueForm(MultiDict({"due_on": value}))
    assert not form.validate()
    assert form.due_on.errors == ["Due date must be a real date"]
    assert form.due_on.data is None


def test_one_year_month_day_value_still_works():
    form = DueForm(MultiDict({"due_on": "2027-05-15"}))
    assert form.validate(), form.errors
    assert form.due_on.data == date(2027, 5, 15)


def test_a_saved_date_shows_in_the_three_boxes():
    form = DueForm(due_on=date(2027, 3, 5))
    assert form.due_on.values == {"day": "5", "month": "3", "year": "2027"}


def test_the_action_page_shows_day_month_and_year_boxes(world, sign_in):
    client = sign_in(world.director)
    html = client.get(f"/actions/{world.action.id}").get_data(as_text=True)
    for part in ("day", "month", "year"):
        assert f'name="milestone-due_on-{part}"' in html
        assert f'name="assign-due_on-{part}"' in html
    assert 'type="date"' not in html


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("15052027", "", "", "Due date must include a month and year"),
        ("31", "2", "2027", "Due date must be a real date"),
        ("1", "2", "27", "Year must include 4 numbers"),
        ("", "", "", "Enter the due date"),
    ],
)
def test_a_bad_milestone_date_says_why_and_writes_nothing(
    session, world, sign_in, day, month, year, message
):
    page = f"/actions/{world.action.id}"
    client = sign_in(world.director)
    before = table_counts(session)
    response = post(client, f"{page}/milestones", page, {
        "milestone-title": "Board paper", "milestone-weight": "1",
        "milestone-due_on-day": day, "milestone-due_on-month": month,
        "milestone-due_on-year": year,
    })  # fmt: skip
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert 'href="#milestone-due_on-' in html  # the summary links to the box in error
    assert table_counts(session) == before


def test_a_milestone_date_typed_in_boxes_is_saved(session, world, sign_in):
    page = f"/actions/{world.action.id}"
    client = sign_in(world.director)
    response = post(client, f"{page}/milestones", page, {
        "milestone-title": "Board paper", "milestone-weight": "1",
        "milestone-due_on-day": "15", "milestone-due_on-month": "5",
        "milestone-due_on-year": "2027",
    })  # fmt: skip
    assert response.status_code == 302
    saved = session.scalars(select(Milestone).where(Milestone.title == "Board paper")).one()
    assert saved.due_on == date(2027, 5, 15)


def test_a_bad_replan_date_writes_nothing(session, world, sign_in):
    page = f"/actions/{world.action.id}/milestones/{world.milestone.id}/replan"
    client = sign_in(world.owner)
    assert 'name="due_on-day"' in client.get(page).get_data(as_text=True)
    before = table_counts(session)
    response = post(client, page, page, {
        "due_on-day": "30", "due_on-month": "2", "due_on-year": "2027",
        "reason": "Room unavailable", "version": str(world.milestone.version),
    })  # fmt: skip
    assert response.status_code == 400
    assert "New due date must be a real date" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_a_bad_round_date_writes_nothing(session, world, sign_in):
    page = f"/admin/rounds/{world.round.id}"
    client = sign_in(world.admin)
    assert 'name="held_on-day"' in client.get(page).get_data(as_text=True)
    before = table_counts(session)
    response = post(client, page, page, {
        "name": world.round.name, "status": "open",
        "held_on-day": "1", "held_on-month": "5", "held_on-year": "26",
        "next_round_on-day": "", "next_round_on-month": "", "next_round_on-year": "",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Year must include 4 numbers" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_a_bad_import_date_writes_nothing(session, world, sign_in):
    client = sign_in(world.admin)
    assert 'name="held_on-month"' in client.get("/admin/imports").get_data(as_text=True)
    before = table_counts(session)
    response = post(client, "/admin/imports", "/admin/imports", {
        "round_name": "Re-measure", "held_on-day": "15052027",
        "held_on-month": "", "held_on-year": "",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Date of the round must include a month and year" in response.get_data(as_text=True)
    assert table_counts(session) == before


def test_the_audit_trail_filters_by_dates_typed_in_boxes(world, sign_in):
    client = sign_in(world.admin)
    page = client.get("/admin/audit?date_from-day=31&date_from-month=2&date_from-year=2027")
    assert "From date must be a real date" in page.get_data(as_text=True)
    assert (
        client.get("/admin/audit?date_from-day=1&date_from-month=2&date_from-year=2027").status_code
        == 200
    )
