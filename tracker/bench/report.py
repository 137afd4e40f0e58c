"""The benchmark's printed table: one row per page, one column group per database."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from tracker.bench.measure import NOT_BUILT, PAGES


def _cells(result: dict[str, Any], label: str, args: argparse.Namespace) -> list[str]:
    page = result["pages"].get(label)
    if page is None:
        return [NOT_BUILT, "", "", ""]
    small, large = page.queries.get(args.small), page.queries.get(args.actions)
    if small == NOT_BUILT:
        return [NOT_BUILT, "", "", ""]
    healthz = result["pages"]["/healthz"].median_ms or 0
    ratio = f"{page.median_ms / healthz:.1f}x" if page.median_ms and healthz else "-"
    flag = "" if small == large else " !"
    median = f"{page.median_ms:.1f}" if page.median_ms else "-"
    return [str(small), f"{large}{flag}", median, ratio]


def render(
    results: dict[str, dict[str, Any]], args: argparse.Namespace, *, machine: str, commit: str
) -> str:
    kinds = list(results)
    header = ["page"]
    for kind in kinds:
        header += [
            f"{kind} q@{args.small}",
            f"q@{args.actions}",
            "median ms",
            "vs /healthz",
        ]
    rows = [header]
    for page in PAGES:
        row = [page.label]
        for kind in kinds:
            row += _cells(results[kind], page.label, args)
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"IMPACT action tracker benchmark, commit {commit}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {machine}",
        f"Organisation: {args.actions} actions, {args.actions * args.milestones_per_action} "
        f"milestones, {args.owners} owners (queries also counted at {args.small} actions)",
        "",
    ]
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[n]) for n, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    unequal = [
        f"{kind} {page.label}"
        for kind in kinds
        for page in PAGES
        if (p := results[kind]["pages"].get(page.label))
        and p.queries.get(args.small) != p.queries.get(args.actions)
    ]
    lines.append("")
    lines.append(
        "Query counts equal at both sizes for every page: "
        + ("yes" if not unequal else "NO (marked !): " + ", ".join(unequal))
    )
    lines.append("")
    for label, key in (
        (f"Readiness computation ({args.actions} actions)", "readiness"),
        ("Reminder run (local aiosmtpd)", "reminders"),
        ("Import of a large framework's scores (CSV)", "import"),
    ):
        for kind in kinds:
            lines.append(f"{label} [{kind}]: {results[kind][key]}")
    statuses = {
        f"{kind} {label}": page.status
        for kind in kinds
        for label, page in results[kind]["pages"].items()
        if page.status not in (None, 200)
    }
    if statuses:
        lines.append(f"Pages that did not answer 200: {statuses}")
    return "\n".join(lines)
