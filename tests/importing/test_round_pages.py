"""The round pages through the test client: deleting behind a confirmation page, refusals that
say why and write nothing, the import's result page, and another organisation's rounds and
imports answering 404."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.support import factories
from tests.support.accounts import browser, post_form, text_of
from tests.support.helpers import NOW, SAMPLE, table_counts
from tests.support.signing_in import sign_in
from tracker.models import Action, AssessmentRound, AuditEvent, Organisation, ProgressUpdate

MOVES = [
    (b"13. 'Go and see' visits.\tStarting", b"13. 'Go and see' visits.\tDeveloping"),
    (b"17. Co-production.\tStarting", b"17. Co-production.\tDeveloping"),
    (b"leadership.\tDeveloping", b"leadership.\tStarting"),  # 7, coaching style: down
]


@pytest.fixture
def admin(app, make_user, framework):
    client = browser(app)
    client.admin = make_user("admin", name="Alex Admin")
    sign_in(client, client.admin)
    return client


def upload(client, data: bytes, round_name: str, held_on: str, **fields: str):
    page = client.get("/admin/imports").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "file": (io.BytesIO(data), "results.txt"),
            "round_name": round_name, "held_on": held_on, **fields}  # fmt: skip
    return client.post("/admin/imports", data=form, content_type="multipart/form-data")


def round_named(session, name: str) -> AssessmentRound:
    return session.scalars(select(AssessmentRound).where(AssessmentRound.name == name)).one()


def test_a_round_is_deleted_only_after_its_confirmation_page(admin, session):
    upload(admin, SAMPLE.read_bytes(), "Baseline 2025", "2025-06-01", next_round_on="2026-03-01")
    upload(admin, SAMPLE.read_bytes(), "Re-measure 2026", "2026-06-01")
    mistake = round_named(session, "Re-measure 2026")
    edit = text_of(admin.get(f"/admin/rounds/{mistake.id}"))
    assert "Delete Re-measure 2026" in edit
    url = f"/admin/rounds/{mistake.id}/delete"
    confirm = admin.get(url)
    assert confirm.status_code == 200
    assert "This cannot be undone" in text_of(confirm) and "22 scores" in text_of(confirm)
    assert "Baseline 2025 becomes the current round again" in text_of(confirm)
    assert session.scalar(select(func.count()).select_from(AssessmentRound)) == 2
    done = post_form(admin, url, {})
    assert done.status_code == 302
    assert "Re-measure 2026 deleted." in text_of(admin.get(done.headers["Location"]))
    session.expire_all()
    baseline = session.scalars(select(AssessmentRound)).one()
    assert baseline.name == "Baseline 2025" and baseline.status == "open"
    assert baseline.next_round_on == date(2026, 3, 1)
    rounds_page = text_of(admin.get("/admin/rounds"))
    assert "Re-measure 2026" not in rounds_page


def test_deleting_a_round_with_work_is_refused_with_the_reason(admin, session, make_user):
    upload(admin, SAMPLE.read_bytes(), "Baseline 2025", "2025-06-01")
    action = session.scalars(select(Action).order_by(Action.id)).first()
    session.add(ProgressUpdate(action=action, author=admin.admin, text="Begun", percent=5))
    session.commit()
    url = f"/admin/rounds/{round_named(session, 'Baseline 2025').id}/delete"
    page = text_of(admin.get(url))
    assert "This round cannot be deleted" in page
    assert "1 action has progress updates, ticked or re-planned milestones, or evidence" in page
    before = table_counts(session)
    refused = post_form(admin, url, {})
    assert refused.status_code == 400
    assert "Baseline 2025 cannot be deleted because 1 action has progress" in text_of(refused)
    assert "There is a problem" in text_of(refused)
    session.rollback()
    assert table_counts(session) == before


def test_editing_a_round_to_a_variant_of_another_name_writes_nothing(admin, session):
    first = factories.make_round(session, "Baseline 2025", held_on=date(2025, 6, 1))
    factories.make_round(session, "Re-measure 2026", held_on=date(2026, 6, 1))
    session.commit()
    before = table_counts(session)
    refused = post_form(admin, f"/admin/rounds/{first.id}",
                        {"name": "RE-MEASURE   2026", "held_on": "2025-06-01"})  # fmt: skip
    assert refused.status_code == 400
    assert "Another round is already called Re-measure 2026" in text_of(refused)
    session.rollback()
    assert table_counts(session) == before


def test_the_result_page_lists_moves_and_actions_and_links_to_the_comparison(admin, session):
    upload(admin, SAMPLE.read_bytes(), "Baseline 2025", "2025-06-01")
    better = SAMPLE.read_bytes()
    for old, new in MOVES:
        assert old in better
        better = better.replace(old, new)
    done = upload(admin, better, "re-measure  2026", "2026-06-01")
    assert done.status_code == 302 and "/admin/imports/results/" in done.headers["Location"]
    page = text_of(admin.get(done.headers["Location"]))
    assert "What the import of re-measure 2026 did" in page
    assert "Compared with Baseline 2025: 2 questions moved up, 1 moved down and 19 stayed" in page
    assert "Questions that moved up" in page and "Co-production" in page
    spawned, carried, review = (
        page.split("Actions created from gaps")[1].split("Actions carried forward")[0],
        page.split("Actions carried forward to this round")[1].split("Actions moved to review")[0],
        page.split("Actions moved to review")[1],
    )
    assert "Q7: raise from Starting" in spawned
    assert "Q1: raise from Starting" in carried and carried.count("<li>") == 14
    assert "Q13: raise" in review and "Q17: raise" in review and review.count("<li>") == 2
    baseline = round_named(session, "Baseline 2025")
    remeasure = round_named(session, "re-measure 2026")
    assert f"/readiness/compare?a={baseline.id}&amp;b={remeasure.id}" in page
    assert "command line" not in page
    # the same file under a variant name is the same round: nothing new
    again = upload(admin, better, "Re-Measure 2026", "2026-06-01")
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/imports")
    assert session.scalar(select(func.count()).select_from(AssessmentRound)) == 2


def test_another_organisations_rounds_and_imports_answer_404(admin, session):
    trust = Organisation(ods_code="RZZ", name="Another NHS trust")
    session.add(trust)
    session.flush()
    theirs = factories.make_round(session, "Their round", organisation=trust)
    event = AuditEvent(organisation_id=trust.id, entity="assessment_round", entity_id=theirs.id,
                       verb="imported", at=NOW, after={"scores": 22})  # fmt: skip
    session.add(event)
    session.commit()
    before = table_counts(session)
    delete_url = f"/admin/rounds/{theirs.id}/delete"
    answers = [
        admin.get(delete_url).status_code,
        post_form(admin, delete_url, {}, form_url="/admin/imports").status_code,
        admin.get(f"/admin/rounds/{theirs.id}").status_code,
        admin.get(f"/admin/imports/results/{event.id}").status_code,
    ]
    assert answers == [404, 404, 404, 404]
    session.rollback()
    assert table_counts(session) == before
