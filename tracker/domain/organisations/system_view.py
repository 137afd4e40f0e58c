"""The system view: each organisation in a system side by side, from its latest shared round.

Only shared results cross the organisation boundary, and only here: the rounds an organisation
chose to share (tracker.domain.organisations.sharing), their question levels, component means
and the stored readiness summary of that round. Organisations that have shared nothing appear
as "not shared", with no numbers. The reading is done outside the boundary on purpose
(`unscoped`), filtered to shared rounds in every query.

Rules, stated on the page too:
- an organisation's column is its latest shared round (by the date it was held);
- "change" compares it with that organisation's previous *shared* round (an unshared round
  never shows, not even as a difference);
- a component's mean is the mean rank of its scored questions (1 = the lowest level);
- where your organisation stands: your overall mean compared with the median of your partners'
  (the other organisations with a shared round): within a quarter of a level either way is
  "broadly similar", otherwise "above" or "below". Your own column is your latest round when
  you may read your own results, and your latest shared round for a system viewer.

The number of queries does not depend on how many organisations the system holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain.boundary import unscoped
from tracker.models import (
    AssessmentRound,
    Component,
    MaturityLevel,
    Organisation,
    Question,
    ReadinessSnapshot,
    RoundShare,
    Score,
    System,
)

BROADLY_SIMILAR = 0.25
STANDING_RULE = (
    "Your organisation's mean level is compared with the median of your partners' (the other "
    "organisations that have shared a round): within a quarter of a level either way is "
    "“broadly similar”; more than that is “above” or “below”."
)


@dataclass(frozen=True)
class Column:
    """One organisation of the system. `shared` False means no numbers at all."""

    organisation_id: int
    code: str
    name: str
    is_yours: bool
    shared: bool
    round_id: int | None = None
    round_name: str = ""
    held_on: date | None = None
    shared_at: datetime | None = None
    previous_round_name: str = ""
    overall: float | None = None
    overall_change: float | None = None
    readiness_expected: float | None = None
    readiness_assured: float | None = None
    readiness_taken_on: date | None = None


@dataclass(frozen=True)
class Cell:
    value: float | None = None  # a component mean or a question's rank
    change: float | None = None
    level_name: str = ""


@dataclass
class Row:
    label: str
    number: int
    cells: list[Cell] = field(default_factory=list)
    standing: str = ""  # for component rows: where your organisation stands


@dataclass
class SystemView:
    system_name: str
    system_code: str
    columns: list[Column]
    components: list[Row]
    questions: list[Row]
    level_names: dict[int, str]
    standing: str  # overall: "broadly similar", "above", "below" or "" when not comparable
    partners_median: float | None
    rule: str = STANDING_RULE

    @property
    def sharing_count(self) -> int:
        return sum(1 for column in self.columns if column.shared)


def standing_of(yours: float | None, partners: list[float]) -> str:
    """ "above", "below" or "broadly similar" (within BROADLY_SIMILAR of the partners' median);
    empty when there is nothing to compare."""
    if yours is None or not partners:
        return ""
    difference = yours - median(partners)
    if abs(difference) <= BROADLY_SIMILAR:
        return "broadly similar"
    return "above" if difference > 0 else "below"


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _difference(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def build_system_view(
    session: Session, organisation_id: int, *, include_own_unshared: bool
) -> SystemView | None:
    """The system view for a member of `organisation_id`; None when it is in no system."""
    with unscoped(session):
        own = session.get(Organisation, organisation_id)
        if own is None or own.system_id is None:
            return None
        system = session.get(System, own.system_id)
        assert system is not None
        organisations = list(
            session.scalars(
                select(Organisation)
                .where(Organisation.system_id == system.id)
                .order_by(Organisation.name)
            )
        )
        ids = [o.id for o in organisations]
        shared = session.execute(
            select(AssessmentRound, RoundShare.shared_at)
            .join(RoundShare, RoundShare.round_id == AssessmentRound.id)
            .where(RoundShare.organisation_id.in_(ids), RoundShare.withdrawn_at.is_(None))
            .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
        ).all()
        rounds: dict[int, list[tuple[AssessmentRound, datetime | None]]] = defaultdict(list)
        for assessment_round, shared_at in shared:
            rounds[assessment_round.organisation_id].append((assessment_round, shared_at))
        if include_own_unshared:
            latest_own = session.scalar(
                select(AssessmentRound)
                .where(AssessmentRound.organisation_id == organisation_id)
                .order_by(AssessmentRound.held_on.desc(), AssessmentRound.id.desc())
                .limit(1)
            )
            if latest_own is not None and all(r.id != latest_own.id for r, _ in rounds[own.id]):
                rounds[own.id].insert(0, (latest_own, None))
        chosen = {org_id: pairs[:2] for org_id, pairs in rounds.items()}
        round_ids = [r.id for pairs in chosen.values() for r, _ in pairs]
        ranks = _ranks(session, round_ids)
        readiness = _readiness(session, [pairs[0][0].id for pairs in chosen.values()])
        framework_id = next((pairs[0][0].framework_id for pairs in chosen.values()), None)
        questions, level_names = _framework(session, framework_id)
    return _assemble(
        system, organisations, own.id, chosen, ranks, readiness, questions, level_names
    )


def _ranks(session: Session, round_ids: list[int]) -> dict[int, dict[int, int]]:
    """round id -> question id -> rank, for the chosen rounds only (one query)."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    if round_ids:
        for round_id, question_id, rank in session.execute(
            select(Score.round_id, Score.question_id, MaturityLevel.rank)
            .join(MaturityLevel, MaturityLevel.id == Score.level_id)
            .where(Score.round_id.in_(round_ids))
        ):
            found[round_id][question_id] = rank
    return found


def _readiness(session: Session, round_ids: list[int]) -> dict[int, ReadinessSnapshot]:
    """The latest stored overall readiness snapshot of each round (one query)."""
    if not round_ids:
        return {}
    latest = (
        select(ReadinessSnapshot.round_id, func.max(ReadinessSnapshot.taken_on).label("day"))
        .where(ReadinessSnapshot.round_id.in_(round_ids), ReadinessSnapshot.scope_key == "overall")
        .group_by(ReadinessSnapshot.round_id)
        .subquery()
    )
    rows = session.scalars(
        select(ReadinessSnapshot)
        .join(
            latest,
            (latest.c.round_id == ReadinessSnapshot.round_id)
            & (latest.c.day == ReadinessSnapshot.taken_on),
        )
        .where(ReadinessSnapshot.scope_key == "overall")
    )
    return {row.round_id: row for row in rows}


def _framework(
    session: Session, framework_id: int | None
) -> tuple[list[tuple[Question, Component]], dict[int, str]]:
    if framework_id is None:
        return [], {}
    questions = [
        (question, component)
        for question, component in session.execute(
            select(Question, Component)
            .join(Component, Component.id == Question.component_id)
            .where(Question.framework_id == framework_id)
            .order_by(Component.position, Question.number)
        ).all()
    ]
    level_names = dict(
        session.execute(
            select(MaturityLevel.rank, MaturityLevel.name).where(
                MaturityLevel.framework_id == framework_id
            )
        ).all()
    )
    return questions, level_names


def _assemble(
    system: System,
    organisations: list[Organisation],
    own_id: int,
    chosen: dict[int, list[tuple[AssessmentRound, datetime | None]]],
    ranks: dict[int, dict[int, int]],
    readiness: dict[int, ReadinessSnapshot],
    questions: list[tuple[Question, Component]],
    level_names: dict[int, str],
) -> SystemView:
    components: dict[int, Row] = {}
    by_component: dict[int, list[int]] = defaultdict(list)
    question_rows = []
    for question, component in questions:
        by_component[component.id].append(question.id)
        components.setdefault(component.id, Row(component.name, component.position))
        question_rows.append(Row(question.text, question.number))

    def component_mean(round_id: int | None, component_id: int) -> float | None:
        if round_id is None:
            return None
        scored = ranks.get(round_id, {})
        return _mean([scored[q] for q in by_component[component_id] if q in scored])

    columns = []
    for org in organisations:
        pairs = chosen.get(org.id, [])
        if not pairs:
            columns.append(Column(org.id, org.ods_code, org.name, org.id == own_id, False))
            for row in [*components.values(), *question_rows]:
                row.cells.append(Cell())
            continue
        (latest, shared_at), previous = pairs[0], (pairs[1][0] if len(pairs) > 1 else None)
        now_ranks, before_ranks = (
            ranks.get(latest.id, {}),
            ranks.get(previous.id if previous else -1, {}),
        )
        for component_id, row in components.items():
            mean = component_mean(latest.id, component_id)
            before = component_mean(previous.id, component_id) if previous else None
            row.cells.append(Cell(mean, _difference(mean, before)))
        for (question, _), row in zip(questions, question_rows, strict=True):
            rank = now_ranks.get(question.id)
            before_rank = before_ranks.get(question.id)
            change = _difference(rank, before_rank)
            row.cells.append(Cell(rank, change, level_names.get(rank, "") if rank else ""))
        overall = _mean(list(now_ranks.values()))
        snapshot = readiness.get(latest.id)
        columns.append(
            Column(
                org.id,
                org.ods_code,
                org.name,
                org.id == own_id,
                True,
                latest.id,
                latest.name,
                latest.held_on,
                shared_at,
                previous.name if previous else "",
                overall,
                _difference(overall, _mean(list(before_ranks.values()))) if previous else None,
                snapshot.expected if snapshot else None,
                snapshot.assured if snapshot else None,
                snapshot.taken_on if snapshot else None,
            )
        )
    own_index = next(i for i, c in enumerate(columns) if c.is_yours)
    partners = [i for i, c in enumerate(columns) if c.shared and not c.is_yours]
    for row in components.values():
        row.standing = standing_of(
            row.cells[own_index].value,
            [v for i in partners if (v := row.cells[i].value) is not None],
        )
    partner_overall = [v for i in partners if (v := columns[i].overall) is not None]
    return SystemView(
        system.name,
        system.code,
        columns,
        list(components.values()),
        question_rows,
        level_names,
        standing_of(columns[own_index].overall, partner_overall),
        median(partner_overall) if partner_overall else None,
    )
