"""The board pack's charts, drawn on the scale's real range (levels start at 1, never 0), each
with its numbers repeated in a table beside it."""

from __future__ import annotations

from tracker.domain.readiness import round2
from tracker.domain.readiness.board import BoardPack
from tracker.readiness.charts import Chart, max_rank
from tracker.readiness.svg import Series, bar_chart

BOTTOM = 1.0  # the lowest level's rank: the scale has no 0


def components(pack: BoardPack) -> Chart:
    """Per component: the previous round's mean (when there is one), now, expected, target."""
    report = pack.report
    top = max_rank(report)
    before = pack.previous_means
    series = []
    if pack.previous is not None:
        series.append(
            Series(
                pack.previous.round_a,
                tuple(round2(before.get(c.position) or BOTTOM) for c in report.components),
            )
        )
    series += [
        Series("Level now", tuple(round2(c.baseline) for c in report.components)),
        Series("Expected", tuple(round2(c.expected) for c in report.components)),
        Series("Target", tuple(round2(c.target) for c in report.components)),
    ]
    labels = [f"Component {c.position}" for c in report.components]
    caption = f"Components: mean level on the scale from 1 to {top:.0f}"
    svg = bar_chart("board-components", caption, labels, series, top, min_value=BOTTOM, left=110)
    header = ["Component", *[s.label for s in series]]
    rows = [
        [f"{c.position}. {c.name}", *[s.values[i] for s in series]]
        for i, c in enumerate(report.components)
    ]
    return Chart(svg, caption, header, rows)


def questions(pack: BoardPack) -> Chart:
    """Per question: level now, expected and target (the table beside it names each)."""
    report = pack.report
    top = max_rank(report)
    series = [
        Series("Level now", tuple(round2(q.baseline) for q in report.questions)),
        Series("Expected", tuple(round2(q.expected) for q in report.questions)),
        Series("Target", tuple(round2(q.target) for q in report.questions)),
    ]
    labels = [f"Question {q.number}" for q in report.questions]
    caption = f"Questions: level now, expected and target on the scale from 1 to {top:.0f}"
    svg = bar_chart("board-questions", caption, labels, series, top, min_value=BOTTOM, left=100)
    header = ["Question", *[s.label for s in series]]
    rows = [
        [f"{q.number}. {q.text}", *[s.values[i] for s in series]]
        for i, q in enumerate(report.questions)
    ]
    return Chart(svg, caption, header, rows)
