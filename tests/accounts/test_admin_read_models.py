"""What the admin pages read through the domain: people, leads, rounds and the framework, and
the look-ups by id that answer NotFound (the pages turn that into 404)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.factories import component, make_lead, make_round
from tests.support.helpers import NOW
from tracker.domain.accounts import administration as user_admin
from tracker.domain.accounts.sign_in import user_for_session
from tracker.domain.errors import NotFound
from tracker.domain.framework.outline import list_frameworks
from tracker.domain.rounds.editing import load_round, rounds_newest_first


def test_people_by_name_and_directors_who_can_lead(session, make_user):
    zoe = make_user("director", name="Zoe Zed")
    amy = make_user("director", name="Amy Aye")
    make_user("director", name="Gone Away", is_active=False)
    owner = make_user("owner", name="Ola Owner")
    assert [u.name for u in user_admin.list_users(session)] == [
        "Amy Aye",
        "Gone Away",
        "Ola Owner",
        "Zoe Zed",
    ]
    assert user_admin.active_directors(session) == [amy, zoe]
    assert user_admin.load_user(session, owner.id) is owner
    with pytest.raises(NotFound):
        user_admin.load_user(session, owner.id + 1000)


def test_leads_grouped_by_component_and_per_person(session, framework, make_user):
    dee = make_user("director")
    kim = make_user("director")
    first = make_lead(session, dee, 1)
    second = make_lead(session, kim, 1)
    third = make_lead(session, dee, 2)
    session.commit()
    components = user_admin.components_in_order(session)
    assert [c.position for c in components] == sorted(c.position for c in components)
    assert user_admin.leads_by_component(session) == {
        component(session, 1).id: [first, second],
        component(session, 2).id: [third],
    }
    assert user_admin.leads_of(session, dee) == [first, third]
    assert user_admin.load_lead(session, third.id) is third
    with pytest.raises(NotFound):
        user_admin.load_lead(session, third.id + 1000)


def test_assigning_a_lead_by_id_refuses_ids_that_name_nothing(session, framework, make_user):
    admin = make_user("admin")
    dee = make_user("director")
    target = component(session, 3)
    with pytest.raises(NotFound) as missing_component:
        user_admin.assign_lead_by_id(
            session, admin, user_id=dee.id, component_id=target.id + 1000, now=NOW
        )
    assert missing_component.value.field == "component"
    with pytest.raises(NotFound) as missing_user:
        user_admin.assign_lead_by_id(
            session, admin, user_id=dee.id + 1000, component_id=target.id, now=NOW
        )
    assert missing_user.value.field == "user"
    lead = user_admin.assign_lead_by_id(
        session, admin, user_id=dee.id, component_id=target.id, now=NOW
    )
    assert (lead.user, lead.component) == (dee, target)


def test_rounds_newest_first_and_by_id(session, framework):
    older = make_round(session, "Baseline", held_on=date(2025, 5, 1), next_round_on=None)
    newer = make_round(session, "Re-measure", held_on=date(2026, 5, 1), next_round_on=None)
    session.commit()
    assert rounds_newest_first(session) == [newer, older]
    assert load_round(session, older.id) is older
    with pytest.raises(NotFound):
        load_round(session, newer.id + 1000)


def test_framework_outline_has_its_scale_and_questions(session, framework):
    (listed,) = list_frameworks(session)
    assert listed is framework
    assert listed.levels and listed.components
    assert all(c.questions for c in listed.components)


def test_a_session_ends_with_its_version_or_its_user(session, make_user):
    user = make_user("owner")
    assert user_for_session(session, user.id, user.session_version) is user
    assert user_for_session(session, user.id, user.session_version + 1) is None
    assert user_for_session(session, user.id + 1000, 0) is None
    user.is_active = False
    session.commit()
    assert user_for_session(session, user.id, user.session_version) is None
