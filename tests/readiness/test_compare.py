"""Round comparison: levels in both rounds, the model's accuracy, and recording outcomes (never
on a deleted action)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.factories import make_round
from tests.support.helpers import NOW, TODAY, table_counts
from tests.support.proof import World, build_world, fetch, signed_in_client
from tests.support.readiness import csrf_from, seed_forecast
from tracker import clock
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness, store_snapshots
from tracker.domain.readiness.history import check_model
from tracker.models import Action, AuditEvent, ReadinessSnapshot


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def remeasure(session, make_user):
    """Baseline with a stored forecast, then a second round where questions 1 and 9 rose."""
    baseline, director, owner, a1, a2 = seed_forecast(session, make_user)
    org = default_organisation(session).id
    store_snapshots(session, compute_readiness(session, organisation_id=org, as_of=TODAY), TODAY)
    later = make_round(
        session,
        "Re-measure 2027",
        held_on=date(2027, 5, 1),
        next_round_on=None,
        ranks={1: 3, 5: 2, 9: 2},
    )
    session.commit()
    return baseline, later, director, owner, a1, a2


def test_model_check_reports_error_and_moves(session, framework, make_user):
    baseline, later, *_ = remeasure(session, make_user)
    org = default_organisation(session).id
    expected = {
        snap.inputs["number"]: snap.expected
        for snap in session.scalars(
            select(ReadinessSnapshot).where(ReadinessSnapshot.scope_key.startswith("question:"))
        )
    }
    assert len(expected) == 22
    check = check_model(session, org, baseline.id, later.id)
    assert check.accuracy.snapshot_on == TODAY
    assert check.accuracy.moved == 2
    errors = [abs(expected[n] - (3 if n == 1 else 2 if n in (5, 9) else 1)) for n in range(1, 23)]
    assert check.accuracy.mean_absolute_error == pytest.approx(sum(errors) / 22)
    predicted = [n for n, e in expected.items() if e - (2 if n == 5 else 1) >= 0.5]
    assert check.accuracy.predicted_to_move == len(predicted)
    assert check.accuracy.predicted_and_moved == len([n for n in predicted if n in (1, 9)])
    assert {a.question.number for a in check.actions} == {1, 9}


def test_compare_page_and_director_records_outcome(app, session, framework, make_user, sign_in):
    baseline, later, director, _, a1, _ = remeasure(session, make_user)
    a1.status = "review"  # as a re-measurement import leaves it: a verified outcome signs it off
    session.commit()
    client = sign_in(director)
    html = client.get(f"/readiness/compare?a={baseline.id}&b={later.id}").get_data(as_text=True)
    assert "Mean absolute error" in html
    assert "Shared vision workshop" in html
    assert '<option value="carried_forward">Carried forward</option>' in html
    response = client.post(
        f"/readiness/actions/{a1.id}/outcome?a={baseline.id}&b={later.id}",
        data={"csrf_token": csrf_from(html), "outcome": "verified", "version": a1.version},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Action, a1.id).outcome == "verified"
    assert session.get(Action, a1.id).status == "completed"
    event = session.scalars(select(AuditEvent).where(AuditEvent.verb == "signed_off")).one()
    assert (event.entity_id, event.after, event.actor_id) == (
        a1.id,
        {"status": "completed", "outcome": "verified"},
        director.id,
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Outcome recorded" in page and "Verified" in page


def test_bad_outcome_is_refused_and_writes_nothing(app, session, framework, make_user, sign_in):
    _, _, director, _, a1, _ = remeasure(session, make_user)
    client = sign_in(director)
    html = client.get("/readiness/compare").get_data(as_text=True)
    before = table_counts(session)
    response = client.post(
        f"/readiness/actions/{a1.id}/outcome",
        data={"csrf_token": csrf_from(html), "outcome": "brilliant"},
        follow_redirects=True,
    )
    assert "Not a valid choice" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Action, a1.id).outcome is None
    assert table_counts(session) == before


def test_missing_csrf_is_refused(app, session, framework, make_user, sign_in):
    _, _, director, _, a1, _ = remeasure(session, make_user)
    client = sign_in(director)
    response = client.post(f"/readiness/actions/{a1.id}/outcome", data={"outcome": "verified"})
    assert response.status_code in (302, 400)
    session.expire_all()
    assert session.get(Action, a1.id).outcome is None


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_only_leads_record_outcomes(app, session, framework, make_user, sign_in, role):
    _, _, _, owner, a1, _ = remeasure(session, make_user)
    user = owner if role == "owner" else make_user("viewer")
    client = sign_in(user)
    html = client.get("/readiness/compare").get_data(as_text=True)
    assert "Save<span" not in html
    response = client.post(
        f"/readiness/actions/{a1.id}/outcome",
        data={"csrf_token": csrf_from(html), "outcome": "verified"},
    )
    assert response.status_code in (403, 404)
    session.expire_all()
    assert session.get(Action, a1.id).outcome is None


def test_director_of_another_component_may_not(app, session, framework, make_user, sign_in):
    _, _, _, _, _, a2 = remeasure(session, make_user)  # a2 is on question 2 (component 1)
    other = make_user("director")
    client = sign_in(other)
    html = client.get("/readiness/compare").get_data(as_text=True)
    response = client.post(
        f"/readiness/actions/{a2.id}/outcome",
        data={"csrf_token": csrf_from(html), "outcome": "verified"},
    )
    assert response.status_code == 403


def test_compare_needs_two_rounds(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness/compare").get_data(as_text=True)
    assert "Comparison needs two rounds" in html


def test_unknown_round_is_404(app, session, framework, make_user, sign_in):
    remeasure(session, make_user)
    client = sign_in(make_user("viewer"))
    assert client.get("/readiness/compare?a=999&b=998").status_code == 404


def test_component_forecast_is_shown_against_the_scores(session, framework, make_user):
    baseline, later, *_ = remeasure(session, make_user)
    check = check_model(session, default_organisation(session).id, baseline.id, later.id)
    snapshots = {
        s.inputs["position"]: s.expected
        for s in session.scalars(
            select(ReadinessSnapshot).where(ReadinessSnapshot.scope_key.startswith("component:"))
        )
    }
    assert check.component_expected == snapshots
    assert set(snapshots) == {1, 2, 3, 4, 5}


@pytest.fixture
def world(app, session, framework) -> World:
    """The sample organisation of the permission tests (one user per role)."""
    return build_world(session, app.config["UPLOAD_DIR"])


def test_no_outcome_is_recorded_on_a_deleted_action(app, session, world, csrf_off):
    world.action.deleted_at = NOW
    session.commit()
    client = signed_in_client(app, world.users["admin"])  # signing in writes a live session
    before = table_counts(session)
    url = f"/readiness/actions/{world.action.id}/outcome"
    response = fetch(client, "POST", url, data={"outcome": "verified"})
    assert response.status_code == 404
    session.expire_all()
    assert world.action.outcome is None
    assert table_counts(session) == before
