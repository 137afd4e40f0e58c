"""The benchmark's printed table: one row per page, one column group per database."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from tracker.bench.measure import NOT_BUILT, PAGES
from tracker.bench.systems import render as system_lines


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
    lines = [
        f"IMPACT action tracker benchmark, commit {commit}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {machine}",
        f"Organisation: {args.actions} actions, {args.actions * args.milestones_per_action} "
        f"milestones, {args.owners} owners (queries also counted at {args.small} actions; readiness also at "
        f"{', '.join(str(n) for n in sorted(args.readiness_actions))} actions)",
        "",
    ]
    lines += table(rows)
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
    lines += dashboard_ratios(results)
    lines.append("")
    questions = len(results[kinds[0]]["org"].question_ids)
    lines += table(readiness_rows(results, questions))
    lines.append(
        "vs SELECT: compute_readiness as a multiple of one plain SELECT of the same milestone "
        "rows through the same driver, measured interleaved in this run."
    )
    lines.append("")
    lines += table(reminder_rows(results))
    lines.append("")
    for kind in kinds:
        lines.append(
            f"Import of a large framework's scores (CSV) [{kind}]: {results[kind]['import']}"
        )
    for kind in kinds:
        lines.append("")
        lines += [f"[{kind}] {line}" for line in system_lines(results[kind].get("systems", ""))]
    statuses = {
        f"{kind} {label}": page.status
        for kind in kinds
        for label, page in results[kind]["pages"].items()
        if page.status not in (None, 200)
    }
    if statuses:
        lines.append(f"Pages that did not answer 200: {statuses}")
    return "\n".join(lines)


def table(rows: list[list[str]]) -> list[str]:
    """Rows as left-aligned columns, a rule under the header row."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[n]) for n, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def readiness_rows(results: dict[str, dict[str, Any]], questions: int) -> list[list[str]]:
    """compute_readiness per size: queries, median seconds and the time as a multiple of the
    smallest size's (the milestones grow 100 and 500 times)."""
    header = [f"compute_readiness ({questions} questions)"]
    for kind in results:
        header += [f"{kind} queries", "median ms", "vs smallest", "plain SELECT ms", "vs SELECT"]
    sizes = sorted(
        {
            r.milestones: r.actions
            for res in results.values()
            if isinstance(res["readiness"], dict)
            for r in res["readiness"].values()
        }.items()
    )
    rows = [header]
    for milestones, actions in sizes:
        row = [f"{milestones} milestones ({actions} actions)"]
        for res in results.values():
            row += _readiness_cells(res["readiness"], milestones)
        rows.append(row)
    return rows


def _readiness_cells(readiness: dict[int, Any] | str, milestones: int) -> list[str]:
    if isinstance(readiness, str):
        return [readiness, "", "", "", ""]
    by_size = {r.milestones: r for r in readiness.values()}
    result, smallest = by_size.get(milestones), by_size[min(by_size)]
    if result is None:
        return ["-", "", "", "", ""]
    ratio = f"{result.seconds / smallest.seconds:.1f}x" if smallest.seconds else "-"
    flag = "" if result.queries == smallest.queries else " !"
    no_report = "" if result.reported else " (no report)"
    floor = f"{result.seconds / result.floor_seconds:.1f}x" if result.floor_seconds else "-"
    return [
        f"{result.queries}{flag}",
        f"{result.seconds * 1000:.1f}{no_report}",
        ratio,
        f"{result.floor_seconds * 1000:.1f}",
        floor,
    ]


def dashboard_ratios(results: dict[str, dict[str, Any]]) -> list[str]:
    """The readiness page and the board report as multiples of the dashboard's median."""
    lines = []
    for kind, res in results.items():
        pages = res["pages"]
        dashboard = getattr(pages.get("/dashboard"), "median_ms", None)
        parts = []
        for label in ("/readiness", "/readiness/board-report"):
            median = getattr(pages.get(label), "median_ms", None)
            if median and dashboard:
                parts.append(f"{label} {median / dashboard:.1f}x")
        if parts:
            lines.append(f"Readiness pages vs the /dashboard median [{kind}]: " + ", ".join(parts))
    return lines


def reminder_rows(results: dict[str, dict[str, Any]]) -> list[list[str]]:
    """Reminder runs per number of owners: seconds, ms per owner, emails queued and delivered."""
    header = ["Reminder run (local aiosmtpd)"]
    for kind in results:
        header += [f"{kind} s", "ms/owner", "queued", "delivered", "ms/email"]
    counts = sorted(
        {
            r.owners
            for res in results.values()
            if isinstance(res["reminders"], list)
            for r in res["reminders"]
        }
    )
    rows = [header]
    for owners in counts:
        row = [f"{owners} owners"]
        for res in results.values():
            row += _reminder_cells(res["reminders"], owners)
        rows.append(row)
    return rows


def _reminder_cells(reminders: list[Any] | str, owners: int) -> list[str]:
    if isinstance(reminders, str):
        return [reminders, "", "", "", ""]
    result = next((r for r in reminders if r.owners == owners), None)
    if result is None:
        return ["-", "", "", "", ""]
    per_email = f"{result.seconds * 1000 / result.delivered:.1f}" if result.delivered else "-"
    return [
        f"{result.seconds:.2f}",
        f"{result.seconds * 1000 / owners:.2f}",
        str(result.queued),
        str(result.delivered),
        per_email,
    ]
