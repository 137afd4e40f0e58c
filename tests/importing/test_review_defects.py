"""Defects found in review of the importer: rows the text parser dropped silently, checks
PostgreSQL would only make when writing, and spawning for a round imported out of order."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.importing.test_formats import EXPECTED_LEVELS, assert_same_as_sample
from tests.support.helpers import table_counts
from tracker.domain.errors import DomainError
from tracker.models import Action, AssessmentRound, AuditEvent

ROW_19 = b"Embedding into management systems and processes 19. Aligned goals."
ROW_13 = b"13. 'Go and see' visits.\tStarting\t"
ROW_13_DEVELOPING = b"13. 'Go and see' visits.\tDeveloping\t"


@pytest.mark.parametrize(
    "variant",
    [
        # a blank line pasted between two rows of a table
        lambda data: data.replace(b"\n2. Improvement", b"\n\n2. Improvement"),
        # the component's name on a line of its own before its first question
        lambda data: data.replace(
            ROW_19, b"Embedding into management systems and processes\n19. Aligned goals."
        ),
        # both, with Windows line endings
        lambda data: data.replace(
            ROW_19, b"Embedding into management systems and processes\n\n19. Aligned goals."
        ).replace(b"\n", b"\r\n"),
    ],
    ids=["blank-line-in-table", "component-on-own-line", "both-crlf"],
)
def test_rows_after_a_break_in_a_table_are_still_imported(
    session, do_import, sample_bytes, variant
) -> None:
    summary = do_import(variant(sample_bytes))
    assert summary.levels == EXPECTED_LEVELS
    assert_same_as_sample(session, summary)


def test_a_row_after_a_break_is_still_checked(session, do_import, sample_bytes) -> None:
    data = sample_bytes.replace(b"\n2. Improvement", b"\n\n2. Improvement").replace(
        b"organisational priorities.\tStarting", b"organisational priorities.\tStartng"
    )
    before = table_counts(session)
    with pytest.raises(DomainError) as caught:
        do_import(data)
    (problem,) = caught.value.problems  # type: ignore[attr-defined]
    assert problem.row == 35 and "'Startng' is not a level" in problem.message
    assert table_counts(session) == before


def test_a_round_name_too_long_to_store_is_refused_before_writing(
    session, do_import, sample_bytes
) -> None:
    before = table_counts(session)
    with pytest.raises(DomainError) as caught:
        do_import(sample_bytes, round_name="R" * 121)
    assert caught.value.field == "round_name"
    assert "at most 120" in caught.value.message
    assert table_counts(session) == before


def test_next_round_date_is_checked_against_the_existing_rounds_date(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes, held_on=date(2026, 6, 1))
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError) as caught:
        do_import(sample_bytes, held_on=date(2020, 1, 1), next_round_on=date(2021, 1, 1))
    assert caught.value.field == "next_round_on"
    assert table_counts(session) == before
    assert session.scalar(select(AssessmentRound.next_round_on)) is None


def test_an_older_round_imported_late_spawns_no_work_for_closed_gaps(
    session, do_import, sample_bytes
) -> None:
    """Re-measurement (13 now Developing) first, then the baseline (13 Starting) backfilled:
    the baseline must not bring back an open action for the gap the later round closed."""
    do_import(sample_bytes.replace(ROW_13, ROW_13_DEVELOPING), round_name="Re-measure 2026",
              held_on=date(2026, 1, 10))  # fmt: skip
    session.commit()
    summary = do_import(sample_bytes, round_name="Baseline 2025", held_on=date(2025, 6, 1))
    session.commit()
    assert summary.spawned == 0
    assert session.scalar(select(func.count()).select_from(Action)) == 15


def test_replace_keeps_the_overwritten_scores_in_the_audit_trail(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes)
    session.commit()
    do_import(sample_bytes.replace(ROW_13, ROW_13_DEVELOPING), replace=True)
    session.commit()
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "assessment_round", AuditEvent.verb == "scores_replaced"
        )
    ).one()
    assert event.before == {"scores": {"13": "Starting"}}
    assert event.after == {"scores": {"13": "Developing"}}


def test_the_tables_pasted_without_the_text_above_them_import(
    session, do_import, sample_bytes
) -> None:
    lines = sample_bytes.split(b"\n")
    first_header = lines.index(b"Question\tScore\tDefinition")
    summary = do_import(b"\r\n".join(lines[first_header:]))
    assert_same_as_sample(session, summary)


def test_zero_width_spaces_around_level_names_are_ignored(session, do_import, sample_bytes) -> None:
    data = sample_bytes.replace(b"\tStarting\t", "\t\u200bStarting\u200b\t".encode()).replace(
        b"Question\tScore", "Question\tScore\u200b".encode()
    )
    assert_same_as_sample(session, do_import(data))


def test_moving_the_next_round_date_is_not_reported_as_nothing_changed(
    session, do_import, sample_bytes
) -> None:
    do_import(sample_bytes, next_round_on=date(2025, 12, 1))
    session.commit()
    summary = do_import(sample_bytes, next_round_on=date(2026, 1, 15))
    assert str(summary) == (
        "Round 'Baseline 2025' already has these 22 scores (16 Starting, 6 Developing); "
        "next round date set to 2026-01-15"
    )
