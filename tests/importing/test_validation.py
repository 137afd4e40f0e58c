"""Every bad input is refused as a whole, names row and column, and writes nothing.

Counts are compared inside the same transaction, without a rollback, so even rows that were
flushed but not committed would show up."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from tests.importing.shapes import to_csv, to_xlsx
from tests.support.helpers import table_counts
from tracker.domain.errors import DomainError, InvalidInput, Problem
from tracker.models import AssessmentRound

SAMPLE_ROW_13 = "13. 'Go and see' visits.\tStarting\t"


def refused(session, do_import, data: bytes, **options: object) -> list[Problem]:
    before = table_counts(session)
    with pytest.raises(InvalidInput) as caught:
        do_import(data, **options)
    assert table_counts(session) == before
    return caught.value.problems


def test_unknown_level_names_row_and_column(session, do_import, sample_bytes) -> None:
    data = sample_bytes.replace(SAMPLE_ROW_13.encode(), b"13. 'Go and see' visits.\tStartng\t")
    problems = refused(session, do_import, data)
    assert problems == [
        Problem(
            "'Startng' is not a level of the scale (Starting, Developing, Maturing, Thriving)",
            row=51,
            column="Score",
        )
    ]
    assert str(problems[0]).startswith("Row 51, column 'Score': 'Startng' is not a level")


def test_every_problem_is_reported_at_once(session, do_import) -> None:
    data = b"Number,Score\r\n1,Starting\r\n2,Expert\r\n99,Starting\r\n1,Developing\r\n,Starting\r\n3,\r\n"
    problems = refused(session, do_import, data)
    assert [(p.row, p.column) for p in problems] == [
        (3, "Score"),
        (4, "Number"),
        (5, "Number"),
        (6, "Question"),
        (7, "Score"),
    ]
    messages = [p.message for p in problems]
    assert "there is no question 99 in the framework" in messages
    assert "question 1 is given twice (first on row 2)" in messages
    assert "no question is given" in messages
    assert "no level is given" in messages


def test_missing_level_column(session, do_import) -> None:
    data = to_csv([("Number", "number"), ("Question", "question"), ("Definition", "definition")])
    (problem,) = refused(session, do_import, data)
    assert problem.row == 1
    assert problem.column == "Score (or Level)"
    assert "no header row found" in problem.message


def test_missing_question_column(session, do_import) -> None:
    (problem,) = refused(session, do_import, b"Definition;Score\nSomething;Starting\n")
    assert problem.column == "Question (or Number)"


def test_question_text_matching_nothing(session, do_import) -> None:
    data = b'Question,Score\n"Aligned goals.",Starting\n"Something the framework never asked",Starting\n'
    (problem,) = refused(session, do_import, data)
    assert (problem.row, problem.column) == (3, "Question")
    assert "does not match any question" in problem.message


def test_number_that_is_not_a_number(session, do_import) -> None:
    (problem,) = refused(session, do_import, b"No,Score\nseven,Starting\n")
    assert (problem.row, problem.column, problem.message) == (
        2,
        "No",
        "'seven' is not a question number",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \r\n\r\n", "the file is empty"),
        (b"%PDF-1.7\n binary", "not a CSV, XLSX or text file"),
        (b"Number,Score\x00\x01\x02", "not a CSV, XLSX or text file"),
        (b"PK\x03\x04this is not really a workbook", "the workbook cannot be opened"),
        (b"Number,Score\n\x81\x8d,Starting\n", "cannot be read"),
        (b"Number,Score\r\n", "the file has a header but no rows of scores"),
        (b"Some prose\n\nQuestion\tScore\tDefinition\n\nMore prose\n", "no Question/Score table"),
    ],
    ids=["empty", "blank", "pdf", "nul-bytes", "bad-zip", "undecodable", "no-rows", "empty-table"],
)
def test_empty_unreadable_or_binary_files(session, do_import, data, expected) -> None:
    (problem,) = refused(session, do_import, data)
    assert expected in problem.message


def test_file_over_the_size_limit(session, do_import, sample_bytes) -> None:
    (problem,) = refused(session, do_import, sample_bytes, max_bytes=1024)
    assert "over the limit of 1 KB" in problem.message


def test_unknown_sheet_lists_the_sheets(session, do_import) -> None:
    data = to_xlsx([("Number", "number"), ("Score", "score")])
    (problem,) = refused(session, do_import, data, sheet="Nope")
    assert "no sheet named 'Nope'" in problem.message
    assert "'Sheet'" in problem.message


def test_xlsx_problems_name_the_sheet_row(session, do_import) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Results"])
    sheet.append([])
    sheet.append(["Number", "Level"])
    sheet.append([1, "Starting"])
    sheet.append([2, "Brilliant"])
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    (problem,) = refused(session, do_import, buffer.getvalue())
    assert (problem.row, problem.column) == (5, "Level")


def test_different_scores_refused_without_replace(session, do_import, sample_bytes) -> None:
    do_import(sample_bytes)
    session.commit()
    before = table_counts(session)
    changed = sample_bytes.replace(
        SAMPLE_ROW_13.encode(), b"13. 'Go and see' visits.\tDeveloping\t"
    )
    with pytest.raises(DomainError) as caught:
        do_import(changed)
    assert "already has different scores (1 question differs)" in caught.value.message
    assert caught.value.field == "replace"
    assert table_counts(session) == before


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"round_name": "   "}, "round_name"),
        ({"held_on": date(2025, 6, 1), "next_round_on": date(2025, 6, 1)}, "next_round_on"),
    ],
)
def test_bad_round_details(session, do_import, sample_bytes, options, field) -> None:
    before = table_counts(session)
    with pytest.raises(DomainError) as caught:
        do_import(sample_bytes, **options)
    assert caught.value.field == field
    assert table_counts(session) == before


@pytest.mark.parametrize("member", ["[Content_Types].xml", "xl/workbook.xml", "x"])
def test_zip_that_is_not_a_workbook(session, do_import, member) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, b"<Types>&bad;</Types")
    (problem,) = refused(session, do_import, buffer.getvalue())
    assert "the workbook cannot be opened" in problem.message


def test_number_and_text_that_disagree(session, do_import) -> None:
    data = b'Number,Question,Score\n1,"Aligned goals.",Starting\n2,"Improvement work aligned to organisational priorities",Starting\n'
    (problem,) = refused(session, do_import, data)
    assert (problem.row, problem.column) == (2, "Question")
    assert problem.message == "the row says question 1 but its text is question 19's"


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
