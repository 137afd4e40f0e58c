"""Loading readiness costs the same number of queries however many rows there are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.support.factories import make_action, make_milestone, make_note_evidence, make_round
from tests.support.helpers import TODAY
from tests.support.queries import count_queries
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness
from tracker.models import ProgressUpdate


def build(session, owner, director, n_actions, rnd):
    for i in range(n_actions):
        action = make_action(session, rnd, 1 + i % 22, owner=owner if i % 3 else None)
        for k in range(5):
            done = datetime(2026, 9, 1, tzinfo=UTC) if k < 2 else None
            m = make_milestone(
                session, action, date(2026, 10, 1) + timedelta(days=30 * k), done_at=done
            )
            if k == 0:
                make_note_evidence(
                    session,
                    action,
                    owner,
                    milestone=m,
                    review_status="accepted",
                    reviewed_by=director,
                    reviewed_at=done,
                )
        session.add(ProgressUpdate(action=action, author=owner, text="ok", percent=10))
    session.commit()


def measure(session):
    session.expire_all()
    with count_queries() as statements:
        report = compute_readiness(
            session, organisation_id=default_organisation(session).id, as_of=TODAY
        )
    return len(statements), report


def test_query_count_does_not_grow_with_rows(session, framework, make_user):
    owner, director = make_user("owner"), make_user("director")
    org_id = default_organisation(session).id
    rnd = make_round(session)
    build(session, owner, director, 2, rnd)
    small, report_small = measure(session)
    build(session, owner, director, 60, rnd)
    large, report_large = measure(session)
    assert report_small.counts["milestones"] == 10
    assert report_large.counts["milestones"] == 310
    assert small == large <= 10
    assert org_id == report_large.organisation_id
    assert any("No owner" in item.reasons for item in report_large.at_risk)


def test_readiness_page_and_board_report_queries_do_not_grow(
    app, session, framework, make_user, sign_in
):
    owner, director = make_user("owner"), make_user("director")
    rnd = make_round(session)
    build(session, owner, director, 2, rnd)
    client = sign_in(make_user("viewer"))
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            build(session, owner, director, 40, rnd)
        for path in ("/readiness", "/readiness/board-report"):
            session.expire_all()  # the same starting point: nothing cached from the last request
            with count_queries() as statements:
                assert client.get(path).status_code == 200
            counts[size, path] = len(statements)
    assert counts["small", "/readiness"] == counts["large", "/readiness"] <= 16
    assert counts["small", "/readiness/board-report"] == counts["large", "/readiness/board-report"]
