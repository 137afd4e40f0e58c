"""The board pack's summary paragraph: what changed since the previous round and what the
forecast says, in plain words (NHS.UK content style), from the pack's numbers. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tracker.domain.dates import format_date
from tracker.domain.framework.levels import describe_level
from tracker.domain.readiness.report import ReadinessReport, round2

if TYPE_CHECKING:
    from tracker.domain.readiness.board import BoardPack


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _num(value: float) -> str:
    return f"{round2(value):.2f}"


def _with_words(value: float, names: Mapping[int, str]) -> str:
    """ "1.74 (between Starting and Developing)": the figure, then its words in brackets."""
    return f"{_num(value)} ({describe_level(round2(value), names)})"


def _percent(value: float) -> str:
    return f"{round(round2(value) * 100)}%"


def change_words(pack: BoardPack) -> str:
    """What changed since the previous round, in plain words."""
    report = pack.report
    names = report.level_names
    if pack.previous is None:
        return (
            f"{report.round_name} is the first round recorded, so there is no earlier round "
            "to compare with."
        )
    up, down, same = pack.moved
    previous = pack.previous
    held = format_date(previous.round_a_held_on)
    parts = [
        f"Since the previous round ({previous.round_a}, held {held}), "
        f"{_plural(up, 'question')} moved up at least one level, {down} moved down and "
        f"{same} stayed the same."
    ]
    before = pack.previous_overall
    if before is not None:
        parts.append(
            f"The overall mean level went from {_with_words(before, names)} "
            f"to {_with_words(report.overall.baseline, names)}."
        )
    moved, unchanged = [], 0
    for c in previous.components:
        if c.mean_a is None or c.mean_b is None:
            continue
        if round2(c.mean_a) == round2(c.mean_b):
            unchanged += 1
            continue
        verb = "rose" if c.mean_b > c.mean_a else "fell"
        moved.append(f"{c.position}. {c.name} {verb} from {_num(c.mean_a)} to {_num(c.mean_b)}")
    if moved:
        rest = f"; the other {_plural(unchanged, 'component')} did not change" if unchanged else ""
        parts.append("By component: " + "; ".join(moved) + rest + ".")
    elif unchanged:
        parts.append("No component's mean level changed.")
    return " ".join(parts)


def forecast_words(report: ReadinessReport) -> str:
    """The forecast in plain words: expected level, likely range, chance of reaching targets."""
    names = report.level_names
    by = (
        f"By the next round on {format_date(report.next_round_on)}"
        if report.next_round_on
        else "By the next round (no date is set yet, so every open milestone counts)"
    )
    likely = report.overall_likely
    parts = [
        f"{by} the overall level is expected to reach "
        f"{_with_words(report.overall.expected, names)}, against a target of "
        f"{_num(report.overall.target)}; re-measured, it is likely to be between "
        f"{_num(likely.low)} and {_num(likely.high)} (an 8 in 10 chance)."
    ]
    raising = [q for q in report.questions if q.target > q.baseline]
    if not raising:
        parts.append("No question has an action aiming above its level now.")
    elif len(raising) == 1:
        parts.append(
            "1 question has actions aiming above its level now, with a "
            f"{_percent(raising[0].chance)} chance of reaching its target by the round."
        )
    else:
        low = min(q.chance for q in raising)
        high = max(q.chance for q in raising)
        each = (
            f"each has a {_percent(low)} chance"
            if _percent(low) == _percent(high)
            else f"each has between a {_percent(low)} and a {_percent(high)} chance"
        )
        parts.append(
            f"{len(raising)} questions have actions aiming above their level now: {each} of "
            f"reaching its target by the round, and the chance that all {len(raising)} do is "
            f"{_percent(report.overall_likely.chance)}."
        )
    return " ".join(parts)


def board_summary(pack: BoardPack) -> str:
    """The one paragraph at the top of the board pack: change, then forecast."""
    return f"{change_words(pack)} {forecast_words(pack.report)}"
