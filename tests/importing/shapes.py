"""The sample's 22 rows re-expressed as CSV and XLSX in other shapes, built inside the tests."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook

from tests.support.helpers import SAMPLE

COMPONENT_PREFIX = re.compile(r"^\D*?\s(?=\d+\.)")


def sample_rows() -> list[dict[str, str]]:
    """number, question, score, definition, component for each table row of the sample."""
    rows = []
    component = ""
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if "\t" not in line or line.startswith("Question\t"):
            continue
        cell, score, definition = line.split("\t")[:3]
        prefix = COMPONENT_PREFIX.match(cell)
        if prefix:
            component = prefix.group(0).strip()
            cell = cell[prefix.end() :]
        number, text = cell.split(".", 1)
        rows.append(
            {
                "number": number.strip(),
                "question": text.strip(),
                "score": score,
                "definition": definition,
                "component": component,
            }
        )
    return rows


def to_csv(
    columns: list[tuple[str, str]], *, delimiter: str = ",", bom: bool = False, crlf: bool = True
) -> bytes:
    """CSV with the given (header, key) columns in that order; all fields quoted."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n" if crlf else "\n"
    )
    writer.writerow([header for header, _ in columns])
    for row in sample_rows():
        writer.writerow([row[key] for _, key in columns])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    columns: list[tuple[str, str]],
    *,
    title_rows: int = 0,
    sheet: str | None = None,
    blank_every: int = 0,
    numbers_as_int: bool = True,
) -> bytes:
    """A workbook; with `sheet`, the data sits on a second sheet of that name."""
    workbook = Workbook()
    target = workbook.active
    if sheet:
        target.append(["This sheet is a cover page"])
        target = workbook.create_sheet(sheet)
    for n in range(title_rows):
        target.append([f"NHS IMPACT self-assessment results, title line {n + 1}"])
    target.append([header for header, _ in columns])
    for index, row in enumerate(sample_rows(), start=1):
        values: list[object] = [row[key] for _, key in columns]
        if numbers_as_int:
            values = [
                int(v) if key == "number" else v
                for v, (_, key) in zip(values, columns, strict=True)
            ]
        target.append(values)
        if blank_every and index % blank_every == 0:
            target.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
