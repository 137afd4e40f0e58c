"""Importing a file as a round: validate everything, then write scores and spawn actions.

All or nothing: the file is read and matched completely before anything is added to the
session, and every problem is reported at once. Re-importing the same scores changes
nothing; different scores for an existing round are refused unless `replace` is given.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.errors import DomainError, InvalidInput, Problem
from tracker.domain.rounds.carrying import carry_forward
from tracker.domain.rounds.current import settle_statuses
from tracker.domain.rounds.importing.detect import read_table
from tracker.domain.rounds.importing.matching import FrameworkIndex, MatchedScore, match_rows
from tracker.domain.rounds.importing.summary import (
    ActionRef,
    ImportSummary,
    action_refs,
    previous_round,
    question_moves,
)
from tracker.domain.rounds.spawning import mark_improved_for_review, spawn_actions
from tracker.models import (
    Action,
    ActionStatus,
    AssessmentRound,
    Framework,
    MaturityLevel,
    Organisation,
    Question,
    RoundStatus,
    Score,
    User,
    round_name_key,
)

ROUND_NAME_LIMIT = 120  # assessment_round.name is String(120)


class NoFramework(DomainError):
    """No framework is loaded: the command says how to load one; the web page says whom to ask."""

    def __init__(self) -> None:
        super().__init__("No framework is loaded yet: run 'flask framework load' first")


class ScoresDiffer(DomainError):
    """The round already has different scores and `replace` was not given. The message says
    what differs; each face (web page, command) adds its own way to replace them."""

    def __init__(self, round_name: str, differ: int) -> None:
        super().__init__(
            f"Round '{round_name}' already has different scores "
            f"({differ} question{'s differ' if differ != 1 else ' differs'})",
            "replace",
        )
        self.round_name = round_name
        self.differ = differ


def parse_round_file(
    session: Session, data: bytes, *, max_bytes: int, sheet: str | None = None
) -> tuple[Framework, list[MatchedScore]]:
    """Read and match a whole file against the framework; raise InvalidInput with every problem."""
    framework = session.scalars(select(Framework).order_by(Framework.id).limit(1)).first()
    if framework is None:
        raise NoFramework()
    table = read_table(data, max_bytes=max_bytes, sheet=sheet)
    matched, problems = match_rows(table, FrameworkIndex.load(session, framework))
    if not table.rows:
        problems.append(Problem("the file has a header but no rows of scores"))
    if problems:
        raise InvalidInput(problems=problems)
    return framework, matched


def import_round(
    session: Session,
    actor: User | None,
    *,
    organisation: Organisation,
    data: bytes,
    round_name: str,
    held_on: date,
    now: datetime,
    max_bytes: int,
    next_round_on: date | None = None,
    replace: bool = False,
    sheet: str | None = None,
) -> ImportSummary:
    """Import `data` as the scores of round `round_name`; spawn actions for its gaps, carry
    open work forward and mark improved questions' actions for review.

    A name that differs from an existing round's only in capitals, accents or spaces is that
    round ("re-measure  2027" imports into "Re-measure 2027")."""
    round_name = " ".join(round_name.split())
    if not round_name:
        raise DomainError("Enter a name for the round", "round_name")
    if len(round_name) > ROUND_NAME_LIMIT:
        # Checked here: PostgreSQL would only refuse it when the round is written.
        raise DomainError(
            f"The round name is {len(round_name)} characters long: use at most {ROUND_NAME_LIMIT}",
            "round_name",
        )
    if next_round_on is not None and next_round_on <= held_on:
        raise DomainError("The next round must be after this round's date", "next_round_on")
    framework, matched = parse_round_file(session, data, max_bytes=max_bytes, sheet=sheet)
    summary = ImportSummary(round_name=round_name, scores=len(matched))
    summary.levels = _level_counts(session, framework, matched)
    existing = session.scalar(
        select(AssessmentRound).where(
            AssessmentRound.organisation_id == organisation.id,
            AssessmentRound.name_key == round_name_key(round_name),
        )
    )
    if existing is not None:
        summary.round_name = existing.name
    if existing is None:
        assessment_round = _create_round(
            session, actor, organisation, framework, round_name, held_on, next_round_on, now
        )
        _add_scores(session, assessment_round, matched)
        summary.created = summary.changed = True
        summary.closed_rounds = settle_statuses(session, actor, organisation.id, now=now)
        previous: dict[int, int] | None = None
    else:
        assessment_round = existing
        if next_round_on is not None and next_round_on <= existing.held_on:
            raise DomainError(
                f"The next round must be after this round's date ({existing.held_on.isoformat()})",
                "next_round_on",
            )
        previous = _replace_scores(
            session, actor, assessment_round, matched, replace=replace, now=now
        )
        summary.changed = summary.replaced = previous is not None
        if next_round_on is not None and existing.next_round_on != next_round_on:
            audit.record(
                session, actor, "assessment_round", existing.id, "updated", at=now,
                before={"next_round_on": existing.next_round_on},
                after={"next_round_on": next_round_on},
            )  # fmt: skip
            existing.next_round_on = next_round_on
            summary.next_round_moved_to = next_round_on
    session.flush()
    summary.round_id = assessment_round.id
    spawned = spawn_actions(session, actor, assessment_round, now=now)
    summary.spawned = len(spawned)
    summary.spawned_actions = [ActionRef(a.id, a.title) for a in spawned]
    in_review = _review_ids(session, organisation.id)
    summary.marked_for_review = mark_improved_for_review(
        session, actor, assessment_round, now=now, previous_ranks=previous
    )
    reviewed = sorted(_review_ids(session, organisation.id) - in_review)
    summary.review_actions = action_refs(session, reviewed)
    summary.carried_actions = [
        ActionRef(a.id, a.title) for a in carry_forward(session, actor, assessment_round, now=now)
    ]
    summary.changed = summary.changed or bool(
        summary.spawned or summary.marked_for_review or summary.carried_actions
    )
    earlier = previous_round(session, assessment_round)
    summary.moves = question_moves(session, assessment_round, earlier)
    if summary.changed:
        event = audit.record(
            session, actor, "assessment_round", assessment_round.id,
            "replaced" if summary.replaced else "imported", at=now,
            after={
                "scores": summary.scores, "levels": summary.levels, "spawned": summary.spawned,
                "carried_forward": len(summary.carried_actions),
                "marked_for_review": len(reviewed),
                "previous_round_id": earlier.id if earlier else None,
                "spawned_ids": [a.id for a in summary.spawned_actions],
                "carried_ids": [a.id for a in summary.carried_actions],
                "review_ids": reviewed,
            },
        )  # fmt: skip
        session.flush()
        summary.event_id = event.id
    return summary


def _review_ids(session: Session, organisation_id: int) -> set[int]:
    """The organisation's actions in review (to tell which ones an import moved there)."""
    return set(
        session.scalars(
            select(Action.id)
            .join(AssessmentRound, Action.round_id == AssessmentRound.id)
            .where(
                AssessmentRound.organisation_id == organisation_id,
                Action.status == ActionStatus.REVIEW,
            )
        )
    )


def _level_counts(
    session: Session, framework: Framework, matched: list[MatchedScore]
) -> dict[str, int]:
    names = session.scalars(
        select(MaturityLevel.name)
        .where(MaturityLevel.framework_id == framework.id)
        .order_by(MaturityLevel.rank)
    ).all()
    counts = dict.fromkeys(names, 0)
    for score in matched:
        counts[score.level.name] += 1
    return counts


def _create_round(
    session: Session,
    actor: User | None,
    organisation: Organisation,
    framework: Framework,
    name: str,
    held_on: date,
    next_round_on: date | None,
    now: datetime,
) -> AssessmentRound:
    later = session.scalar(
        select(AssessmentRound.id).where(
            AssessmentRound.organisation_id == organisation.id, AssessmentRound.held_on > held_on
        )
    )
    assessment_round = AssessmentRound(
        organisation=organisation,
        framework=framework,
        name=name,
        held_on=held_on,
        next_round_on=next_round_on,
        status=RoundStatus.CLOSED if later else RoundStatus.OPEN,
    )
    session.add(assessment_round)
    session.flush()
    audit.record(
        session, actor, "assessment_round", assessment_round.id, "created", at=now,
        after={"name": name, "held_on": held_on, "next_round_on": next_round_on},
    )  # fmt: skip
    return assessment_round


def _add_scores(
    session: Session, assessment_round: AssessmentRound, matched: list[MatchedScore]
) -> None:
    for item in matched:
        session.add(
            Score(
                round_id=assessment_round.id,
                question_id=item.question.id,
                level_id=item.level.id,
                definition=item.definition,
            )
        )


def _replace_scores(
    session: Session,
    actor: User | None,
    assessment_round: AssessmentRound,
    matched: list[MatchedScore],
    *,
    replace: bool,
    now: datetime,
) -> dict[int, int] | None:
    """Nothing when the scores are the same; with `replace`, overwrite them in place and return
    the previous rank per question (used to mark improved actions for review). The overwritten
    levels are kept in an audit event (question number: before/after), so a replace never
    loses the round's earlier scores."""
    rows = session.execute(
        select(Score, MaturityLevel.rank, MaturityLevel.name, Question.number)
        .join(MaturityLevel, Score.level_id == MaturityLevel.id)
        .join(Question, Score.question_id == Question.id)
        .where(Score.round_id == assessment_round.id)
    ).all()
    current = {score.question_id: score for score, _, _, _ in rows}
    wanted = {item.question.id: item for item in matched}
    same = set(current) == set(wanted) and all(
        current[q].level_id == item.level.id and current[q].definition == item.definition
        for q, item in wanted.items()
    )
    if same:
        return None
    if not replace:
        differ = sum(
            1
            for q, item in wanted.items()
            if q not in current or current[q].level_id != item.level.id
        )
        raise ScoresDiffer(assessment_round.name, differ)
    previous = {score.question_id: rank for score, rank, _, _ in rows}
    old_levels = {score.question_id: (number, name) for score, _, name, number in rows}
    new_levels = {q: (item.question.number, item.level.name) for q, item in wanted.items()}
    changed = sorted(
        q for q in set(old_levels) | set(new_levels) if old_levels.get(q) != new_levels.get(q)
    )
    audit.record(
        session, actor, "assessment_round", assessment_round.id, "scores_replaced", at=now,
        before={"scores": {str(old_levels[q][0]): old_levels[q][1] for q in changed if q in old_levels}},
        after={"scores": {str(new_levels[q][0]): new_levels[q][1] for q in changed if q in new_levels}},
    )  # fmt: skip
    for question_id, score in current.items():
        if question_id not in wanted:
            session.delete(score)
    for question_id, item in wanted.items():
        existing = current.get(question_id)
        if existing is None:
            session.add(Score(round_id=assessment_round.id, question_id=question_id,
                              level_id=item.level.id, definition=item.definition))  # fmt: skip
        else:
            existing.level_id, existing.definition = item.level.id, item.definition
    return previous
