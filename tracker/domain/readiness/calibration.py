"""Scoring a stored forecast against the levels a later round actually scored (pure).

- **Mean absolute error** of the expected levels: the average of |expected - level scored| over
  the questions that have both.
- **Brier score** of the chances of reaching the target: the average of (chance - outcome)^2,
  the outcome being 1 when the question was scored at or above its target and 0 otherwise;
  only questions with a planned rise (target above the level then) count, as the others were
  never in doubt. 0 is perfect; always saying 50 % scores 0.25.
- **Reliability**: once there are at least MIN_OUTCOMES such outcomes, the chances are grouped
  into bands of 20 percentage points and each band shows how often the target was reached
  ("when we said about 70 %, it happened 6 times in 10").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MIN_OUTCOMES = 10
BAND_WIDTH = 20  # percentage points


@dataclass(frozen=True)
class Outcome:
    """One question's forecast and what the round scored (ranks)."""

    number: int
    baseline: float | None  # the level when the forecast was made
    target: float | None
    expected: float | None
    chance: float | None
    actual: int | None

    @property
    def planned(self) -> bool:
        return self.baseline is not None and self.target is not None and self.target > self.baseline

    @property
    def reached(self) -> bool:
        return self.actual is not None and self.target is not None and self.actual >= self.target


@dataclass(frozen=True)
class Band:
    low: int  # percent, inclusive
    high: int  # percent, exclusive (the last band includes 100)
    forecasts: int
    reached: int
    mean_chance: float

    @property
    def sentence(self) -> str:
        said = round(self.mean_chance * 100)
        times = "time" if self.forecasts == 1 else "times"
        return (
            f"When we said about {said}% (chances from {self.low}% to {self.high}%), the target "
            f"was reached {self.reached} {times} out of {self.forecasts}."
        )


@dataclass(frozen=True)
class ForecastScore:
    taken_on: date | None  # when the forecast was made (None for a pooled score)
    questions: int  # questions with an expected level and a level scored
    mean_absolute_error: float | None
    outcomes: int  # questions counted in the Brier score
    reached: int
    brier: float | None
    bands: tuple[Band, ...] | None  # None until there are MIN_OUTCOMES outcomes


def score_forecast(outcomes: Iterable[Outcome], taken_on: date | None = None) -> ForecastScore:
    """Mean absolute error, Brier score and (with enough outcomes) the reliability table."""
    items = list(outcomes)
    errors = [
        abs(o.expected - o.actual) for o in items if o.expected is not None and o.actual is not None
    ]
    judged = [o for o in items if o.planned and o.chance is not None and o.actual is not None]
    brier = [((o.chance or 0.0) - (1.0 if o.reached else 0.0)) ** 2 for o in judged]
    return ForecastScore(
        taken_on=taken_on,
        questions=len(errors),
        mean_absolute_error=sum(errors) / len(errors) if errors else None,
        outcomes=len(judged),
        reached=sum(o.reached for o in judged),
        brier=sum(brier) / len(brier) if brier else None,
        bands=reliability(judged) if len(judged) >= MIN_OUTCOMES else None,
    )


def reliability(judged: list[Outcome]) -> tuple[Band, ...]:
    """Bands 0-20 %, 20-40 %, ... 80-100 % that hold at least one forecast."""
    bands = []
    for low in range(0, 100, BAND_WIDTH):
        high = low + BAND_WIDTH
        mine = [
            o
            for o in judged
            if o.chance is not None
            and low <= round(o.chance * 100, 9) < (high if high < 100 else 101)
        ]
        if mine:
            bands.append(
                Band(
                    low=low,
                    high=high,
                    forecasts=len(mine),
                    reached=sum(o.reached for o in mine),
                    mean_chance=sum(o.chance or 0.0 for o in mine) / len(mine),
                )
            )
    return tuple(bands)


def score_as_dict(score: ForecastScore) -> dict:
    """The JSON shape of one score (`flask readiness backtest --json`), 2-decimal rounding."""
    return {
        "forecast_on": score.taken_on.isoformat() if score.taken_on else None,
        "questions": score.questions,
        "mean_absolute_error": _r2(score.mean_absolute_error),
        "outcomes": score.outcomes,
        "reached": score.reached,
        "brier": _r2(score.brier),
        "reliability": None
        if score.bands is None
        else [
            {
                "from_percent": b.low,
                "to_percent": b.high,
                "forecasts": b.forecasts,
                "reached": b.reached,
                "mean_chance": _r2(b.mean_chance),
            }
            for b in score.bands
        ],
    }


def _r2(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, 2)
