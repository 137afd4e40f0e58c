"""The assessments and actions commands, through Flask's CLI runner."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from tests.support.helpers import SAMPLE, table_counts


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_import_prints_summary_and_is_idempotent(app, session, framework) -> None:
    result = run(app, "assessments", "import", str(SAMPLE), "--round", "Baseline 2025",
                 "--date", "2025-06-01", "--next-round-on", "2025-12-01")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Imported 22 scores into round 'Baseline 2025' (16 Starting, 6 Developing); spawned 16 actions"
    )
    assert "Actions spawned: 16" in lines
    assert "Actions carried forward to this round: 0" in lines
    before = table_counts(session)
    again = run(
        app,
        "assessments",
        "import",
        str(SAMPLE),
        "--round",
        "Baseline 2025",
        "--date",
        "2025-06-01",
    )
    assert again.exit_code == 0
    assert "nothing changed" in again.stdout
    assert table_counts(session) == before


def test_import_refuses_bad_file_naming_row_and_column(app, session, framework, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Number;Score\n1;Starting\n2;Excellent\n", encoding="utf-8")
    before = table_counts(session)
    result = run(app, "assessments", "import", str(bad), "--round", "Baseline 2025")
    assert result.exit_code == 1
    assert "the file was not imported (1 problem)" in result.stderr
    assert "Row 3, column 'Score': 'Excellent' is not a level of the scale" in result.stderr
    assert table_counts(session) == before


def test_import_refuses_different_scores_unless_replace(app, session, framework, tmp_path) -> None:
    run(
        app,
        "assessments",
        "import",
        str(SAMPLE),
        "--round",
        "Baseline 2025",
        "--date",
        "2025-06-01",
    )
    changed = tmp_path / "changed.txt"
    changed.write_bytes(
        SAMPLE.read_bytes().replace(
            b"18. Staff attend daily huddles.\tStarting",
            b"18. Staff attend daily huddles.\tDeveloping",
        )
    )
    before = table_counts(session)
    refused = run(app, "assessments", "import", str(changed), "--round", "Baseline 2025")
    assert refused.exit_code == 1
    assert "--replace" in refused.stderr
    assert table_counts(session) == before
    replaced = run(
        app, "assessments", "import", str(changed), "--round", "Baseline 2025", "--replace"
    )
    assert replaced.exit_code == 0, replaced.stderr
    assert "(15 Starting, 7 Developing)" in replaced.stdout


def test_import_over_size_limit(app, session, framework) -> None:
    app.config["IMPORT_MAX_BYTES"] = 100
    try:
        result = run(app, "assessments", "import", str(SAMPLE), "--round", "Big")
    finally:
        app.config["IMPORT_MAX_BYTES"] = 5 * 1024 * 1024
    assert result.exit_code == 1
    assert "over the limit" in result.stderr


def test_list_and_compare(app, framework) -> None:
    run(
        app,
        "assessments",
        "import",
        str(SAMPLE),
        "--round",
        "Baseline 2025",
        "--date",
        "2025-06-01",
    )
    run(app, "assessments", "import", str(SAMPLE), "--round", "Re-measure", "--date", "2026-01-01")
    listed = run(app, "assessments", "list")
    assert (
        "Baseline 2025  held 2025-06-01  closed  22 scores (16 Starting, 6 Developing)"
        in listed.stdout
    )
    table = run(app, "assessments", "compare", "Baseline 2025", "Re-measure")
    assert table.exit_code == 0
    assert "Q13" in table.stdout and "(no change)" in table.stdout
    assert (
        "Of 22 questions scored in both rounds, 0 moved up, 0 moved down and 22 stayed the same."
        in table.stdout
    )
    data = json.loads(
        run(app, "assessments", "compare", "Baseline 2025", "Re-measure", "--json").stdout
    )
    assert len(data["questions"]) == 22
    assert data["components"][0]["mean_a"] == 1.0
    assert data["moves"] == {"up": 0, "down": 0, "same": 22, "not_compared": 0}
    missing = run(app, "assessments", "compare", "Baseline 2025", "Nope")
    assert missing.exit_code == 1
    assert "There is no round called 'Nope'" in missing.stderr


def test_actions_export_csv_and_xlsx(app, framework, tmp_path) -> None:
    run(
        app,
        "assessments",
        "import",
        str(SAMPLE),
        "--round",
        "Baseline 2025",
        "--date",
        "2025-06-01",
    )
    to_stdout = run(app, "actions", "export", "--format", "csv")
    assert to_stdout.exit_code == 0
    rows = list(csv.reader(io.StringIO(to_stdout.stdout.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Component", "Question number", "Question"]
    assert len(rows) == 17
    target = tmp_path / "plan.xlsx"
    written = run(app, "actions", "export", "--format", "xlsx", "--output", str(target))
    assert written.stdout.strip() == f"Wrote 16 actions to {target}"
    sheet = load_workbook(target).active
    assert sheet.title == "Action plan"
    assert sheet.max_row == 17


def test_a_remeasurement_import_lists_what_it_did(app, session, framework, tmp_path) -> None:
    run(app, "assessments", "import", str(SAMPLE), "--round", "Re-measure 2026",
        "--date", "2025-06-01", "--next-round-on", "2026-06-01")  # fmt: skip
    better = tmp_path / "better.txt"
    better.write_bytes(
        SAMPLE.read_bytes()
        .replace(b"17. Co-production.\tStarting", b"17. Co-production.\tDeveloping")
        .replace(b"leadership.\tDeveloping", b"leadership.\tStarting")
    )
    result = run(app, "assessments", "import", str(better), "--round", "Spring 2026",
                 "--date", "2026-06-01")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("spawned 1 action; 15 carried forward; 1 marked for review")
    assert "Since 'Re-measure 2026':" in lines
    assert "  1 question up" in lines and "    Q17 Starting -> Developing" in lines
    assert "  1 question down" in lines and "    Q7 Developing -> Starting" in lines
    assert "  20 questions same" in lines
    assert "Actions spawned: 1" in lines and "Actions carried forward to this round: 15" in lines
    assert "Actions moved to review: 1" in lines
    assert lines[-1] == "Compare: flask assessments compare 'Re-measure 2026' 'Spring 2026'"
    # the same file under a variant name is the same round, and says so
    before = table_counts(session)
    again = run(app, "assessments", "import", str(better), "--round", "spring  2026",
                "--date", "2026-06-01")  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert again.stdout.strip() == (
        "Round 'Spring 2026' already has these 22 scores (16 Starting, 6 Developing); "
        "nothing changed"
    )
    assert table_counts(session) == before
