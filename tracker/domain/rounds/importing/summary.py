"""What an import did: the one-line message, and the lists behind it.

The lists (questions that moved up, down or stayed since the previous round; actions spawned,
carried forward and moved to review) are what the CLI prints after its one line and what the
web's result page shows. The ids are kept in the import's audit event, so the result page can
be opened again later; `import_result` rebuilds the lists from that event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.errors import NotFound
from tracker.domain.rounds.comparison import compare_rounds
from tracker.models import Action, AssessmentRound, AuditEvent

IMPORT_VERBS = ("imported", "replaced")


@dataclass(frozen=True)
class ActionRef:
    id: int
    title: str


@dataclass(frozen=True)
class QuestionMove:
    number: int
    text: str
    before: str
    after: str


@dataclass
class Moves:
    """Each question scored in both rounds, by the way it moved (question order)."""

    previous_round: str | None = None
    previous_round_id: int | None = None
    up: list[QuestionMove] = field(default_factory=list)
    down: list[QuestionMove] = field(default_factory=list)
    stayed: list[QuestionMove] = field(default_factory=list)


@dataclass
class ImportSummary:
    """What an import did: the one-line message (str) and the lists behind it."""

    round_name: str
    scores: int
    round_id: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    created: bool = False
    changed: bool = False
    replaced: bool = False
    spawned: int = 0
    marked_for_review: int = 0
    closed_rounds: list[str] = field(default_factory=list)
    next_round_moved_to: date | None = None
    event_id: int | None = None
    moves: Moves = field(default_factory=Moves)
    spawned_actions: list[ActionRef] = field(default_factory=list)
    carried_actions: list[ActionRef] = field(default_factory=list)
    review_actions: list[ActionRef] = field(default_factory=list)

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {name}" for name, n in self.levels.items() if n)
        if not self.changed:
            if self.next_round_moved_to is not None:
                return (
                    f"Round '{self.round_name}' already has these {self.scores} scores "
                    f"({counts}); next round date set to {self.next_round_moved_to.isoformat()}"
                )
            return (
                f"Round '{self.round_name}' already has these {self.scores} scores "
                f"({counts}); nothing changed"
            )
        verb = "Replaced scores with" if self.replaced else "Imported"
        text = (
            f"{verb} {self.scores} scores into round '{self.round_name}' ({counts}); "
            f"spawned {self.spawned} action{'s' if self.spawned != 1 else ''}"
        )
        if self.carried_actions:
            text += f"; {len(self.carried_actions)} carried forward"
        if self.marked_for_review:
            text += f"; {self.marked_for_review} marked for review"
        return text


def previous_round(session: Session, assessment_round: AssessmentRound) -> AssessmentRound | None:
    """The round held just before this one in its organisation (date held, then order added)."""
    return session.scalars(
        select(AssessmentRound)
        .where(
            AssessmentRound.organisation_id == assessment_round.organisation_id,
            (AssessmentRound.held_on < assessment_round.held_on)
            | (
                (AssessmentRound.held_on == assessment_round.held_on)
                & (AssessmentRound.id < assessment_round.id)
            ),
        )
        .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
        .limit(1)
    ).first()


def question_moves(
    session: Session, assessment_round: AssessmentRound, previous: AssessmentRound | None
) -> Moves:
    """How each question moved from `previous` to this round (nothing without a previous)."""
    if previous is None:
        return Moves()
    moves = Moves(previous.name, previous.id)
    for q in compare_rounds(session, previous.id, assessment_round.id).questions:
        if q.a is None or q.b is None:
            continue
        move = QuestionMove(q.number, q.text, q.a.name, q.b.name)
        if q.b.rank > q.a.rank:
            moves.up.append(move)
        elif q.b.rank < q.a.rank:
            moves.down.append(move)
        else:
            moves.stayed.append(move)
    return moves


def action_refs(session: Session, ids: list[int]) -> list[ActionRef]:
    """The actions with these ids that still exist (not deleted), in id order."""
    if not ids:
        return []
    rows = session.execute(
        select(Action.id, Action.title)
        .where(Action.id.in_(ids), Action.deleted_at.is_(None))
        .order_by(Action.id)
    ).all()
    return [ActionRef(row_id, title) for row_id, title in rows]


def import_result(session: Session, organisation_id: int, event_id: int) -> ImportSummary:
    """The summary of the import recorded as audit event `event_id` (NotFound when there is no
    such import in this organisation, or its round has since been deleted)."""
    event = session.get(AuditEvent, event_id)
    if (
        event is None
        or event.organisation_id != organisation_id
        or event.entity != "assessment_round"
        or event.verb not in IMPORT_VERBS
    ):
        raise NotFound("There is no import with this id")
    assessment_round = session.get(AssessmentRound, event.entity_id or 0)
    if assessment_round is None or assessment_round.organisation_id != organisation_id:
        raise NotFound("The round of this import has been deleted")
    after = event.after or {}
    previous_id = after.get("previous_round_id")
    previous = session.get(AssessmentRound, previous_id) if previous_id else None
    if previous is None and previous_id:  # that round was deleted since: the one before now
        previous = previous_round(session, assessment_round)
    return ImportSummary(
        round_name=assessment_round.name,
        scores=int(after.get("scores", 0)),
        round_id=assessment_round.id,
        levels=dict(after.get("levels", {})),
        changed=True,
        replaced=event.verb == "replaced",
        spawned=int(after.get("spawned", 0)),
        marked_for_review=len(after.get("review_ids", [])),
        event_id=event.id,
        moves=question_moves(session, assessment_round, previous),
        spawned_actions=action_refs(session, list(after.get("spawned_ids", []))),
        carried_actions=action_refs(session, list(after.get("carried_ids", []))),
        review_actions=action_refs(session, list(after.get("review_ids", []))),
    )
