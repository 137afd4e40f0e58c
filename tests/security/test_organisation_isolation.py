"""Defects found in the security review, each pinned by a test that failed before its fix:

- another organisation's actions, milestones and evidence were reachable by id (a director
  leading the same, shared component could even assign, tick, review and download);
- re-entering the current password to change it was not rate-limited;
- spreadsheet cells with whitespace before = + - @ escaped formula neutralisation;
- an outcome could be recorded on a deleted action.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from tests.support import factories
from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import NOW, PASSWORD, table_counts
from tests.support.proof import World, build_world, cached_password_hash, fetch, signed_in_client
from tests.support.signing_in import sign_in
from tracker.domain.spreadsheet import neutralise, write_csv, write_xlsx
from tracker.models import AuditEvent, LoginThrottle, Organisation, User

NEW_PASSWORD = "another-long-test-passphrase"


@pytest.fixture
def world(app: Flask, session, framework) -> World:
    return build_world(session, app.config["UPLOAD_DIR"])


@pytest.fixture
def csrf_off(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def other_trust_people(session) -> dict[str, User]:
    """A second organisation whose director leads component 1, the same (shared) component
    as the sample action's; plus its admin and viewer."""
    trust = Organisation(name="Another NHS trust")
    session.add(trust)
    people = {
        role: User(
            organisation=trust,
            email=f"{role}@other-trust.nhs.uk",
            name=f"Other {role}",
            role=role,
            password_hash=cached_password_hash(),
        )
        for role in ("admin", "director", "viewer")
    }
    session.add_all(people.values())
    session.flush()
    factories.make_lead(session, people["director"], 1)
    session.commit()
    return people


@pytest.mark.parametrize("role", ["admin", "director", "viewer"])
def test_another_organisations_action_and_evidence_are_not_found(app, session, world, role):
    person = other_trust_people(session)[role]
    client = signed_in_client(app, person)
    urls = [
        f"/actions/{world.action.id}",
        f"/actions/{world.action.id}/milestones/{world.milestone.id}/replan",
        f"/actions/{world.action.id}/evidence/new",
        f"/evidence/{world.evidence.id}/download",
        f"/evidence/{world.evidence.id}/review",
    ]
    for url in urls:
        response = fetch(client, "GET", url)
        assert response.status_code == 404, (url, response.status_code)
        assert world.evidence_bytes not in response.data


@pytest.mark.parametrize("role", ["admin", "director"])
def test_another_organisations_action_cannot_be_changed(app, session, world, csrf_off, role):
    person = other_trust_people(session)[role]
    client = signed_in_client(app, person)
    before = table_counts(session)
    action, milestone, evidence = world.action.id, world.milestone.id, world.evidence.id
    posts = {
        f"/actions/{action}/milestones/{milestone}/done": {"done": "1"},
        f"/actions/{action}/progress": {"percent": "50", "note": "Taken over"},
        f"/actions/{action}/milestones": {
            "milestone-title": "Injected",
            "milestone-weight": "1",
            "milestone-due_on": "2027-01-01",
        },
        f"/actions/{action}/evidence/note": {"note-note": "Injected", "note-milestone_id": "0"},
        f"/evidence/{evidence}/review": {"decision": "accepted", "note": ""},
    }
    for url, data in posts.items():
        response = fetch(client, "POST", url, data=data)
        assert response.status_code == 404, (url, response.status_code)
    session.expire_all()
    assert table_counts(session) == before
    assert world.milestone.done_at is None
    assert world.evidence.review_status == "pending"


def test_changing_password_is_rate_limited_like_signing_in(app, session, make_user):
    user = make_user("owner")
    client = browser(app, "10.9.9.9")
    sign_in(client, user)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        wrong = post_form(
            client,
            "/account/password",
            {
                "current_password": "a-wrong-guess",
                "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
        )
        assert "Your current password is not correct" in text_of(wrong)
    right = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert right.status_code == 200
    assert "Too many attempts" in text_of(right)
    session.expire_all()
    refreshed = session.get(User, user.id)
    assert refreshed.session_version == 1  # the password was not changed
    failures = {t.scope: t.failures for t in session.scalars(select(LoginThrottle))}
    assert failures == {"account": limit, "address": limit}
    verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == user.id)).all()
    assert verbs.count("password_change_failed") == limit
    assert "password_changed" not in verbs


def test_the_right_current_password_still_changes_it_and_clears_the_count(app, session, make_user):
    user = make_user("owner")
    client = browser(app, "10.9.9.8")
    sign_in(client, user)
    post_form(
        client,
        "/account/password",
        {
            "current_password": "a-wrong-guess",
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    done = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    session.expire_all()
    scopes = {t.scope for t in session.scalars(select(LoginThrottle))}
    assert scopes == {"address"}  # the account's count is cleared, the address keeps its own


HOSTILE = [
    ' =HYPERLINK("http://evil.example","x")',
    "  +1+1",
    "\n=1+1",
    "\u00a0-2+3",
    " @SUM(A1)",
    "\uff1dcmd|' /C calc'!A0",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_whitespace_before_a_formula_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_text_and_numbers_are_untouched():
    assert [neutralise(v) for v in (" plain", "a=b", 3, -4.5, None)] == [
        " plain",
        "a=b",
        3,
        -4.5,
        None,
    ]


def test_every_cell_of_both_writers_is_neutralised():
    rows = [[value, 1] for value in HOSTILE]
    text = write_csv(rows, [" =header", "n"]).decode("utf-8-sig")
    for value in HOSTILE:
        assert ("'" + value.replace('"', '""')) in text
    assert "' =header" in text
    book = load_workbook(io.BytesIO(write_xlsx(rows, [" =header", "n"])))
    cells = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert all(str(cell).startswith("'") for cell in cells)


def test_no_outcome_is_recorded_on_a_deleted_action(app, session, world, csrf_off):
    world.action.deleted_at = NOW
    session.commit()
    before = table_counts(session)
    client = signed_in_client(app, world.users["admin"])
    url = f"/readiness/actions/{world.action.id}/outcome"
    response = fetch(client, "POST", url, data={"outcome": "verified"})
    assert response.status_code == 404
    session.expire_all()
    assert world.action.outcome is None
    assert table_counts(session) == before
