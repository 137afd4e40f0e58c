"""The admin upload page, through the test client with real CSRF tokens."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.importing.shapes import to_xlsx
from tests.support.helpers import SAMPLE, table_counts
from tracker.models import Action, AuditEvent

URL = "/admin/imports"


def csrf_token(client) -> str:
    page = client.get(URL).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def post(client, data: bytes, filename: str = "results.txt", **fields: object):
    form = {"csrf_token": csrf_token(client), "file": (io.BytesIO(data), filename), **fields}
    form.setdefault("round_name", "Baseline 2025")
    return client.post(URL, data=form, content_type="multipart/form-data")


def test_only_admins_see_the_page(client, sign_in, make_user, framework) -> None:
    assert client.get(URL).status_code == 302  # to sign in
    for role in ("director", "owner", "viewer"):
        signed_in = sign_in(make_user(role))
        assert signed_in.get(URL).status_code == 403
        signed_in.post("/sign-out", data={})
        client.delete_cookie("session")


def test_admin_imports_the_sample(client, sign_in, make_user, framework, session) -> None:
    admin = make_user("admin")
    sign_in(admin)
    response = post(client, SAMPLE.read_bytes(), held_on="2025-06-01", next_round_on="2025-12-01")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Imported 22 scores into round &#39;Baseline 2025&#39; (16 Starting, 6 Developing); spawned 16 actions"
        in page
    )
    assert "What the import of Baseline 2025 did" in page and "Actions created from gaps" in page
    assert "2025-12-01" in client.get(URL).get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Action)) == 16
    actors = set(
        session.scalars(select(AuditEvent.actor_id).where(AuditEvent.entity == "assessment_round"))
    )
    assert actors == {admin.id}


def test_xlsx_upload_with_named_sheet(client, sign_in, make_user, framework, session) -> None:
    sign_in(make_user("admin"))
    data = to_xlsx([("Number", "number"), ("Score", "score")], sheet="Scores", title_rows=2)
    response = post(client, data, "results.xlsx", sheet="Scores")
    assert response.status_code == 302
    assert session.scalar(select(func.count()).select_from(Action)) == 16


def test_bad_file_lists_every_problem_and_writes_nothing(
    client, sign_in, make_user, framework, session
) -> None:
    sign_in(make_user("admin"))
    before = table_counts(session)
    bad = b"Number,Score\r\n1,Starting\r\n2,Wonderful\r\n77,Starting\r\n"
    response = post(client, bad, "results.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file was not imported" in page
    assert "Row 3, column &#39;Score&#39;: &#39;Wonderful&#39; is not a level of the scale" in page
    assert "Row 4, column &#39;Number&#39;: there is no question 77 in the framework" in page
    assert '<th scope="col" role="columnheader" class="nhsuk-table__header">Row</th>' in page
    assert table_counts(session) == before


def test_missing_file_and_round_name(client, sign_in, make_user, framework, session) -> None:
    sign_in(make_user("admin"))
    before = table_counts(session)
    response = client.post(URL, data={"csrf_token": csrf_token(client), "held_on": "2025-13-45"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the file with the round&#39;s results" in page
    assert "Enter a name for the round" in page
    assert "Date of the round must be a real date" in page
    assert table_counts(session) == before


def test_different_scores_need_replace(client, sign_in, make_user, framework, session) -> None:
    sign_in(make_user("admin"))
    post(client, SAMPLE.read_bytes(), held_on="2025-06-01")
    changed = SAMPLE.read_bytes().replace(
        b"17. Co-production.\tStarting", b"17. Co-production.\tDeveloping"
    )
    before = table_counts(session)
    refused = post(client, changed)
    assert refused.status_code == 400
    refusal = refused.get_data(as_text=True)
    assert "already has different scores (1 question differs)" in refusal
    assert "tick" in refusal and "command line" not in refusal and "--replace" not in refusal
    assert table_counts(session) == before
    replaced = post(client, changed, replace="y")
    assert replaced.status_code == 302
    result = client.get(replaced.headers["Location"]).get_data(as_text=True)
    assert "Replaced scores with 22 scores" in result


def test_post_without_csrf_is_refused(client, sign_in, make_user, framework, session) -> None:
    sign_in(make_user("admin"))
    before = table_counts(session)
    response = client.post(
        URL,
        data={"file": (io.BytesIO(SAMPLE.read_bytes()), "x.txt"), "round_name": "R"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert table_counts(session) == before


def test_text_from_the_file_and_form_is_escaped(
    client, sign_in, make_user, framework, session
) -> None:
    sign_in(make_user("admin"))
    response = post(client, b"Number,Score\r\n1,<b>bold</b>\r\n", "r.csv", round_name='"><i>x</i>')
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<i>x</i>" not in page


def test_upload_before_any_framework_says_so_on_the_file(client, sign_in, make_user, session):
    sign_in(make_user("admin"))
    before = table_counts(session)
    response = post(client, SAMPLE.read_bytes())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<a href="#file">\n            No framework is loaded yet' in page
    assert re.search(r'id="file-error">\s*<span[^>]*>Error: </span>No framework is loaded', page)
    assert "flask framework load" not in page and "Ask the person who runs the tracker" in page
    session.rollback()
    assert table_counts(session) == before
