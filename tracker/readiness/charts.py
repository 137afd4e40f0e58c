"""Turning a readiness report into the page's charts and tables (shared by the readiness
page and the board report, so both show the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.domain.readiness import ReadinessReport, round2
from tracker.domain.readiness.history import RoundSummary
from tracker.domain.readiness.snapshots import OVERALL, TrendPoint
from tracker.readiness.svg import Series, bar_chart, line_chart, radar_chart


@dataclass(frozen=True)
class Chart:
    svg: str
    caption: str
    header: list[str]
    rows: list[list[Any]]


def max_rank(report: ReadinessReport) -> float:
    """The top of the scale (the framework's highest rank)."""
    return float(max([1, *report.level_names]))


def radar(report: ReadinessReport, rounds: list[RoundSummary], top: float) -> Chart:
    """Components by round (each round's mean) and the expected and assured forecasts."""
    axes = [f"{c.position}. {c.name}" for c in report.components]  # components by name
    series = [
        Series(
            r.name, tuple(round2(r.component_means.get(c.position, 0)) for c in report.components)
        )
        for r in rounds[-3:]
    ]
    by = f"by {report.next_round_on:%d %b %Y}" if report.next_round_on else "(no round date)"
    series.append(Series(f"Expected {by}", tuple(round2(c.expected) for c in report.components)))
    series.append(Series("Assured", tuple(round2(c.assured) for c in report.components)))
    caption = "Components: mean level by round and forecast"
    svg = radar_chart("radar", caption, axes, series, top)
    header = ["Component", *[s.label for s in series]]
    rows = [[axes[i], *[s.values[i] for s in series]] for i in range(len(axes))]
    return Chart(svg, caption, header, rows)


def bars(report: ReadinessReport, top: float) -> Chart:
    """A bar per question: level now, expected, assured and target."""
    labels = [f"Q{q.number}" for q in report.questions]
    series = [
        Series("Level now", tuple(round2(q.baseline) for q in report.questions)),
        Series("Expected", tuple(round2(q.expected) for q in report.questions)),
        Series("Assured", tuple(round2(q.assured) for q in report.questions)),
        Series("Target", tuple(round2(q.target) for q in report.questions)),
    ]
    caption = "Questions: level now, expected, assured and target"
    svg = bar_chart("bars", caption, labels, series, top)
    header = ["Question", *[s.label for s in series], "Status"]
    # The table names each question in full (the drawing has room for its number only).
    rows = [
        [f"{q.number}. {q.text}" if q.text else labels[i], *[s.values[i] for s in series], q.status]
        for i, q in enumerate(report.questions)
    ]
    return Chart(svg, caption, header, rows)


def trend(points: list[TrendPoint], top: float) -> Chart | None:
    """Overall expected and assured since the baseline, from the stored snapshots."""
    overall = [p for p in points if p.scope_key == OVERALL]
    if len(overall) < 2:
        return None
    labels = [f"{p.taken_on:%d %b %Y}" for p in overall]
    series = [
        Series("Expected", tuple(round2(p.expected) for p in overall)),
        Series("Assured", tuple(round2(p.assured) for p in overall)),
        Series("Baseline", tuple(round2(p.baseline) for p in overall)),
    ]
    caption = "Overall forecast over time"
    svg = line_chart("trend", caption, labels, series, top)
    header = ["Date", *[s.label for s in series]]
    rows = [[labels[i], *[s.values[i] for s in series]] for i in range(len(overall))]
    return Chart(svg, caption, header, rows)


def component_trend(points: list[TrendPoint], report: ReadinessReport) -> Chart | None:
    """Expected level of each component on each snapshot day (a table; no extra drawing)."""
    days = sorted({p.taken_on for p in points})
    if len(days) < 2:
        return None
    values = {(p.taken_on, p.scope_key): p.expected for p in points}
    header = ["Date", *[f"{c.position}. {c.name}" for c in report.components]]
    rows = [
        [
            f"{day:%d %b %Y}",
            *[values.get((day, f"component:{c.component_id}")) for c in report.components],
        ]
        for day in days
    ]
    return Chart("", "Expected level by component over time", header, rows)
