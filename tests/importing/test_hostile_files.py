"""Hostile files are refused early, in little memory, with a clear message; nothing is written.

Memory is measured with tracemalloc (the peak of Python allocations while the file is read),
never with a clock. Each hostile file is small on disk and huge once unpacked or parsed.
"""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from tests.support.helpers import table_counts
from tracker.domain.errors import InvalidInput, Problem
from tracker.domain.rounds.importing import limits

MEMORY_LIMIT = 200 * 1024 * 1024
ROWS = [["Number", "Score"], ["1", "Starting"], ["2", "Developing"]]


def to_xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def refused_within_memory(session, do_import, data: bytes) -> InvalidInput:
    """Import `data` expecting a refusal; assert the peak memory and that nothing was written."""
    before = table_counts(session)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as caught:
            do_import(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"peak {peak / 2**20:.0f} MB"
    assert table_counts(session) == before
    return caught.value


def workbook_with_part(name: str, chunks: int, chunk: bytes, *, base: bytes) -> bytes:
    """A real workbook (`base`) with one part replaced by `chunk` repeated `chunks` times,
    streamed into the zip so the test itself stays small."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        with target.open(name, "w", force_zip64=True) as part:
            for _ in range(chunks):
                part.write(chunk)
    return out.getvalue()


def test_shared_strings_unpacking_to_tens_of_megabytes(session, do_import) -> None:
    base = to_xlsx(ROWS)
    data = workbook_with_part(
        "xl/sharedStrings.xml", 40, b"<si><t>" + b"A" * (1024 * 1024) + b"</t></si>", base=base
    )
    assert len(data) < 2 * 1024 * 1024
    error = refused_within_memory(session, do_import, data)
    assert "xl/sharedStrings.xml" in str(error)
    assert "over the limit of 4.0 MB" in str(error)


def test_sheet_of_thousands_of_empty_cells_per_row(session, do_import) -> None:
    base = to_xlsx(ROWS)
    row = b"<row>" + b"<c/>" * 16_000 + b"</row>"
    data = workbook_with_part("xl/worksheets/sheet1.xml", 200, row, base=base)
    error = refused_within_memory(session, do_import, data)
    assert "xl/worksheets/sheet1.xml" in str(error)


def test_workbook_of_whitespace(session, do_import) -> None:
    data = workbook_with_part(
        "xl/worksheets/sheet1.xml", 64, b" " * (1024 * 1024), base=to_xlsx(ROWS)
    )
    error = refused_within_memory(session, do_import, data)
    assert "unpacks to 64.0 MB" in str(error)


def test_too_many_rows_in_a_workbook_under_the_size_limits(session, do_import) -> None:
    rows = [["Question", "Score"]] + [["1", "Starting"]] * (limits.MAX_ROWS + 5)
    error = refused_within_memory(session, do_import, to_xlsx(rows))
    assert error.problems == [
        Problem(
            f"the file has more than {limits.MAX_ROWS:,} rows: a self-assessment has far "
            "fewer, so remove the rows that are not scores",
            row=limits.MAX_ROWS + 1,
        )
    ]


def test_csv_of_a_hundred_thousand_bad_rows_reports_briefly(session, do_import) -> None:
    data = ("Question,Score\n" + "1,Startng\n" * 100_000).encode()
    error = refused_within_memory(session, do_import, data)
    assert "more than 5,000 rows" in str(error)


def test_error_report_lists_fifty_problems_and_counts_the_rest(session, do_import) -> None:
    rows = [["Question", "Score"]] + [["1", "Startng"]] * 400
    error = refused_within_memory(session, do_import, to_csv(rows))
    assert len(error.problems) == 50
    assert error.total > 400
    assert error.more == error.total - 50


def test_a_number_of_hundreds_of_digits_is_a_row_error(session, do_import) -> None:
    rows = [["Number", "Score"], ["9" * 400, "Starting"], ["2", "Developing"]]
    error = refused_within_memory(session, do_import, to_csv(rows))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (problem.row, problem.column) == (2, "Number")
    assert "is not a question number" in problem.message
    assert len(problem.message) < 100


def test_a_nul_after_the_first_8_kb_is_a_row_and_column_error(session, do_import) -> None:
    lines = ["Question,Score,Definition"] + [f"{n},Starting,{'x' * 400}" for n in range(1, 22)]
    lines.append("22,Start\x00ing,fine")
    data = "\n".join(lines).encode()
    assert data.index(b"\x00") > 8192
    problems = refused_within_memory(session, do_import, data).problems
    assert (
        Problem(
            "the cell contains a NUL character (an invisible control character): retype it",
            row=23,
            column="Score",
        )
        in problems
    )


def test_a_cell_too_long_names_its_row_and_column(session, do_import) -> None:
    rows = [["Number", "Score", "Definition"], ["1", "Starting", "d" * 6_000]]
    problems = refused_within_memory(session, do_import, to_csv(rows)).problems
    assert problems == [
        Problem(
            "the cell is 6,000 characters long, over the limit of 5,000", row=2, column="Definition"
        )
    ]


def test_a_row_wider_than_the_column_limit(session, do_import) -> None:
    rows = [["Question", "Score"], ["1", "Starting"] + [""] * 100 + ["extra"]]
    error = refused_within_memory(session, do_import, to_csv(rows))
    assert "more than 60 columns" in str(error)


def test_trailing_empty_columns_are_not_a_problem(session, do_import) -> None:
    rows = [["Number", "Score"] + [""] * 100, ["1", "Starting"] + [""] * 100]
    assert do_import(to_csv(rows)).scores == 1
