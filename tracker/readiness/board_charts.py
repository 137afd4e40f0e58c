"""The board pack's charts: horizontal bars on the scale's real range (levels start at 1, never
0), each group named in full above its bars (component or question number and text), every bar
with its value printed, and the level names on the axis. The numbers are in the tables beside
them too, so nothing depends on colour."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from tracker.domain.readiness import round2
from tracker.domain.readiness.board import BoardPack
from tracker.readiness.charts import max_rank
from tracker.readiness.svg import SERIES_STYLES, Series, describe

BOTTOM = 1  # the lowest level's rank: the scale has no 0
WIDTH, LEFT, RIGHT = 760, 14, 60
BAR, LABEL, GAP = 10, 17, 9
LABEL_CHARS = 110


@dataclass(frozen=True)
class BoardChart:
    svg: str
    caption: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def level_bars(
    ident: str,
    title: str,
    labels: list[str],
    series: list[Series],
    level_names: dict[int, str],
) -> str:
    """Grouped horizontal bars from level 1 to the top level, labels above each group."""
    top = max([BOTTOM + 1, *level_names])
    scale = (WIDTH - LEFT - RIGHT) / (top - BOTTOM)
    group = LABEL + BAR * len(series) + GAP
    axis = 34
    plot_bottom = axis + group * len(labels)
    height = plot_bottom + 12 + 20 * len(series)
    order = ", ".join(s.label.lower() for s in series)
    desc = f"Each group has one bar per series, top to bottom: {order}. " + describe(labels, series)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'font-family="Arial, Helvetica, sans-serif" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    ]
    for rank in range(BOTTOM, top + 1):
        x = LEFT + (rank - BOTTOM) * scale
        anchor = "start" if rank == BOTTOM else ("end" if rank == top else "middle")
        name = level_names.get(rank, "")
        out.append(
            f'<line x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#d8dde0"/>'
            f'<text x="{x:.1f}" y="13" font-size="12" text-anchor="{anchor}">{rank}</text>'
            f'<text x="{x:.1f}" y="26" font-size="11" fill="#4c6272" text-anchor="{anchor}">'
            f"{escape(name)}</text>"
        )
    for i, label in enumerate(labels):
        y0 = axis + i * group
        out.append(
            f'<text x="{LEFT}" y="{y0 + LABEL - 5}" font-size="12" font-weight="bold">'
            f"{escape(_short(label))}</text>"
        )
        for k, s in enumerate(series):
            colour, _ = SERIES_STYLES[k % len(SERIES_STYLES)]
            y = y0 + LABEL + k * BAR
            value = s.values[i]
            w = max(2.0, (min(max(value, BOTTOM), top) - BOTTOM) * scale)
            out.append(
                f'<rect x="{LEFT}" y="{y}" width="{w:.1f}" height="{BAR - 1}" fill="{colour}"/>'
                f'<text x="{LEFT + w + 4:.1f}" y="{y + BAR - 1.5}" font-size="9.5">'
                f"{value:.2f}</text>"
            )
    for k, s in enumerate(series):
        colour, _ = SERIES_STYLES[k % len(SERIES_STYLES)]
        ly = plot_bottom + 12 + 20 * k
        out.append(
            f'<rect x="{LEFT}" y="{ly}" width="28" height="10" fill="{colour}"/>'
            f'<text x="{LEFT + 36}" y="{ly + 9.5}" font-size="12">{escape(s.label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def components(pack: BoardPack) -> BoardChart:
    """Per component: the previous round's mean (when every component has one), now,
    expected by the next round, and target."""
    report = pack.report
    before = pack.previous_means
    series = []
    if pack.previous is not None and all(before.get(c.position) for c in report.components):
        series.append(
            Series(
                pack.previous.round_a,
                tuple(round2(before[c.position] or BOTTOM) for c in report.components),
            )
        )
    series += [
        Series("Level now", tuple(round2(c.baseline) for c in report.components)),
        Series("Expected by the next round", tuple(round2(c.expected) for c in report.components)),
        Series("Target", tuple(round2(c.target) for c in report.components)),
    ]
    labels = [f"{c.position}. {c.name}" for c in report.components]
    caption = f"Components: mean level on the scale from 1 to {max_rank(report):.0f}"
    svg = level_bars("board-components", caption, labels, series, report.level_names)
    return BoardChart(svg, caption)


def questions(pack: BoardPack) -> BoardChart | None:
    """Per question with actions: level now, expected by the next round and target (the
    questions without actions stay where they are and are listed in the table)."""
    report = pack.report
    shown = [q for q in report.questions if q.action_ids or q.target > q.baseline]
    if not shown:
        return None
    series = [
        Series("Level now", tuple(round2(q.baseline) for q in shown)),
        Series("Expected by the next round", tuple(round2(q.expected) for q in shown)),
        Series("Target", tuple(round2(q.target) for q in shown)),
    ]
    labels = [f"{q.number}. {q.text}" for q in shown]
    caption = (
        f"Questions with actions: level now, expected and target on the scale from 1 to "
        f"{max_rank(report):.0f}"
    )
    svg = level_bars("board-questions", caption, labels, series, report.level_names)
    return BoardChart(svg, caption)
