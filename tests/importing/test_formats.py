"""The sample imports exactly as it is, and the same data in other shapes gives the same round:
22 scores (16 Starting, 6 Developing) and 16 spawned actions. Other shapes: CSV or XLSX laid out
differently, or the text pasted with breaks inside a table, without the text above the tables,
or with zero-width spaces."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.importing.shapes import sample_rows, to_csv, to_xlsx
from tests.support.queries import count_queries
from tracker.domain.rounds.importing.matching import split_question_cell
from tracker.models import Action, MaturityLevel, Question, Score

EXPECTED_LEVELS = {"Starting": 16, "Developing": 6, "Maturing": 0, "Thriving": 0}
STARTING = {1, 2, 3, 4, 5, 6, 9, 12, 13, 14, 15, 16, 17, 18, 21, 22}


def scores_by_number(session: Session) -> dict[int, str]:
    rows = session.execute(
        select(Question.number, MaturityLevel.name)
        .join(Score, Score.question_id == Question.id)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
    ).all()
    return dict(rows)


def spawned_numbers(session: Session) -> set[int]:
    return set(
        session.scalars(select(Question.number).join(Action, Action.question_id == Question.id))
    )


def assert_same_as_sample(session: Session, summary: object) -> None:
    assert str(summary) == (
        "Imported 22 scores into round 'Baseline 2025' (16 Starting, 6 Developing); "
        "spawned 16 actions"
    )
    expected = {int(row["number"]): row["score"] for row in sample_rows()}
    assert scores_by_number(session) == expected
    assert spawned_numbers(session) == STARTING


FOUR_ROWS = (
    b"No,Question,Score\nQ1,,Starting\nQuestion 2,,Developing\n3.0,,Starting\n"
    b",Q4. Lived experience,Starting\n"
)


def reads(statements: list[str]) -> list[str]:
    """The statements that are not INSERTs (how many rows one INSERT carries depends on the
    database's driver)."""
    return [s for s in statements if not s.lstrip().upper().startswith("INSERT")]


def test_sample_text_document_imports_as_it_is(session, do_import, sample_bytes) -> None:
    with count_queries() as statements:
        summary = do_import(sample_bytes)
    assert summary.levels == EXPECTED_LEVELS
    assert_same_as_sample(session, summary)
    definition = session.scalar(
        select(Score.definition).join(Question).where(Question.number == 10)
    )
    assert definition == "Leadership values and behaviours are agreed across our organisation."
    # The import looks things up a fixed number of times, not once per row: a four-row file
    # reads as much as the 22-row sample. (How long it takes: `python -m tracker.bench`.)
    session.rollback()
    with count_queries() as few_rows:
        assert do_import(FOUR_ROWS).scores == 4
    assert len(reads(statements)) == len(reads(few_rows))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "Building a shared purpose and vision  1.Board and executives setting the shared purpose and vision.",
            (1, "Board and executives setting the shared purpose and vision."),
        ),
        (
            "7. Enabling staff through a coaching style of leadership.",
            (7, "Enabling staff through a coaching style of leadership."),
        ),
        (
            "4. Lived experience driving this work (patients, staff, communities.",
            (4, "Lived experience driving this work (patients, staff, communities."),
        ),
        (
            "Embedding into management systems and processes 19. Aligned goals.",
            (19, "Aligned goals."),
        ),
        ("Aligned goals.", (None, "Aligned goals.")),
    ],
)
def test_question_cells_give_number_and_text(cell, expected) -> None:
    assert split_question_cell(cell) == expected


CSV_SHAPES = {
    "reordered comma CRLF BOM": dict(
        columns=[
            ("Definition", "definition"),
            (" SCORE ", "score"),
            ("question", "question"),
            ("No.", "number"),
        ],
        bom=True,
    ),
    "semicolon with component": dict(
        columns=[
            ("Component", "component"),
            ("Number", "number"),
            ("Question", "question"),
            ("Level", "score"),
        ],
        delimiter=";",
    ),
    "tab LF": dict(
        columns=[("Number", "number"), ("Question", "question"), ("Score", "score")],
        delimiter="\t",
        crlf=False,
    ),
    "pipe text only": dict(columns=[("Question", "question"), ("Score", "score")], delimiter="|"),
}


@pytest.mark.parametrize("shape", CSV_SHAPES, ids=list(CSV_SHAPES))
def test_csv_in_other_shapes_gives_the_same_round(session, do_import, shape) -> None:
    summary = do_import(to_csv(**CSV_SHAPES[shape]))  # type: ignore[arg-type]
    assert_same_as_sample(session, summary)


def test_csv_matches_questions_by_text_despite_case_and_punctuation(session, do_import) -> None:
    data = to_csv([("Question", "question"), ("Score", "score")])
    data = data.replace(
        b"Lived experience driving this work (patients, staff, communities)",
        b"LIVED experience driving this work (patients, staff, communities",
    )
    assert_same_as_sample(session, do_import(data))


def test_csv_in_windows_1252_is_read(session, do_import) -> None:
    data = to_csv([("Number", "number"), ("Score", "score"), ("Definition", "definition")])
    data = (
        data.decode("utf-8")
        .replace("Our Board discusses", "Our Board \u2013 discusses")
        .encode("cp1252")
    )
    assert_same_as_sample(session, do_import(data))


XLSX_SHAPES = {
    "title rows and blank rows": dict(
        columns=[
            ("Question number", "number"),
            ("Question", "question"),
            ("Score", "score"),
            ("Definition", "definition"),
        ],
        title_rows=3,
        blank_every=5,
    ),
    "text only, reordered": dict(columns=[("Maturity level", "score"), ("Question", "question")]),
}


@pytest.mark.parametrize("shape", XLSX_SHAPES, ids=list(XLSX_SHAPES))
def test_xlsx_in_other_shapes_gives_the_same_round(session, do_import, shape) -> None:
    assert_same_as_sample(session, do_import(to_xlsx(**XLSX_SHAPES[shape])))  # type: ignore[arg-type]


def test_xlsx_named_sheet(session, do_import) -> None:
    data = to_xlsx([("Number", "number"), ("Score", "score")], sheet="Results 2025", title_rows=1)
    assert_same_as_sample(session, do_import(data, sheet="Results 2025"))


def test_question_numbers_written_with_q(session, do_import) -> None:
    summary = do_import(
        b"No,Question,Score\nQ1,,Starting\nQuestion 2,,Developing\n3.0,,Starting\n,Q4. Lived experience,Starting\n"
    )
    assert summary.scores == 4
    assert scores_by_number(session) == {
        1: "Starting",
        2: "Developing",
        3: "Starting",
        4: "Starting",
    }


ROW_19 = b"Embedding into management systems and processes 19. Aligned goals."


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
