"""Rows for the CSV/XLSX export of a readiness report (cells neutralised by the writer)."""

from __future__ import annotations

from typing import Any

from tracker.domain.readiness.report import ReadinessReport, round2

# Each column says what it holds: names of levels, or numbers on the scale of ranks (1 is the
# lowest level; a component's or the overall figure is the mean of its questions).
HEADER = [
    "Scope",
    "Component",
    "Question",
    "Question text",
    "Level now (name)",
    "Target level (name)",
    "Level now, latest round (rank or mean rank)",
    "Target (rank or mean rank)",
    "Expected by the next round (rank or mean rank)",
    "Assured by accepted evidence (rank or mean rank)",
    "Status",
    "As of",
    "Next round",
    "Chance of reaching target (0 to 1)",
    "Likely low when re-measured (10th percentile)",
    "Likely high when re-measured (90th percentile)",
]


def export_rows(report: ReadinessReport) -> tuple[list[str], list[list[Any]]]:
    """Overall, then each component, then each question, with the same rounding as the page."""
    names = {c.component_id: f"{c.position}. {c.name}" for c in report.components}
    common = [report.as_of, report.next_round_on]

    def likely(item: Any) -> list[Any]:
        return [round2(item.chance), round2(item.low), round2(item.high)]

    def numbers(score: Any) -> list[Any]:
        return [
            round2(score.baseline),
            round2(score.target),
            round2(score.expected),
            round2(score.assured),
            score.status,
        ]

    rows: list[list[Any]] = [
        [
            "Overall",
            "",
            None,
            "",
            "",
            "",
            *numbers(report.overall),
            *common,
            *likely(report.overall_likely),
        ]
    ]
    for c in report.components:
        rows.append(
            [
                "Component",
                names[c.component_id],
                None,
                "",
                "",
                "",
                *numbers(c),
                *common,
                *likely(report.component_likely[c.component_id]),
            ]
        )
    for q in report.questions:
        rows.append(
            [
                "Question",
                names.get(q.component_id, ""),
                q.number,
                q.text,
                q.level_now,
                q.target_level,
                *numbers(q),
                *common,
                *likely(q),
            ]
        )
    return HEADER, rows
