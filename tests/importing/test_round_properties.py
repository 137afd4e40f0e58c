"""Property: after any sequence of imports (names in any spelling, any dates, replaced scores),
edits and deletions of rounds, the current round and the next-round date are well defined —
one open round, the most recently held; every page's choice of it agrees; the next-round date
is the current round's, after its date held, and is only changed by someone setting it; a
name that differs only in case, accents or spaces is one round; a refusal writes nothing.
Domain level, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.support.helpers import NOW, SAMPLE, table_counts
from tracker.domain.actions.dashboard import latest_round as dashboard_round
from tracker.domain.errors import DomainError
from tracker.domain.readiness.inputs import latest_round as readiness_round
from tracker.domain.reminders.open_work import next_round_dates
from tracker.domain.rounds.current import current_round
from tracker.domain.rounds.deleting import delete_round
from tracker.domain.rounds.editing import update_round
from tracker.models import AssessmentRound, RoundStatus, round_name_key

NAMES = [
    "Baseline",
    "baseline ",
    "Re-measure 2027",
    "re-measure  2027",
    "Ré-measure 2027",
    "Spring",
]
DAYS = [date(2025, 6, 1), date(2026, 1, 1), date(2026, 6, 1), date(2027, 5, 1)]
BASE = SAMPLE.read_bytes()
FILES = [
    BASE,
    BASE.replace(b"13. 'Go and see' visits.\tStarting", b"13. 'Go and see' visits.\tDeveloping"),
    BASE.replace(b"leadership.\tDeveloping", b"leadership.\tStarting"),
]


@dataclass(frozen=True)
class Import:
    name: str
    held_on: date
    next_in: int | None  # days after the date held (may be 0 or less: refused)
    file: int
    replace: bool


@dataclass(frozen=True)
class Edit:
    pick: int
    name: str
    held_on: date
    next_in: int | None


@dataclass(frozen=True)
class Delete:
    pick: int


next_in = st.none() | st.sampled_from([-30, 0, 90, 400])
steps = st.lists(
    st.one_of(
        st.builds(
            Import,
            st.sampled_from(NAMES),
            st.sampled_from(DAYS),
            next_in,
            st.integers(0, len(FILES) - 1),
            st.booleans(),
        ),
        st.builds(Edit, st.integers(0, 5), st.sampled_from(NAMES), st.sampled_from(DAYS), next_in),
        st.builds(Delete, st.integers(0, 5)),
    ),
    max_size=7,
)


def ordered(session) -> list[AssessmentRound]:
    return list(
        session.scalars(
            select(AssessmentRound).order_by(AssessmentRound.held_on, AssessmentRound.id)
        )
    )


def check(session, organisation_id: int, planned: dict[int, date | None]) -> None:
    rounds = ordered(session)
    keys = [r.name_key for r in rounds]
    assert len(keys) == len(set(keys)) and all(r.name_key == round_name_key(r.name) for r in rounds)
    current = current_round(session, organisation_id)
    if not rounds:
        assert current is None and next_round_dates(session, date.min) == {}
        return
    assert current is rounds[-1]
    assert [r.status for r in rounds] == [RoundStatus.CLOSED] * (len(rounds) - 1) + [
        RoundStatus.OPEN
    ]
    assert dashboard_round(session, organisation_id) is current
    assert readiness_round(session, organisation_id) is current
    expected = {organisation_id: current.next_round_on} if current.next_round_on else {}
    assert next_round_dates(session, date.min) == expected
    for r in rounds:
        assert r.next_round_on is None or r.next_round_on > r.held_on
        assert r.next_round_on == planned[r.id], "a next-round date changed by itself"


def attempt(session, change) -> bool:
    """Run a change; a refusal must have a message and have written nothing (checked before
    any rollback: the domain refuses before it writes)."""
    before = table_counts(session)
    try:
        change()
    except DomainError as error:
        assert error.message
        assert table_counts(session) == before
        return False
    return True


@settings(
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_current_round_and_next_date_stay_well_defined(session, do_import, steps):
    # Nothing is committed during an example; the rollback at its end starts the next afresh.
    organisation_id = session.scalars(select(AssessmentRound.organisation_id)).first()
    planned: dict[int, date | None] = {}
    try:
        for step in steps:
            rounds = ordered(session)
            if isinstance(step, Import):
                next_on = step.held_on + timedelta(days=step.next_in) if step.next_in else None
                existing = {r.name_key: r for r in rounds}.get(round_name_key(step.name))
                count = len(rounds)

                def run(step=step, next_on=next_on):
                    return do_import(FILES[step.file], step.name, held_on=step.held_on,
                                     next_round_on=next_on, replace=step.replace)  # fmt: skip

                if attempt(session, run):
                    after = ordered(session)
                    if existing is not None:  # a variant spelling is the same round
                        assert len(after) == count
                        planned[existing.id] = next_on or planned[existing.id]
                    else:
                        assert len(after) == count + 1
                        new = max(after, key=lambda r: r.id)
                        planned[new.id] = next_on
                        organisation_id = new.organisation_id
            elif isinstance(step, Edit) and rounds:
                target = rounds[step.pick % len(rounds)]
                next_on = step.held_on + timedelta(days=step.next_in) if step.next_in else None
                if attempt(session, lambda target=target, step=step, next_on=next_on: update_round(
                    session, None, target, name=step.name, held_on=step.held_on,
                    next_round_on=next_on, now=NOW,
                )):  # fmt: skip
                    planned[target.id] = next_on
            elif isinstance(step, Delete) and rounds:
                target = rounds[step.pick % len(rounds)]
                was_current = target is rounds[-1]
                if attempt(
                    session, lambda target=target: delete_round(session, None, target, now=NOW)
                ):
                    after = ordered(session)
                    assert target.id not in {r.id for r in after}
                    planned.pop(target.id)
                    if was_current and after:  # the previous round is current again
                        assert current_round(session, organisation_id) is rounds[-2]
            if organisation_id is not None:
                check(session, organisation_id, planned)
    finally:
        session.rollback()
