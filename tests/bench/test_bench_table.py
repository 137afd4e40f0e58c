"""The benchmark's printed report shows readiness against the plain-SELECT floor and the
readiness pages against the dashboard (numbers made up here: timings are the benchmark's
business, not the tests')."""

from __future__ import annotations

from types import SimpleNamespace

from tracker.bench.__main__ import parse_args
from tracker.bench.measure import PageResult
from tracker.bench.scenarios import ReadinessResult
from tracker.bench.table import render


def test_report_prints_the_floor_and_dashboard_ratios():
    args = parse_args(["--actions", "10000", "--readiness-actions", "20", "2000"])
    pages = {
        label: PageResult(label, queries={100: 5, 10000: 5}, median_ms=ms, status=200)
        for label, ms in (
            ("/healthz", 2.0),
            ("/dashboard", 40.0),
            ("/readiness", 120.0),
            ("/readiness/board-report", 160.0),
        )
    }
    readiness = {
        20: ReadinessResult(20, 100, 8, 0.01, True, 0.002),
        10000: ReadinessResult(10000, 50000, 8, 0.9, True, 0.3),
    }
    results = {
        "sqlite": {
            "org": SimpleNamespace(question_ids=list(range(22))),
            "pages": pages,
            "readiness": readiness,
            "reminders": [],
            "import": "1.00 s",
        }
    }
    text = render(results, args, machine="test machine", commit="abc")
    assert "/readiness 3.0x, /readiness/board-report 4.0x" in text
    row = next(line for line in text.splitlines() if line.startswith("50000 milestones"))
    assert row.split()[-2:] == ["300.0", "3.0x"]
