"""Building rows directly for tests that need a round, scores, actions and milestones without
going through the importer. Every function flushes, none commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.support.helpers import NOW
from tracker.domain.accounts.registration import default_organisation
from tracker.models import (
    Action,
    ActionOrigin,
    AssessmentRound,
    Component,
    DomainLead,
    Evidence,
    Framework,
    MaturityLevel,
    Milestone,
    Organisation,
    Question,
    Score,
    User,
)


def level(session: Session, rank: int) -> MaturityLevel:
    return session.scalars(select(MaturityLevel).where(MaturityLevel.rank == rank)).one()


def question(session: Session, number: int) -> Question:
    return session.scalars(select(Question).where(Question.number == number)).one()


def component(session: Session, position: int) -> Component:
    return session.scalars(select(Component).where(Component.position == position)).one()


def make_round(
    session: Session,
    name: str = "Baseline 2026",
    *,
    held_on: date = date(2026, 5, 1),
    next_round_on: date | None = date(2027, 5, 1),
    ranks: dict[int, int] | None = None,
    organisation: Organisation | None = None,
) -> AssessmentRound:
    """A round scoring every framework question (rank 1 unless `ranks` says otherwise)."""
    framework = session.scalars(select(Framework)).one()
    assessment_round = AssessmentRound(
        organisation=organisation or default_organisation(session),
        framework=framework,
        name=name,
        held_on=held_on,
        next_round_on=next_round_on,
    )
    session.add(assessment_round)
    levels = {lv.rank: lv for lv in session.scalars(select(MaturityLevel))}
    for q in session.scalars(select(Question)):
        rank = (ranks or {}).get(q.number, 1)
        session.add(Score(round=assessment_round, question=q, level=levels[rank]))
    session.flush()
    return assessment_round


def make_action(
    session: Session,
    assessment_round: AssessmentRound,
    number: int = 1,
    *,
    owner: User | None = None,
    lead: User | None = None,
    title: str | None = None,
    target_rank: int = 2,
    due_on: date | None = None,
    origin: str = ActionOrigin.MANUAL,
    **fields: object,
) -> Action:
    action = Action(
        question=question(session, number),
        round=assessment_round,
        origin=origin,
        title=title or f"Raise question {number}",
        description="",
        owner=owner,
        lead=lead,
        target_level=level(session, target_rank),
        due_on=due_on,
        **fields,
    )
    session.add(action)
    session.flush()
    return action


def make_milestone(
    session: Session,
    action: Action,
    due_on: date,
    *,
    title: str = "A milestone",
    weight: int = 1,
    done_at: datetime | None = None,
    done_by: User | None = None,
) -> Milestone:
    milestone = Milestone(
        action=action,
        title=title,
        weight=weight,
        original_due_on=due_on,
        due_on=due_on,
        done_at=done_at,
        done_by=done_by,
    )
    session.add(milestone)
    session.flush()
    return milestone


def make_lead(session: Session, director: User, position: int) -> DomainLead:
    lead = DomainLead(component=component(session, position), user=director)
    session.add(lead)
    session.flush()
    return lead


def make_note_evidence(
    session: Session,
    action: Action,
    by: User,
    *,
    milestone: Milestone | None = None,
    **fields: object,
) -> Evidence:
    evidence = Evidence(
        action=action,
        milestone=milestone,
        kind="note",
        note="Done",
        uploaded_by=by,
        uploaded_at=NOW,
        **fields,
    )
    session.add(evidence)
    session.flush()
    return evidence
