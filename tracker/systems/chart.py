"""The system view's chart: per component, one bar per sharing organisation, drawn on the
server as SVG. Every bar has its value printed beside it and the page repeats the numbers in a
table, so nothing depends on colour; your organisation's bars are striped as well as darker."""

from __future__ import annotations

from html import escape

from tracker.domain.organisations.system_view import SystemView

BAR, GAP, LEFT, WIDTH = 12, 14, 230, 760


def component_chart(view: SystemView) -> str:
    """Grouped horizontal bars: components down the side, sharing organisations within each."""
    shared = [(i, c) for i, c in enumerate(view.columns) if c.shared]
    top = float(max([1, *view.level_names]))
    scale = (WIDTH - LEFT - 60) / top
    group = BAR * len(shared) + GAP
    height = 30 + group * len(view.components)
    words = []
    for row in view.components:
        values = ", ".join(
            f"{column.name} {row.cells[i].value:.2f}"
            for i, column in shared
            if row.cells[i].value is not None
        )
        words.append(f"{row.label}: {values}.")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="system-chart-title system-chart-desc" focusable="false">'
        '<title id="system-chart-title">Mean level per component, by organisation</title>'
        f'<desc id="system-chart-desc">{escape(" ".join(words))}</desc>',
        '<defs><pattern id="app-yours" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#003087"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>',
    ]
    for tick in range(int(top) + 1):
        x = LEFT + tick * scale
        out.append(
            f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height}" stroke="#d8dde0"/>'
            f'<text x="{x:.1f}" y="12" font-size="11" text-anchor="middle">{tick}</text>'
        )
    for r, row in enumerate(view.components):
        y0 = 22 + r * group
        label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        out.append(
            f'<text x="{LEFT - 8}" y="{y0 + BAR * len(shared) / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for k, (i, column) in enumerate(shared):
            value = row.cells[i].value or 0.0
            y = y0 + k * BAR
            fill = "url(#app-yours)" if column.is_yours else "#005eb8"
            out.append(
                f'<rect x="{LEFT}" y="{y}" width="{value * scale:.1f}" height="{BAR - 2}" '
                f'fill="{fill}"/><text x="{LEFT + value * scale + 4:.1f}" y="{y + BAR - 3}" '
                f'font-size="10">{escape(column.code)} {value:.2f}</text>'
            )
    out.append("</svg>")
    return "".join(out)
