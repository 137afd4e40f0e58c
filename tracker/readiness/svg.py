"""Accessible charts drawn on the server as SVG strings (no JavaScript, no inline styles).

Every chart has role="img", a <title> and a <desc> that states the numbers in words, and the
page always shows the same numbers in a data table next to it. Series differ by dash pattern
and marker as well as colour, so nothing depends on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

# (stroke colour, dash pattern) per series: NHS blue solid, dark grey dashed, green dotted ...
SERIES_STYLES = [
    ("#005eb8", ""),
    ("#425563", "6 4"),
    ("#007f3b", "2 3"),
    ("#ae2573", "10 3 2 3"),
    ("#ed8b00", "1 1"),
]


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]


def _head(ident: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )


def _closed(parts: list[str]) -> str:
    """The drawing's parts, closed with </svg>, as one string."""
    return "".join([*parts, "</svg>"])


def describe(axes: list[str], series: list[Series]) -> str:
    """The chart's numbers in words, for screen readers (the table repeats them)."""
    parts = []
    for s in series:
        values = ", ".join(f"{a} {v:.2f}" for a, v in zip(axes, s.values, strict=True))
        parts.append(f"{s.label}: {values}.")
    return " ".join(parts)


def wrap_label(text: str, width: int = 20) -> list[str]:
    """A long axis name on lines of about `width` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar_chart(
    ident: str, title: str, axes: list[str], series: list[Series], max_value: float
) -> str:
    """A radar (spider) chart: one spoke per axis, one closed polygon per series."""
    width, size, radius = 640, 480, 150
    cx, cy = width / 2, size / 2
    n = len(axes)
    out = [_head(ident, width, size + 30 * len(series), title, describe(axes, series))]

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(n, 1)
        r = radius * max(0.0, min(value, max_value)) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in range(1, int(max_value) + 1):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        out.append(f'<polygon points="{pts}" fill="none" stroke="#d8dde0"/>')
        x, y = point(0, ring)
        out.append(f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11">{ring}</text>')
    for i, axis in enumerate(axes):
        x, y = point(i, max_value)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#aeb7bd"/>')
        lx, ly = point(i, max_value * 1.12)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        lines = wrap_label(axis)
        # Above the centre the lines stack upward, beside it they centre, below it downward.
        if ly < cy - 20:
            first = ly - 15 * (len(lines) - 1) - 8  # clear of the ring numbers
        else:
            first = ly - (7.5 * (len(lines) - 1) if ly <= cy + 20 else 0)
        spans = "".join(
            f'<tspan x="{lx:.1f}" y="{first + 15 * k:.1f}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(f'<text font-size="13" text-anchor="{anchor}">{spans}</text>')
    for k, s in enumerate(series):
        colour, dash = SERIES_STYLES[k % len(SERIES_STYLES)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(s.values)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polygon points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        ly = size + 30 * k + 10
        out.append(
            f'<line x1="20" y1="{ly}" x2="60" y2="{ly}" stroke="{colour}" stroke-width="2.5"'
            f"{dash_attr}/>"
            f'<text x="70" y="{ly + 5}" font-size="14">{escape(s.label)}</text>'
        )
    return _closed(out)


def bar_chart(
    ident: str, title: str, labels: list[str], series: list[Series], max_value: float
) -> str:
    """Horizontal grouped bars: one group per label, one bar per series, value printed."""
    bar, gap, left, width = 9, 10, 60, 760
    group = bar * len(series) + gap
    height = 40 + group * len(labels) + 24 * len(series)
    scale = (width - left - 60) / max_value
    order = ", ".join(s.label.lower() for s in series)
    desc = f"Each group has one bar per series, top to bottom: {order}. " + describe(labels, series)
    out = [_head(ident, width, height, title, desc)]
    for tick in range(int(max_value) + 1):
        x = left + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 24 * len(series)}"')
        out.append(' stroke="#d8dde0"/>')
        out.append(f'<text x="{x:.1f}" y="14" font-size="11" text-anchor="middle">{tick}</text>')
    for i, label in enumerate(labels):
        top = 24 + i * group
        out.append(
            f'<text x="{left - 6}" y="{top + bar * len(series) / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for k, s in enumerate(series):
            colour, _ = SERIES_STYLES[k % len(SERIES_STYLES)]
            y = top + k * bar
            w = max(0.0, s.values[i]) * scale
            out.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 1}" fill="{colour}"/>'
            )
    for k, s in enumerate(series):
        colour, _ = SERIES_STYLES[k % len(SERIES_STYLES)]
        ly = height - 24 * (len(series) - k) + 8
        out.append(
            f'<rect x="20" y="{ly}" width="30" height="10" fill="{colour}"/>'
            f'<text x="60" y="{ly + 10}" font-size="13">{escape(s.label)}</text>'
        )
    return _closed(out)


def line_chart(
    ident: str, title: str, labels: list[str], series: list[Series], max_value: float
) -> str:
    """A simple trend: x = snapshot dates (labels), y = score; one polyline per series."""
    width, height, left, bottom = 640, 260, 50, 40
    plot_h = height - bottom - 20 - 24 * len(series)
    step = (width - left - 20) / max(len(labels) - 1, 1)
    out = [_head(ident, width, height, title, describe(labels, series))]

    def y_of(value: float) -> float:
        return 20 + plot_h * (1 - max(0.0, min(value, max_value)) / max_value)

    for tick in range(int(max_value) + 1):
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#d8dde0"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick}</text>'
        )
    for i, anchor in ((0, "start"), (len(labels) - 1, "end")) if labels else ():
        out.append(
            f'<text x="{left + i * step:.1f}" y="{20 + plot_h + 16:.1f}" font-size="11" '
            f'text-anchor="{anchor}">{escape(labels[i])}</text>'
        )
    for k, s in enumerate(series):
        colour, dash = SERIES_STYLES[k % len(SERIES_STYLES)]
        pts = " ".join(f"{left + i * step:.1f},{y_of(v):.1f}" for i, v in enumerate(s.values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f"{dash_attr}/>"
        )
        ly = height - 24 * (len(series) - k) + 4
        out.append(
            f'<line x1="20" y1="{ly}" x2="60" y2="{ly}" stroke="{colour}" stroke-width="2.5"'
            f'{dash_attr}/><text x="70" y="{ly + 5}" font-size="13">{escape(s.label)}</text>'
        )
    return _closed(out)
