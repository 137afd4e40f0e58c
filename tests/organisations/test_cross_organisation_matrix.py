"""The permission matrix for members of another organisation: every route, every method, every
role (admins included) and platform admins, against the sample organisation's objects.

For a route naming an object, the answer must be exactly the answer for an id that does not
exist (same status, same page: no existence oracle), and nothing may change. For every page,
nothing of the sample organisation (people, actions, rounds, files, emails) may appear.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.support.helpers import table_counts
from tests.support.proof import (
    World,
    build_url,
    build_world,
    cached_password_hash,
    fetch,
    methods_of,
    routes,
    signed_in_client,
)
from tracker.models import Organisation, System, User

FOREIGN_ROLES = ("admin", "director", "owner", "viewer", "system_viewer", "platform_admin")
OBJECT_ARGUMENTS = (
    "action_id", "milestone_id", "evidence_id", "user_id", "round_id", "lead_id",
    "notification_id", "event_id",
)  # fmt: skip
MISSING_ID = 987654


def foreign_people(session) -> dict[str, User]:
    """A second organisation (in a system, with its own round) with one person per role, and a
    platform admin belonging to none."""
    from tests.support import factories

    system = System(code="QT9", name="Another ICS")
    trust = Organisation(ods_code="RZZ", name="Another NHS trust", system=system)
    session.add(trust)
    people = {
        role: User(
            organisation=None if role == "platform_admin" else trust,
            email=f"{role}@other-trust.nhs.uk",
            name=f"Other {role}",
            role=role,
            password_hash=cached_password_hash(),
        )
        for role in FOREIGN_ROLES
    }
    session.add_all(people.values())
    session.flush()
    factories.make_round(session, "Their own round", organisation=trust)
    factories.make_lead(session, people["director"], 1)
    session.commit()
    return people


def secrets_of(world: World) -> list[str]:
    """Text only the sample organisation's members may see."""
    people = [*world.users.values(), world.target_user]
    return [
        *(person.email for person in people),
        *(person.name for person in people),
        world.action.title,
        "Board minutes",
        "minutes.txt",
        "Baseline 2026",
    ]


@pytest.fixture
def world(app: Flask, session, framework) -> World:
    return build_world(session, app.config["UPLOAD_DIR"])


CSRF_TOKEN = re.compile(rb'name="csrf_token" value="[^"]*"')


def page_text(body: bytes, path: str) -> bytes:
    """The page without its own address and its per-session CSRF token."""
    return CSRF_TOKEN.sub(b"", body.replace(path.encode(), b""))


def object_routes(app):
    for rule in routes(app):
        if set(rule.arguments) & set(OBJECT_ARGUMENTS):
            yield rule


def written_by_requests(session) -> dict[str, int]:
    """Row counts of every table except the live sessions that signing each client in opens."""
    return {table: n for table, n in table_counts(session).items() if table != "live_session"}


@pytest.mark.parametrize("role", FOREIGN_ROLES)
def test_another_organisations_objects_answer_like_missing_ones(app, session, world, role):
    person = foreign_people(session)[role]
    before = written_by_requests(session)
    session.rollback()
    real_values = world.url_values()
    missing_values = {
        **real_values, **{name: MISSING_ID for name in OBJECT_ARGUMENTS}
    }  # fmt: skip
    wrong = []
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for rule in object_routes(app):
            real = build_url(app, rule, real_values)
            missing = build_url(app, rule, missing_values)
            for method in methods_of(rule):
                kwargs = {"data": {}} if method == "POST" else {}
                # a fresh client each time, so no message flashed earlier shows on the page
                got = fetch(signed_in_client(app, person), method, real, **kwargs)
                expected = fetch(signed_in_client(app, person), method, missing, **kwargs)
                if got.status_code != expected.status_code or got.status_code < 400:
                    wrong.append(f"{method} {real}: {got.status_code} (missing id: "
                                 f"{expected.status_code})")  # fmt: skip
                elif page_text(got.data, real) != page_text(expected.data, missing):
                    wrong.append(f"{method} {real}: the page differs from a missing id's")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    session.expire_all()
    assert written_by_requests(session) == before
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", FOREIGN_ROLES)
def test_no_page_shows_another_organisations_data(app, session, world, role):
    person = foreign_people(session)[role]
    client = signed_in_client(app, person)
    secrets = secrets_of(world)
    leaks = []
    for rule in routes(app):
        if "GET" not in methods_of(rule) or rule.endpoint in ("home.assets",):
            continue
        path = build_url(app, rule, world.url_values())
        body = fetch(client, "GET", path).data  # some are PDF or spreadsheet files
        leaks += [f"GET {path} shows {text!r}" for text in secrets if text.encode() in body]
    assert not leaks, "\n".join(leaks)
