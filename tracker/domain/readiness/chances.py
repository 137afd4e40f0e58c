"""The chance of reaching each target by the round date, and the likely range of the mean
level (pure functions, no database, no clock).

In plain words:
- **Lateness** is how many days after its ORIGINAL due date a milestone was ticked (negative
  when early). The organisation's record is learned as a survival curve (Kaplan-Meier):
  finished milestones are exact observations; open ones are right-censored ("not done by
  today, so at least this late"), never dropped. A stated prior is mixed in as pseudo-
  milestones: 2 finished on their due date, 1 finished 30 days late and 1 never finished (weight
  4 in all), so with no history a milestone due on the round date has a 50 % chance, one due
  30 or more days before it 75 %, and the organisation's own record takes over as it grows.
- **An open milestone's chance** of being done by the round date is the chance its lateness
  ends by the round date given it was not done by today: 1 - S(round - due) / S(today - due).
  A milestone already done counts 1; none can be done after a round date already passed.
- **An action is complete** when all its milestones are done: the product of their chances
  (milestones are taken as independent). An action with no milestones is never complete.
- **A question's level** when re-measured is the highest level all of whose actions are
  complete, or its level now when there is none; so P(level <= k) is the product, over the
  levels j above k, of (1 - chance that every action aimed at j is complete). **The chance of
  reaching its target** is the chance that every action aimed at that target is complete (1
  when the question is already at its target, or has nothing aimed above its level).
- **A component's (and the organisation's) mean level** has the distribution of the mean of
  its questions' levels, taken as independent: convolved exactly over whole levels, so every
  view shows the same digits. The likely range is its 10th to 90th percentile.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from tracker.domain.readiness.model_inputs import ModelInputs
from tracker.domain.readiness.tally import ActionTally, Tallied, as_tallied

# Pseudo-milestones of the prior: (days late, weight) finished, plus a weight never finished.
PRIOR_FINISHED: tuple[tuple[int, int], ...] = ((0, 2), (30, 1))
PRIOR_NEVER = 1
LOW_PERCENTILE = 0.10
HIGH_PERCENTILE = 0.90
_NEVER = 10**9  # censoring point of the never-finished pseudo-milestone


@dataclass(frozen=True)
class Lateness:
    """The survival curve of lateness: `survival[i]` = P(lateness > times[i])."""

    times: tuple[int, ...]
    survival: tuple[float, ...]
    finished: int  # the organisation's milestones finished by the as-of date
    still_open: int  # its open milestones (censored observations)

    def survives(self, days: int | None) -> float:
        """P(lateness > days); None means "ever", the chance of never finishing."""
        if days is None:
            return self.survival[-1] if self.survival else 1.0
        index = bisect_right(self.times, days)
        return self.survival[index - 1] if index else 1.0

    def chance_done(self, original_due: int, as_of: int, round_on: int | None) -> float:
        """Chance an open milestone (dates as ordinals) is done by the round date."""
        if round_on is not None and round_on <= as_of:
            return 0.0
        start = self.survives(as_of - original_due)
        end = self.survives(None if round_on is None else round_on - original_due)
        return min(1.0, max(0.0, 1.0 - end / start))


def learn_lateness(finished: Iterable[int], open_since: Iterable[int]) -> Lateness:
    """Kaplan-Meier over the organisation's record plus the prior.

    `finished`: days late of each finished milestone; `open_since`: for each open milestone,
    days from its original due date to the as-of date (it is later than that)."""
    return learn_lateness_counts(Counter(finished), Counter(open_since))


def learn_lateness_counts(finished: Mapping[int, int], open_since: Mapping[int, int]) -> Lateness:
    """`learn_lateness` from counts: days late -> how many finished, and days open -> how
    many still open (what `tally.Record` keeps)."""
    events: dict[int, float] = defaultdict(float)
    for days, n in finished.items():
        events[days] += n
    for days, weight in PRIOR_FINISHED:
        events[days] += weight
    # A milestone open on the as-of date can still finish on the next day: at risk up to it.
    censored = sorted((days + 1, n) for days, n in open_since.items() if n)
    n_open = sum(n for _, n in censored)
    at_risk = sum(events.values()) + n_open + PRIOR_NEVER
    times = sorted(events)
    survival: list[float] = []
    s = 1.0
    gone = 0  # censored groups already out of the risk set
    for t in times:
        while gone < len(censored) and censored[gone][0] < t:
            at_risk -= censored[gone][1]
            gone += 1
        s *= 1.0 - events[t] / at_risk
        survival.append(s)
        at_risk -= events[t]
    return Lateness(tuple(times), tuple(survival), sum(finished.values()), n_open)


@dataclass(frozen=True)
class Spread:
    """Distribution of a level (or mean level): `values[i]` has probability `probs[i]`."""

    values: tuple[float, ...]
    probs: tuple[float, ...]

    def percentile(self, share: float) -> float:
        total = 0.0
        for value, p in zip(self.values, self.probs, strict=True):
            total += p
            if round(total, 12) >= share:
                return value
        return self.values[-1]

    @property
    def low(self) -> float:
        return self.percentile(LOW_PERCENTILE)

    @property
    def median(self) -> float:
        return self.percentile(0.5)

    @property
    def high(self) -> float:
        return self.percentile(HIGH_PERCENTILE)


@dataclass(frozen=True)
class Chances:
    lateness: Lateness
    action: dict[int, float]  # action id -> chance all its milestones are done by the round
    question: dict[int, float]  # question id -> chance of reaching its target
    levels: dict[int, Spread]  # question id -> distribution of its whole level
    components: dict[int, Spread]  # component id -> distribution of its mean level
    overall: Spread


def action_chances(
    inputs: ModelInputs | Tallied, known: Lateness | None = None
) -> tuple[Lateness, dict[int, float]]:
    """Learn lateness from every milestone (unless known), then each action's chance of
    being complete: the product of its open milestones' chances (0 with no milestones)."""
    tallied = as_tallied(inputs)
    record = tallied.record
    lateness = known or learn_lateness_counts(record.days_late(), record.open_for())
    round_on = tallied.round_on.toordinal() if tallied.round_on else None
    by_due = _Chances(lateness, tallied.as_of.toordinal(), round_on)
    chance: dict[int, float] = {}
    for action in tallied.actions:
        p = 1.0 if action.milestones else 0.0
        for m in action.open:
            p *= by_due[m[3]]
        chance[action.id] = p
    return lateness, chance


class _Chances(dict[date, float]):
    """Original due date -> an open milestone's chance of being done by the round."""

    def __init__(self, lateness: Lateness, as_of: int, round_on: int | None) -> None:
        super().__init__()
        self.lateness, self.as_of, self.round_on = lateness, as_of, round_on

    def __missing__(self, due: date) -> float:
        self[due] = found = self.lateness.chance_done(due.toordinal(), self.as_of, self.round_on)
        return found


def level_spread(now: int, actions: list[ActionTally], chance: dict[int, float]) -> Spread:
    """Whole level of a question when re-measured: the highest level all of whose actions are
    complete (its level now if there is none). With g(j) the chance that every action aimed at
    level j is complete, P(level <= k) = product of (1 - g(j)) over the levels j above k."""
    aimed: dict[int, float] = {}
    for a in actions:
        if a.target_rank > now:
            aimed[a.target_rank] = aimed.get(a.target_rank, 1.0) * chance[a.id]
    top = max(aimed, default=now)
    below: list[float] = []  # P(level <= k) for k = now .. top
    for k in range(now, top + 1):
        p = 1.0
        for j, g in aimed.items():
            if j > k:
                p *= 1.0 - g
        below.append(p)
    probs = [below[0]] + [below[i] - below[i - 1] for i in range(1, len(below))]
    return Spread(tuple(float(k) for k in range(now, top + 1)), tuple(max(0.0, p) for p in probs))


def mean_spread(spreads: list[Spread]) -> Spread:
    """Exact distribution of the mean of independent whole levels (convolution of sums)."""
    if not spreads:
        return Spread((0.0,), (1.0,))
    sums: dict[int, float] = {0: 1.0}
    for spread in spreads:
        step: dict[int, float] = defaultdict(float)
        for total, p in sums.items():
            for value, q in zip(spread.values, spread.probs, strict=True):
                if q > 0.0:
                    step[total + int(value)] += p * q
        sums = step
    n = len(spreads)
    keys = sorted(sums)
    return Spread(tuple(k / n for k in keys), tuple(sums[k] for k in keys))


def compute_chances(inputs: ModelInputs | Tallied, lateness: Lateness | None = None) -> Chances:
    """Every probability and range the readiness report shows. `lateness` may be given to
    hold the learned record fixed (what-if questions); by default it is learned from inputs."""
    inputs = as_tallied(inputs)
    lateness, chance = action_chances(inputs, lateness)
    by_question: dict[int, list[ActionTally]] = defaultdict(list)
    for action in inputs.actions:
        by_question[action.question_id].append(action)
    levels: dict[int, Spread] = {}
    reach: dict[int, float] = {}
    for q in inputs.questions:
        spread = level_spread(q.rank_now, by_question.get(q.id, []), chance)
        levels[q.id] = spread
        reach[q.id] = spread.probs[-1] if len(spread.values) > 1 else 1.0
    components = {
        c.id: mean_spread([levels[q.id] for q in inputs.questions if q.component_id == c.id])
        for c in inputs.components
    }
    overall = mean_spread([levels[q.id] for q in inputs.questions])
    return Chances(lateness, chance, reach, levels, components, overall)
