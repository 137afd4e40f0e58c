"""Everything the readiness model needs from the milestones, gathered in one pass.

At 10,000 actions an organisation has about 50,000 milestones, and every figure the model
shows depends on them: the on-time record, each action's expected and assured completion,
the lateness record the chances are learned from, each action's chance of being complete,
the milestones that would move the score most and the overdue ones that put an action at
risk. Reading each of those off the milestones separately is six passes over them; this
module makes one, while the rows are read, and keeps per action only what the model needs:
weight sums, an overdue count and its open milestones (the only ones a chance or a mover can
come from). The organisation's record keeps counts of (done on, original due) pairs and of
open original due dates, a few hundred distinct values however many milestones there are.

The rules for a single milestone are stated once, in `tally_rows`:
- it is **done** when it was ticked on or before the as-of date (a tick after it is ignored,
  which is how a past forecast is replayed);
- done milestones count their weight as done, and as assured when evidence covering them was
  accepted by the as-of date;
- an open milestone due by the round date counts its weight at the on-time rate; one due after
  it counts nothing; one due before the as-of date is overdue;
- for the record, a done milestone was on time when ticked by its ORIGINAL due date; one not
  done counts as due once its original due date has passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from tracker.domain.readiness.model_inputs import ComponentInput, ModelInputs, QuestionInput

# An open milestone as each action keeps it, a plain tuple (cheapest to build):
# (id, weight, due on, original due on). Titles are read only for the few shown.
OpenRow = tuple[int, int, date, date]


class OpenMilestone(NamedTuple):
    """An open milestone by name (what the movers list hands out)."""

    id: int
    weight: int
    due_on: date
    original_due_on: date


@dataclass(slots=True)
class ActionTally:
    """One open action and the sums of its milestones (read-only once tallied)."""

    id: int
    question_id: int
    target_rank: int
    title: str = ""
    milestones: int = 0  # how many (withdrawn ones never count)
    weight: int = 0  # their total weight
    done_weight: int = 0  # weight done by the as-of date
    assured_weight: int = 0  # ... of which evidence was accepted by then
    due_weight: int = 0  # weight open and due by the round date
    overdue: int = 0  # open milestones whose (current) due date has passed
    open: list[OpenRow] = field(default_factory=list)

    def completion(self, rate: float) -> tuple[float, float]:
        """(expected, assured) share done by the round date, each 0..1: done weight plus the
        open weight due by then at the on-time rate, over the total (0 with no milestones)."""
        if self.weight == 0:
            return 0.0, 0.0
        return (
            (self.done_weight + self.due_weight * rate) / self.weight,
            self.assured_weight / self.weight,
        )


@dataclass(slots=True)
class Record:
    """The organisation's track record over every milestone, open and closed actions alike:
    how many were finished on each (done on, original due) pair, and how many are still open
    for each original due date."""

    as_of: date
    finished: dict[tuple[date, date], int] = field(default_factory=lambda: defaultdict(int))
    still_open: dict[date, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def on_time(self) -> int:
        """Milestones finished by their original due date."""
        return sum(n for (done_on, due), n in self.finished.items() if done_on <= due)

    @property
    def finished_or_due(self) -> int:
        """Milestones finished, or open past their original due date."""
        overdue = sum(n for due, n in self.still_open.items() if due < self.as_of)
        return sum(self.finished.values()) + overdue

    def days_late(self) -> dict[int, int]:
        """Days after the original due date each finished milestone was ticked -> how many."""
        counts: dict[int, int] = defaultdict(int)
        for (done_on, due), n in self.finished.items():
            counts[(done_on - due).days] += n
        return counts

    def open_for(self) -> dict[int, int]:
        """Days from an open milestone's original due date to the as-of date -> how many."""
        counts: dict[int, int] = defaultdict(int)
        for due, n in self.still_open.items():
            counts[(self.as_of - due).days] += n
        return counts


@dataclass(frozen=True)
class Tallied:
    """The model's inputs with the milestones tallied: what `run_model`, the chances and the
    movers read. `round_on` is the next round date (None: no cut-off)."""

    as_of: date
    round_on: date | None
    components: tuple[ComponentInput, ...]
    questions: tuple[QuestionInput, ...]
    actions: tuple[ActionTally, ...]
    record: Record


def tally_rows(
    rows: Iterable[tuple[Any, ...]],
    actions: Mapping[int, ActionTally],
    *,
    as_of: date,
    round_on: date | None,
    day: Mapping[Any, date],
    uk_day: Mapping[Any, date | None],
    assured_on: Callable[[int, int], date | None],
) -> Record:
    """Tally milestone rows `(id, action id, weight, due, original due, done)` into
    their actions (a row whose action is not in `actions`, one of a closed action, counts in
    the record only) and return the organisation's record.

    `day` turns a due value into a date and `uk_day` a tick into the UK date it fell on (or
    None): mappings, so the loader can pass memoised lookups over the driver's raw values.
    `assured_on(milestone id, action id)` is the date evidence covering a done milestone was
    accepted (None when there is none)."""
    record = Record(as_of)
    finished, still_open = record.finished, record.still_open
    last = date.max if round_on is None else round_on
    for mid, action_id, weight, due_raw, original_raw, done_raw in rows:
        original_due = day[original_raw]
        done_on = uk_day[done_raw]
        action = actions.get(action_id)
        if done_on is not None and done_on <= as_of:
            finished[done_on, original_due] += 1
            if action is not None:
                action.milestones += 1
                action.weight += weight
                action.done_weight += weight
                assured = assured_on(mid, action_id)
                if assured is not None and assured <= as_of:
                    action.assured_weight += weight
            continue
        still_open[original_due] += 1
        if action is not None:
            due_on = day[due_raw]
            action.milestones += 1
            action.weight += weight
            if due_on <= last:
                action.due_weight += weight
            if due_on < as_of:
                action.overdue += 1
            action.open.append((mid, weight, due_on, original_due))
    return record


class _Same(dict[Any, Any]):
    """A mapping that gives back what it is asked for (values already converted)."""

    def __missing__(self, value: Any) -> Any:
        return value


def tally_inputs(inputs: ModelInputs) -> Tallied:
    """Tally plain model inputs (milestones as objects: tests and what-if questions) by the
    same rules as the loader's rows."""
    actions = {
        a.id: ActionTally(a.id, a.question_id, a.target_rank, a.title) for a in inputs.actions
    }
    assured = {(m.id, a.id): m.assured_on for a in inputs.actions for m in a.milestones}
    rows: list[tuple[Any, ...]] = [
        (m.id, a.id, m.weight, m.due_on, m.original_due_on, m.done_on)
        for a in inputs.actions
        for m in a.milestones
    ]
    # Milestones of closed actions count in the record only: no action of theirs is tallied.
    rows += [
        (m.id, None, m.weight, m.due_on, m.original_due_on, m.done_on)
        for m in inputs.closed_milestones
    ]
    same = _Same()
    record = tally_rows(
        rows,
        actions,
        as_of=inputs.as_of,
        round_on=inputs.round_on,
        day=same,
        uk_day=same,
        assured_on=lambda mid, action_id: assured.get((mid, action_id)),
    )
    return Tallied(
        as_of=inputs.as_of,
        round_on=inputs.round_on,
        components=inputs.components,
        questions=inputs.questions,
        actions=tuple(actions.values()),
        record=record,
    )


def as_tallied(inputs: ModelInputs | Tallied) -> Tallied:
    """The tallied form of either kind of input."""
    return inputs if isinstance(inputs, Tallied) else tally_inputs(inputs)
