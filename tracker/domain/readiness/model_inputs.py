"""The model's inputs as plain objects: questions, components, and actions with their
milestones. The loader does not build these (it tallies the database rows straight into
`tally.ActionTally`); tests and what-if questions describe a plan with them, and
`tally.tally_inputs` tallies them by the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(slots=True)
class MilestoneInput:
    """A milestone as the model sees it. `done_on` is the (UK) date it was ticked;
    `assured_on` the date evidence covering it was accepted (None when there is none).

    Read-only by convention rather than frozen: tens of thousands are built per forecast and
    a frozen dataclass costs several times as much to build (use dataclasses.replace)."""

    id: int
    weight: int
    due_on: date
    original_due_on: date
    done_on: date | None = None
    assured_on: date | None = None
    title: str = ""


@dataclass(slots=True)
class ActionInput:
    """An action as the model sees it (read-only by convention, like MilestoneInput)."""

    id: int
    question_id: int
    target_rank: int
    milestones: tuple[MilestoneInput, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class QuestionInput:
    id: int
    number: int
    component_id: int
    rank_now: int
    text: str = ""


@dataclass(frozen=True)
class ComponentInput:
    id: int
    position: int
    name: str


@dataclass(frozen=True)
class ModelInputs:
    """Everything the model needs; `round_on` is the next round date (None: no cut-off).
    `closed_milestones` are those of completed or cancelled actions: they carry no question
    but still count in the organisation's on-time record."""

    as_of: date
    round_on: date | None
    components: tuple[ComponentInput, ...]
    questions: tuple[QuestionInput, ...]
    actions: tuple[ActionInput, ...]
    closed_milestones: tuple[MilestoneInput, ...] = ()
