"""The figures a reader sees for one score, rounded once, with their status and level names.

The readiness page, the board report, the CSV/XLSX export, the JSON of `flask readiness show
--json` and the stored snapshots all print a score through `figures_of`, so a number and the
status word beside it can never disagree: the status is decided (by the model's `status_for`)
from exactly these rounded figures, and the level names are those of the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from tracker.domain.framework.levels import describe_level, level_with_words
from tracker.domain.readiness.model import shown, status_for


class Scored(Protocol):
    """Anything with the four figures of a score (overall, component or question)."""

    @property
    def baseline(self) -> float: ...
    @property
    def target(self) -> float: ...
    @property
    def expected(self) -> float: ...
    @property
    def assured(self) -> float: ...


@dataclass(frozen=True)
class Figures:
    """A score as shown: each figure rounded to 2 places, the status decided from them, and
    each figure's words on the scale ("1.74 — between Starting and Developing")."""

    baseline: float
    target: float
    expected: float
    assured: float
    status: str
    level_names: Mapping[int, str]

    def words(self, value: float) -> str:
        """Where a figure sits on the scale, in words ("between Starting and Developing")."""
        return describe_level(value, self.level_names)

    def with_words(self, value: float) -> str:
        """A figure and its words together, as printed ("1.74 — between Starting and ...")."""
        return level_with_words(value, self.level_names)


def figures_of(score: Scored, level_names: Mapping[int, str]) -> Figures:
    """The rounded figures of a score and the status they give (the one place both are made)."""
    baseline, target = shown(score.baseline), shown(score.target)
    expected, assured = shown(score.expected), shown(score.assured)
    return Figures(
        baseline=baseline,
        target=target,
        expected=expected,
        assured=assured,
        status=status_for(baseline, target, expected),
        level_names=level_names,
    )
