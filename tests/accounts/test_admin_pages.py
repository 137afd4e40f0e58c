"""Component leads, the framework view, rounds and their dates, and the audit trail."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.support.accounts import browser, post_form, text_of
from tests.support.factories import component, make_lead, make_round
from tests.support.helpers import NOW, table_counts
from tests.support.queries import count_queries
from tests.support.signing_in import sign_in
from tracker.domain import audit
from tracker.domain.audit.trail import PER_PAGE, TrailFilter, search
from tracker.models import AuditEvent, DomainLead


@pytest.fixture
def admin_browser(app, make_user):
    admin = make_user("admin", name="Alex Admin")
    client = browser(app)
    sign_in(client, admin)
    client.admin = admin
    return client


# --- component leads ---------------------------------------------------------------------------


def test_assign_and_remove_a_lead(admin_browser, make_user, session, framework):
    director = make_user("director", name="Dana Director")
    first = component(session, 1)
    done = post_form(admin_browser, "/admin/leads", {"component": first.id, "user": director.id})
    assert done.status_code == 302
    page = text_of(admin_browser.get("/admin/leads"))
    assert "Dana Director" in page and "No lead yet" in page
    session.rollback()
    lead = session.scalars(select(DomainLead)).one()
    assert (lead.user_id, lead.component_id) == (director.id, first.id)
    removed = post_form(
        admin_browser, f"/admin/leads/{lead.id}/remove", {}, form_url="/admin/leads"
    )
    assert removed.status_code == 302
    session.rollback()
    assert session.scalars(select(DomainLead)).all() == []
    verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity == "domain_lead"))
    assert list(verbs) == ["assigned", "removed"]


def test_bad_lead_assignments_say_why_and_write_nothing(
    admin_browser, make_user, session, framework
):
    director, owner = make_user("director"), make_user("owner")
    make_lead(session, director, 1)
    session.commit()
    first = component(session, 1)
    cases = [
        ({"component": first.id, "user": owner.id}, "Choose one of the directors listed"),
        ({"component": 9999, "user": director.id}, "Choose one of the components listed"),
        ({"component": "x", "user": director.id}, "Choose a component"),
        ({"component": first.id, "user": director.id}, "already leads"),
        ({"component": "", "user": ""}, "Choose a director"),
    ]
    before = table_counts(session)
    for fields, message in cases:
        page = post_form(admin_browser, "/admin/leads", fields)
        assert page.status_code == 400 and message in text_of(page), message
    session.rollback()
    assert table_counts(session) == before


# --- framework -----------------------------------------------------------------------------------


def test_framework_page_shows_components_questions_and_scale(admin_browser, framework):
    page = text_of(admin_browser.get("/admin/framework"))
    assert "flask framework load" in page
    for level in framework.levels:
        assert level.name in page
    for item in framework.components:
        assert item.name in page
    assert "Question 22." in page


# --- rounds -------------------------------------------------------------------------------------


def test_edit_round_dates_is_audited(admin_browser, session, framework):
    assessment_round = make_round(session, "Baseline 2026")
    session.commit()
    url = f"/admin/rounds/{assessment_round.id}"
    assert "Baseline 2026" in text_of(admin_browser.get("/admin/rounds"))
    fields = {
        "name": "Baseline",
        "held_on": "2026-05-01",
        "next_round_on": "2027-03-01",
    }
    assert post_form(admin_browser, url, fields).status_code == 302
    session.rollback()
    assert assessment_round.name == "Baseline"
    assert assessment_round.next_round_on == date(2027, 3, 1)
    change = session.scalars(select(AuditEvent).where(AuditEvent.entity == "round")).one()
    assert change.before == {"name": "Baseline 2026", "next_round_on": "2027-05-01"}
    assert change.after == {"name": "Baseline", "next_round_on": "2027-03-01"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"next_round_on": "2026-04-30"},
            "The next round must be after the date this round was held",
        ),
        (
            {"next_round_on": "2026-05-01"},
            "The next round must be after the date this round was held",
        ),
        ({"held_on": "2026-13-40"}, "Date held must be a real date"),
        ({"held_on": ""}, "Enter the date held"),
        ({"next_round_on": "soon"}, "Next round date must be a real date"),
        ({"name": " "}, "Enter a name for the round"),
        ({"name": "Re-measure 2027"}, "Another round is already called Re-measure 2027"),
        (
            {"name": "re-measure  2027"},
            "Another round is already called Re-measure 2027: names that differ only in capital "
            "letters, accents or spaces are the same name",
        ),
        ({"name": "Ré-measure 2027"}, "Another round is already called Re-measure 2027"),
    ],
)
def test_bad_round_edits_say_why_and_write_nothing(
    admin_browser, session, framework, fields, message
):
    assessment_round = make_round(session, "Baseline 2026")
    make_round(session, "Re-measure 2027", held_on=date(2027, 5, 1), next_round_on=None)
    session.commit()
    base = {
        "name": "Baseline 2026",
        "held_on": "2026-05-01",
        "next_round_on": "2027-05-01",
    }
    before = table_counts(session)
    page = post_form(admin_browser, f"/admin/rounds/{assessment_round.id}", {**base, **fields})
    assert page.status_code == 400
    assert message in text_of(page) and "There is a problem" in text_of(page)
    session.rollback()
    assert table_counts(session) == before and assessment_round.name == "Baseline 2026"


def test_next_round_may_be_left_empty(admin_browser, session, framework):
    assessment_round = make_round(session)
    session.commit()
    fields = {
        "name": assessment_round.name,
        "held_on": "2026-05-01",
        "next_round_on": "",
    }
    assert (
        post_form(admin_browser, f"/admin/rounds/{assessment_round.id}", fields).status_code == 302
    )
    session.rollback()
    assert assessment_round.next_round_on is None and assessment_round.status == "open"


# --- audit trail ----------------------------------------------------------------------------------


def add_events(session, actor, count, *, verb="updated", entity="action", start=NOW):
    for n in range(count):
        audit.record(
            session, actor, entity, n, verb, at=start - timedelta(minutes=n), after={"n": n}
        )
    session.commit()


def test_trail_is_newest_first_and_filtered(session, make_user):
    alice, bob = make_user("director"), make_user("owner")
    baseline = table_counts(session)["audit_event"]
    add_events(session, alice, 3, verb="assigned")
    add_events(session, bob, 2, verb="progress", start=NOW - timedelta(days=2))
    everything = search(session, TrailFilter())
    assert everything.total == baseline + 5
    stamps = [e.at for e in everything.events]
    assert stamps == sorted(stamps, reverse=True)
    assert search(session, TrailFilter(actor_id=bob.id, verb="progress")).total == 2
    assert search(session, TrailFilter(verb="assigned", entity="action")).total == 3
    assert search(session, TrailFilter(entity="nothing")).total == 0
    day = (NOW - timedelta(days=2)).date()
    assert search(session, TrailFilter(date_from=day, date_to=day, verb="progress")).total == 2
    assert search(session, TrailFilter(date_to=day - timedelta(days=1))).total == 0


def test_date_filter_uses_uk_days(session, make_user):
    person = make_user("owner")
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST)
    audit.record(
        session, person, "action", 1, "late", at=datetime.fromisoformat("2026-06-30T23:30:00+00:00")
    )
    session.commit()
    july = TrailFilter(verb="late", date_from=date(2026, 7, 1), date_to=date(2026, 7, 1))
    assert search(session, july).total == 1


def test_trail_page_is_paginated_with_a_constant_number_of_queries(
    admin_browser, session, make_user
):
    people = [make_user("owner") for _ in range(4)]
    for person in people:
        add_events(session, person, 3)
    with count_queries() as few:
        small = admin_browser.get("/admin/audit")
    for person in people:
        add_events(session, person, 30)
    with count_queries() as many:
        full = admin_browser.get("/admin/audit")
    assert small.status_code == full.status_code == 200
    assert len(many) == len(few)
    page = text_of(full)
    assert "page 1 of 3" in page and "Older events" in page
    assert page.count('role="row"') == PER_PAGE + 1  # header row + 50
    last = text_of(admin_browser.get("/admin/audit?page=3"))
    assert "page 3 of 3" in last and "Newer events" in last


def test_trail_filters_through_the_page(admin_browser, session, make_user):
    person = make_user("owner", name="Filter Target")
    add_events(session, person, 2, verb="ticked")
    page = text_of(admin_browser.get(f"/admin/audit?actor={person.id}&verb=ticked"))
    assert "2 events" in page and "Filter Target" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=yesterday", "From date must be a real date"),
        (
            "date_from=2026-11-27&date_to=2026-11-01",
            "To date must be the same as or after the from date",
        ),
        ("actor=abc", "Choose a person from the list"),
    ],
)
def test_bad_trail_filters_say_why(admin_browser, query, message):
    page = admin_browser.get(f"/admin/audit?{query}")
    assert page.status_code == 400 and message in text_of(page)


def test_leads_page_marks_deactivated_directors(admin_browser, make_user, session, framework):
    director = make_user("director", name="Gone Director", is_active=False)
    make_lead(session, director, 2)
    session.commit()
    assert "Gone Director (deactivated)" in text_of(admin_browser.get("/admin/leads"))
