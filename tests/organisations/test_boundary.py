"""The organisation boundary is enforced in one place: a scoped session sees only its own
organisation's rows even when a query forgets to filter, for every organisation-owned table,
through parents, in ORM updates and deletes, and for lazy-loaded relationships."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from tracker.domain.boundary import PLATFORM, scoped, unscoped
from tracker.models import (
    Action,
    AssessmentRound,
    AuditEvent,
    DomainLead,
    Milestone,
    Organisation,
    Score,
    User,
)


def test_an_unfiltered_select_of_actions_returns_only_own_rows(session, trusts):
    first, second = trusts
    assert len(session.scalars(select(Action)).all()) == 2  # unscoped: the installation
    with scoped(session, first.organisation_id):
        session.expunge_all()
        assert [a.id for a in session.scalars(select(Action))] == [first.action_id]
    with scoped(session, second.organisation_id):  # the same cached statement, other id
        session.expunge_all()
        assert [a.id for a in session.scalars(select(Action))] == [second.action_id]


@pytest.mark.parametrize(
    "model", [Organisation, User, AssessmentRound, Score, Action, Milestone, DomainLead]
)
def test_every_organisation_owned_table_is_bounded(session, trusts, model):
    first, second = trusts
    total = session.scalar(select(func.count()).select_from(model))
    with scoped(session, first.organisation_id):
        own = session.scalar(select(func.count()).select_from(model))
    with scoped(session, second.organisation_id):
        other = session.scalar(select(func.count()).select_from(model))
    assert own + other == total and own > 0 and other > 0


def test_another_organisations_row_by_id_is_not_found(session, trusts):
    first, second = trusts
    session.expunge_all()
    with scoped(session, first.organisation_id):
        assert session.get(Action, second.action_id) is None
        assert session.get(Milestone, second.milestone_id) is None
        assert session.get(Action, first.action_id) is not None


def test_orm_update_and_delete_reach_only_own_rows(session, trusts):
    first, second = trusts
    with scoped(session, first.organisation_id):
        session.execute(update(Milestone).values(title="Renamed"))
        session.execute(delete(DomainLead))
    session.commit()
    session.expunge_all()
    titles = {m.action_id: m.title for m in session.scalars(select(Milestone))}
    assert titles == {first.action_id: "Renamed", second.action_id: "A milestone"}
    assert [lead.user.organisation_id for lead in session.scalars(select(DomainLead))] == [
        second.organisation_id
    ]


def test_a_platform_scope_sees_no_organisations_rows(session, trusts):
    session.expunge_all()
    with scoped(session, PLATFORM):
        assert session.scalars(select(Action)).all() == []
        assert session.scalars(select(User)).all() == []
        assert session.scalars(select(Organisation)).all() == []
        with unscoped(session):
            assert len(session.scalars(select(Organisation)).all()) == 2


def test_audit_events_join_the_scoped_organisations_trail(session, trusts):
    from tests.support.helpers import NOW
    from tracker.domain import audit

    first, second = trusts
    with scoped(session, first.organisation_id):
        audit.record(session, None, "round", first.round_id, "renamed", at=NOW)
        session.flush()
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
    with scoped(session, second.organisation_id):
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
