"""The permission matrix: every route, every role, every method, with the answer expected.

Roles (see tests/support/proof.py): anonymous; admin; director_leading (leads the component of
the sample action); director_other (leads another component); owner_own (owns the sample
action); owner_other (owns a different action); viewer. URL arguments take the sample world's
ids: the action, its component, milestone and file evidence, a spare user, the round.

Each row is `who=codes` words: `who` is a role or `*` (every role not named), codes are
HTTP statuses joined by `|` when more than one answer is right (a POST an earlier role has
already done may answer differently). POSTs send an empty form with CSRF switched off, so the
answer shows the permission check (a refused role), a validation error (200/400) or the
action done (302). A route missing from the matrix fails the suite: add it here.

Members of another organisation (every role, admins included) and platform admins are checked
against the same world in tests/organisations/test_cross_organisation_matrix.py.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.helpers import table_counts
from tests.support.proof import (
    ROLES,
    build_url,
    build_world,
    fetch,
    methods_of,
    routes,
    signed_in_client,
)

SIGNED_IN_ALL_200 = "anonymous=302 *=200"

ADMIN_ONLY = "anonymous=302 admin=200 *=403"
ADMIN_ONLY_DONE = "anonymous=302 admin=302 *=403"
ADMIN_ONLY_INVALID = "anonymous=302 admin=400 *=403"
# Work on the sample action: its owner and its component's director may; a viewer or the other
# director is refused (403: they may see it), the other owner may not even see it (404).
ACTION_WORK_INVALID = "anonymous=302 viewer=403 owner_other=404 director_other=403 *=400"
ACTION_WORK_PAGE = "anonymous=302 viewer=403 owner_other=404 director_other=403 *=200"
# Planning and assigning: only the leading director (and admin).
ACTION_PLAN_INVALID = (
    "anonymous=302 viewer=403 owner_other=404 director_other=403 owner_own=403 *=400"
)

MATRIX: dict[str, dict[str, str]] = {
    # core
    "home.home": {"GET": "anonymous=200 *=302"},  # signed in: on to the dashboard
    "home.healthz": {"GET": "*=200"},
    "home.about": {"GET": "*=200"},  # the footer's pages: open to everyone
    "home.accessibility": {"GET": "*=200"},
    "home.privacy": {"GET": "*=200"},
    "home.cookies": {"GET": "*=200"},
    "home.assets": {"GET": "*=200"},
    # auth and own account
    "auth.sign_in": {"GET": "anonymous=200 *=302", "POST": "anonymous=200 *=302"},
    "auth.sign_out": {"POST": "*=302"},
    "auth.change_own_password": {"GET": SIGNED_IN_ALL_200, "POST": SIGNED_IN_ALL_200},
    "auth.forgotten_password": {"GET": "*=200", "POST": "*=200"},
    "auth.forgotten_password_sent": {"GET": "*=200"},
    # an unknown or expired token answers 400 with a page saying so
    "auth.accept_invitation": {"GET": "*=400", "POST": "*=400"},
    "auth.reset_password": {"GET": "*=400", "POST": "*=400"},
    # single sign-on is not configured here (tests/sign_in covers it configured)
    "auth.sso_start": {"GET": "*=404"},
    "auth.sso_callback": {"GET": "*=404"},
    "preferences.edit": {"GET": SIGNED_IN_ALL_200, "POST": SIGNED_IN_ALL_200},
    # dashboard, domains, actions
    "dashboard.index": {"GET": SIGNED_IN_ALL_200},
    "domains.index": {"GET": "anonymous=302 owner_own=403 owner_other=403 *=200"},
    "domains.show": {"GET": "anonymous=302 owner_own=403 owner_other=403 *=200"},
    "domains.bulk_assign": {"POST": "anonymous=302 director_leading=400 admin=400 *=403"},
    "domains.reassign_leaver": {
        "GET": "anonymous=302 director_leading=200 director_other=200 admin=200 *=403",
        "POST": "anonymous=302 director_leading=400 director_other=400 admin=400 *=403",
    },
    "actions.index": {"GET": SIGNED_IN_ALL_200},
    "actions.mine": {"GET": SIGNED_IN_ALL_200},
    "actions.export": {"GET": "anonymous=302 owner_own=403 owner_other=403 *=200"},
    "actions.show": {"GET": "anonymous=302 owner_other=404 *=200"},
    "actions.assign": {"POST": ACTION_PLAN_INVALID},
    "actions.add_milestone": {"POST": ACTION_PLAN_INVALID},
    # lifecycle moves carry the action version the page showed: none here, so permitted
    # roles get the stale-page conflict (409) after the permission check
    "actions.change_status": {
        "POST": "anonymous=302 viewer=403 owner_other=404 director_other=403 *=409"
    },
    "actions.cancel": {"GET": ACTION_WORK_PAGE, "POST": ACTION_WORK_INVALID},
    "actions.withdraw_milestone": {
        "GET": "anonymous=302 viewer=403 owner_other=404 director_other=403 owner_own=403 *=200",
        "POST": ACTION_PLAN_INVALID,
    },
    "actions.decisions_queue": {
        "GET": "anonymous=302 admin=200 director_leading=200 director_other=200 *=403"
    },
    "actions.decide": {
        "POST": "anonymous=302 viewer=403 owner_other=404 director_other=403 owner_own=403 *=409"
    },
    "actions.review_evidence_many": {
        "POST": "anonymous=302 admin=400 director_leading=400 director_other=400 *=403"
    },
    "actions.progress": {"POST": ACTION_WORK_INVALID},
    "actions.replan": {"GET": ACTION_WORK_PAGE, "POST": ACTION_WORK_INVALID},
    # a tick must carry the milestone version its page showed: without one, permitted roles
    # get the stale-page conflict (409), so the matrix proves the others are refused first
    "actions.tick": {"POST": "anonymous=302 viewer=403 owner_other=404 director_other=403 *=409"},
    # evidence: files only for the owner and the leading director (viewers never)
    "evidence.new": {"GET": ACTION_WORK_PAGE},
    "evidence.add": {"POST": ACTION_WORK_INVALID},
    "evidence.download": {
        "GET": "anonymous=302 owner_own=200 director_leading=200 admin=200 *=404"
    },
    "evidence.review": {
        "GET": "anonymous=302 owner_other=404 director_leading=200 admin=200 *=403",
        "POST": "anonymous=302 owner_other=404 director_leading=400 admin=400 *=403",
    },
    # the uploader withdraws (302); afterwards it is gone for everyone (404)
    "evidence.withdraw": {
        "POST": "anonymous=302 viewer=403 director_other=403 owner_own=302 *=404"
    },
    # readiness
    "readiness.index": {"GET": SIGNED_IN_ALL_200},
    "readiness.at_risk": {"GET": SIGNED_IN_ALL_200},
    "readiness.board_report": {"GET": SIGNED_IN_ALL_200},
    "readiness.board_report_pdf": {"GET": SIGNED_IN_ALL_200},
    "readiness.compare": {"GET": SIGNED_IN_ALL_200},
    "readiness.export": {"GET": "anonymous=302 owner_own=403 owner_other=403 *=200"},
    "readiness.outcome": {
        "POST": "viewer=403 owner_other=404 director_other=403 owner_own=403 *=302"
    },
    # admin
    "admin.index": {"GET": ADMIN_ONLY},
    "admin.audit_trail": {"GET": ADMIN_ONLY},
    "admin.sign_in_settings": {"GET": ADMIN_ONLY},
    "admin.framework": {"GET": ADMIN_ONLY},
    "admin.leads": {"GET": ADMIN_ONLY},
    "admin.assign_lead": {"POST": ADMIN_ONLY_INVALID},
    "admin.remove_lead": {"POST": ADMIN_ONLY_DONE},
    "admin.rounds": {"GET": ADMIN_ONLY},
    "admin.edit_round": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY_DONE},
    # the world's round has an action in progress: deleting it is refused (400)
    "admin.delete_round_page": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY_INVALID},
    "admin.users": {"GET": ADMIN_ONLY},
    "admin.user": {"GET": ADMIN_ONLY},
    "admin.invite": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.change_role": {"POST": ADMIN_ONLY_INVALID},
    "admin.deactivate": {"POST": ADMIN_ONLY_DONE},
    "admin.reactivate": {"POST": ADMIN_ONLY_INVALID},  # the user is active already
    "admin.resend_invitation": {"POST": ADMIN_ONLY_INVALID},  # the user has a password
    "admin.unlink_single_sign_on": {"POST": ADMIN_ONLY_INVALID},  # the user is not linked
    "imports.upload": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY_INVALID},  # no file chosen
    "imports.result": {"GET": ADMIN_ONLY},
    "notifications.index": {"GET": ADMIN_ONLY},
    "notifications.mine": {"GET": SIGNED_IN_ALL_200},
    "notifications.retry_all": {"POST": ADMIN_ONLY_DONE},
    "notifications.retry_one": {"POST": ADMIN_ONLY_DONE},
    # the system view: the sample organisation is in no system, so the page says so and
    # sharing is refused with a message (400); withdrawing a round never shared likewise
    "systems.view": {"GET": SIGNED_IN_ALL_200},
    "systems.sharing_choices": {"GET": ADMIN_ONLY},
    "systems.share": {"POST": ADMIN_ONLY_INVALID},
    "systems.withdraw": {"POST": ADMIN_ONLY_INVALID},
    # platform admins only (none of these roles is one: see tests/organisations)
    "platform.organisations": {"GET": "anonymous=302 *=403"},
    "platform.new_organisation": {"GET": "anonymous=302 *=403", "POST": "anonymous=302 *=403"},
    "platform.new_system": {"GET": "anonymous=302 *=403", "POST": "anonymous=302 *=403"},
}


def expected(spec: str, role: str) -> set[int]:
    """The statuses a matrix row allows for one role."""
    answers = dict(word.split("=", 1) for word in spec.split())
    codes = answers.get(role, answers.get("*"))
    if codes is None:
        raise AssertionError(f"matrix row {spec!r} names no answer for {role}")
    return {int(code) for code in codes.split("|")}


def test_every_route_and_method_is_in_the_matrix(app: Flask) -> None:
    missing = [
        f"{rule.endpoint} {method} {rule.rule}"
        for rule in routes(app)
        for method in methods_of(rule)
        if method not in MATRIX.get(rule.endpoint, {})
    ]
    assert not missing, (
        "These routes have no row in the permission matrix; add the expected answer for every "
        "role to MATRIX in tests/test_permission_matrix.py:\n  " + "\n  ".join(missing)
    )


def test_matrix_rows_name_real_routes(app: Flask) -> None:
    known = {(rule.endpoint, method) for rule in routes(app) for method in methods_of(rule)}
    stale = [
        f"{endpoint} {method}"
        for endpoint, row in MATRIX.items()
        for method in row
        if (endpoint, method) not in known
    ]
    assert not stale, "Matrix rows for routes that do not exist: " + ", ".join(stale)


def test_signed_in_clients_are_really_signed_in(app, session, framework) -> None:
    world = build_world(session, app.config["UPLOAD_DIR"])
    for role, user in world.users.items():
        assert fetch(signed_in_client(app, None), "GET", "/sign-in").status_code == 200
        response = fetch(signed_in_client(app, user), "GET", "/sign-in")
        assert response.status_code == 302, role


def test_get_answers_match_the_matrix_and_change_nothing(app, session, framework) -> None:
    world = build_world(session, app.config["UPLOAD_DIR"])
    clients = {role: signed_in_client(app, world.users.get(role)) for role in ROLES}
    wrong: list[str] = []
    get_paths = {rule.rule for rule in routes(app) if "GET" in methods_of(rule)}
    for rule in routes(app):
        if "GET" not in methods_of(rule) and rule.rule in get_paths:
            continue  # another endpoint answers GET on this path
        path = build_url(app, rule, world.url_values())
        before = table_counts(session)
        session.rollback()
        for role in ROLES:
            status = fetch(clients[role], "GET", path).status_code
            if "GET" not in methods_of(rule):
                allowed = {405}
            else:
                allowed = expected(MATRIX.get(rule.endpoint, {}).get("GET", "*=0"), role)
            if status not in allowed:
                wrong.append(f"GET {path} as {role}: {status}, expected {sorted(allowed)}")
        after = table_counts(session)
        session.rollback()
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if changed:
            wrong.append(f"GET {path} changed row counts: {changed}")
    assert not wrong, "\n".join(wrong)


def post_rules(app: Flask) -> list[str]:
    return [rule.endpoint for rule in routes(app) if "POST" in methods_of(rule)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "post_endpoint" in metafunc.fixturenames:
        from tracker import create_app

        endpoints = sorted(
            {
                rule.endpoint
                for rule in create_app(_config()).url_map.iter_rules()
                if "POST" in (rule.methods or set())
            }
        )
        metafunc.parametrize("post_endpoint", endpoints)


def _config():  # a throwaway app just to list the routes at collection time
    from config import TestingConfig

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    return config


def test_post_answers_match_the_matrix(app, session, framework, post_endpoint) -> None:
    world = build_world(session, app.config["UPLOAD_DIR"])
    rule = next(r for r in routes(app) if r.endpoint == post_endpoint and "POST" in r.methods)
    path = build_url(app, rule, world.url_values())
    spec = MATRIX.get(post_endpoint, {}).get("POST")
    assert spec, f"{post_endpoint} POST has no row in MATRIX"
    wrong = []
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for role in ROLES:
            client = signed_in_client(app, world.users.get(role))
            status = fetch(client, "POST", path, data={}).status_code
            if status not in expected(spec, role):
                wrong.append(f"POST {path} as {role}: {status}, expected {expected(spec, role)}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert not wrong, "\n".join(wrong)


def test_a_post_without_a_csrf_token_is_refused_everywhere(app, session, framework) -> None:
    world = build_world(session, app.config["UPLOAD_DIR"])
    admin = signed_in_client(app, world.users["admin"])
    anonymous = signed_in_client(app, None)
    before = table_counts(session)
    session.rollback()
    wrong = []
    for rule in routes(app):
        if "POST" not in methods_of(rule):
            continue
        path = build_url(app, rule, world.url_values())
        for who, client in (("admin", admin), ("anonymous", anonymous)):
            response = fetch(client, "POST", path, data={"title": "x", "text": "x", "note": "x"})
            if response.status_code != 400:
                wrong.append(f"POST {path} as {who} without a token: {response.status_code}")
    after = table_counts(session)
    assert not wrong, "\n".join(wrong)
    assert before == after
