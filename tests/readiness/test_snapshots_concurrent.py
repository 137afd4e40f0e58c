"""Snapshots replace, never duplicate — also when two recomputes of the same day overlap (on
PostgreSQL a delete-then-insert made the later one fail on the unique constraint)."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.support.factories import make_round
from tests.support.helpers import TODAY
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness, store_snapshots
from tracker.extensions import db
from tracker.models import ReadinessSnapshot

ROWS = 1 + 5 + 22


def test_two_overlapping_recomputes_of_a_day_leave_one_row_per_scope(session, framework):
    make_round(session)
    organisation_id = default_organisation(session).id
    session.commit()
    first, second = Session(db.engine), Session(db.engine)
    errors: list[BaseException] = []
    try:
        report = compute_readiness(first, organisation_id=organisation_id, as_of=TODAY)
        assert report is not None
        store_snapshots(first, report, TODAY)  # written, not yet committed

        def other_run() -> None:
            try:
                again = compute_readiness(second, organisation_id=organisation_id, as_of=TODAY)
                assert again is not None
                store_snapshots(second, again, TODAY)
                second.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
                second.rollback()

        thread = threading.Thread(target=other_run)
        thread.start()
        thread.join(timeout=0.5)  # PostgreSQL: waits on the first run's uncommitted rows
        first.commit()
        thread.join(timeout=30)
        assert not thread.is_alive()
    finally:
        first.close()
        second.close()
    assert errors == []
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ReadinessSnapshot)) == ROWS


def test_a_scope_gone_from_the_report_is_removed_and_others_updated(session, framework):
    assessment_round = make_round(session)
    report = compute_readiness(
        session, organisation_id=default_organisation(session).id, as_of=TODAY
    )
    assert report is not None
    stale = ReadinessSnapshot(round_id=assessment_round.id, taken_on=TODAY, scope_key="question:999999",
                              baseline=1, expected=1, assured=1, status="")  # fmt: skip
    other_day = ReadinessSnapshot(round_id=assessment_round.id, taken_on=TODAY - timedelta(days=1),
                                  scope_key="overall", baseline=1, expected=1, assured=1)  # fmt: skip
    session.add_all([stale, other_day])
    session.commit()
    assert store_snapshots(session, report, TODAY) == ROWS
    assert store_snapshots(session, report, TODAY) == ROWS
    session.commit()
    keys = session.scalars(
        select(ReadinessSnapshot.scope_key).where(ReadinessSnapshot.taken_on == TODAY)
    ).all()
    assert len(keys) == ROWS and "question:999999" not in keys
    assert session.scalar(select(func.count()).select_from(ReadinessSnapshot)) == ROWS + 1
    assert session.scalar(select(ReadinessSnapshot.computed_at).limit(1)) is not None
