"""Reading the loaded framework back for people: every framework with its scale, components,
questions and descriptors, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Component, Framework, Question


def list_frameworks(session: Session) -> list[Framework]:
    """Every framework, oldest first, with its levels, components, their questions and the
    questions' descriptors loaded (one query each), for the read-only framework page."""
    return list(
        session.scalars(
            select(Framework)
            .options(
                selectinload(Framework.levels),
                selectinload(Framework.components)
                .selectinload(Component.questions)
                .selectinload(Question.descriptors),
            )
            .order_by(Framework.id)
        )
    )
