"""Building a small organisation with a forecast worth looking at (readiness tests)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from tests.support.factories import (
    make_action,
    make_lead,
    make_milestone,
    make_note_evidence,
    make_round,
)

DONE = datetime(2026, 9, 30, 9, 0, tzinfo=UTC)


def seed_forecast(session, make_user):
    """A baseline with actions on questions 1, 2 and 9: done, due and late milestones, one
    accepted and one rejected piece of evidence, and an action with no owner."""
    director = make_user("director")
    owner = make_user("owner")
    make_lead(session, director, 1)
    rnd = make_round(session, ranks={5: 2})
    a1 = make_action(session, rnd, 1, owner=owner, target_rank=3, title="Shared vision workshop")
    m1 = make_milestone(session, a1, date(2026, 10, 1), title="Draft vision", done_at=DONE)
    make_milestone(session, a1, date(2027, 2, 1), title="Board sign-off", weight=2)
    make_milestone(session, a1, date(2027, 9, 1), title="After the round")
    make_note_evidence(
        session,
        a1,
        owner,
        milestone=m1,
        review_status="accepted",
        reviewed_by=director,
        reviewed_at=DONE,
    )
    a2 = make_action(session, rnd, 2, owner=owner, title="Staff survey")
    make_milestone(session, a2, date(2026, 11, 1), title="Overdue survey")
    make_note_evidence(
        session, a2, owner, review_status="rejected", reviewed_by=director, reviewed_at=DONE
    )
    make_action(session, rnd, 9, title="Leadership programme")
    session.commit()
    return rnd, director, owner, a1, a2


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no csrf_token on the page"
    return match.group(1)
