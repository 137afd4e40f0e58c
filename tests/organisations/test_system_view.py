"""Consented sharing and the system view: only shared rounds show, with numbers and level names;
withdrawal hides them on the next request; a system viewer sees nothing else; another
organisation's round cannot be shared from here."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.organisations.test_cross_organisation_matrix import page_text
from tests.support.helpers import NOW, table_counts
from tests.support.proof import fetch, signed_in_client
from tracker.domain.organisations import sharing
from tracker.domain.organisations.system_view import build_system_view, standing_of
from tracker.models import AuditEvent, RoundShare


def share(app, trust):
    client = signed_in_client(app, trust.people["admin"])
    return fetch(client, "POST", f"/system/sharing/{trust.round_id}/share", data={})


def test_standing_rule():
    assert standing_of(1.5, [1.4, 1.6, 2.0]) == "broadly similar"  # median 1.6, within 0.25
    assert standing_of(2.0, [1.0, 1.5]) == "above"
    assert standing_of(1.0, [1.5, 1.4]) == "below"
    assert standing_of(1.0, []) == ""


def test_a_shared_round_shows_to_partners_and_withdrawal_hides_it_at_once(
    app, session, trusts, csrf_off
):
    first, second = trusts
    viewer = signed_in_client(app, second.people["system_viewer"])
    page = fetch(viewer, "GET", "/system").get_data(as_text=True)
    assert "Not shared" in page and first.organisation.name in page
    assert "Starting (1)" not in page  # nothing of anybody's shown yet

    response = share(app, first)
    assert response.status_code == 302
    page = fetch(viewer, "GET", "/system").get_data(as_text=True)
    assert "Baseline RX1" in page and "Starting (1)" in page and "1.00" in page
    assert "Raise question 1" not in page  # actions are never shared
    assert first.people["owner"].name not in page  # nor people

    admin = signed_in_client(app, first.people["admin"])
    response = fetch(admin, "POST", f"/system/sharing/{first.round_id}/withdraw", data={})
    assert response.status_code == 302
    page = fetch(viewer, "GET", "/system").get_data(as_text=True)
    assert "Baseline RX1" not in page and "Starting (1)" not in page
    verbs = session.scalars(select(AuditEvent.verb).where(AuditEvent.entity == "round")).all()
    assert sorted(verbs) == ["share_withdrawn", "shared"]


def test_the_sharing_page_records_who_and_when(app, session, trusts, csrf_off):
    first, _ = trusts
    share(app, first)
    admin = signed_in_client(app, first.people["admin"])
    page = fetch(admin, "GET", "/system/sharing").get_data(as_text=True)
    assert f"shared by {first.people['admin'].name}" in page


def test_an_admin_sees_their_own_unshared_round_but_their_system_viewer_does_not(
    app, session, trusts
):
    first, _ = trusts
    own_admin = signed_in_client(app, first.people["admin"])
    page = fetch(own_admin, "GET", "/system").get_data(as_text=True)
    assert "not shared: only your organisation sees it" in page
    own_viewer = signed_in_client(app, first.people["system_viewer"])
    page = fetch(own_viewer, "GET", "/system").get_data(as_text=True)
    assert "Baseline RX1" not in page


def test_another_organisations_round_cannot_be_shared_or_withdrawn(app, session, trusts, csrf_off):
    first, second = trusts
    admin = signed_in_client(app, second.people["admin"])
    before = table_counts(session)  # after signing in, which opens a live session
    for verb in ("share", "withdraw"):
        response = fetch(admin, "POST", f"/system/sharing/{first.round_id}/{verb}", data={})
        missing = fetch(admin, "POST", f"/system/sharing/999999/{verb}", data={})
        assert response.status_code == missing.status_code == 404
        assert page_text(response.data, f"/{first.round_id}/") == page_text(
            missing.data, "/999999/"
        )  # no existence oracle
    session.expire_all()
    assert table_counts(session) == before


def test_sharing_is_refused_outside_a_system(session, trusts):
    first, _ = trusts
    first.organisation.system_id = None
    session.commit()
    try:
        sharing.share_round(session, first.people["admin"], first.round_id, now=NOW)
    except sharing.DomainError as error:
        assert "not in a system" in error.message
    else:
        raise AssertionError("sharing outside a system was allowed")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(RoundShare)) == 0


def test_a_system_viewer_sees_only_the_system_view(app, session, trusts):
    first, _ = trusts
    viewer = signed_in_client(app, first.people["system_viewer"])
    assert fetch(viewer, "GET", "/").headers["Location"].endswith("/system")
    for url in ("/dashboard", "/readiness", "/domains", "/admin/users", "/system/sharing"):
        assert fetch(viewer, "GET", url).status_code in (403, 404), url
    assert fetch(viewer, "GET", f"/actions/{first.action_id}").status_code == 404


def test_the_system_view_costs_the_same_queries_at_two_and_four_organisations(
    app, session, trusts, system
):
    from tests.organisations.conftest import build_trust
    from tests.support.queries import count_queries

    first = trusts[0]
    for trust in trusts:
        sharing.share_round(session, trust.people["admin"], trust.round_id, now=NOW)
    session.commit()
    session.expire_all()
    with count_queries() as small:
        build_system_view(session, first.organisation_id, include_own_unshared=True)
    for code in ("RK5", "RP7"):
        more = build_trust(session, code, f"Trust {code}", system)
        sharing.share_round(session, more.people["admin"], more.round_id, now=NOW)
    session.commit()
    session.expire_all()
    with count_queries() as large:
        view = build_system_view(session, first.organisation_id, include_own_unshared=True)
    assert view is not None and view.sharing_count == 4
    assert len(large) == len(small)
