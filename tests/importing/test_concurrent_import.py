"""Two imports of the same new round at the same moment: the loser gets a clear message (web and
CLI) and nothing of its import is written."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

import tracker.cli.assessments as assessments_cli
from tests.support.helpers import SAMPLE, table_counts
from tracker.domain.rounds.importing import CONCURRENT_IMPORT, import_round


def losing_the_race(*args, **kwargs):
    """Do the whole import, then fail as the database does when another transaction committed
    the same round name (or score) first."""
    import_round(*args, **kwargs)
    raise IntegrityError("INSERT INTO assessment_round", {}, Exception("duplicate key value"))


def test_cli_reports_a_concurrent_import_and_writes_nothing(app, session, framework, monkeypatch):
    monkeypatch.setattr(assessments_cli, "import_round", losing_the_race)
    before = table_counts(session)
    result = app.test_cli_runner().invoke(
        args=["assessments", "import", str(SAMPLE), "--round", "Baseline 2025"]
    )
    assert result.exit_code == 1
    assert CONCURRENT_IMPORT in result.output
    assert table_counts(session) == before


def test_upload_page_reports_a_concurrent_import_and_writes_nothing(
    client, sign_in, make_user, framework, session, monkeypatch
):
    import tracker.imports.views as imports_views
    from tests.importing.test_web import post

    sign_in(make_user("admin"))
    monkeypatch.setattr(imports_views, "import_round", losing_the_race)
    before = table_counts(session)
    response = post(client, SAMPLE.read_bytes())
    assert response.status_code == 400
    assert "Someone else imported into this round at the same moment" in response.get_data(
        as_text=True
    )
    session.rollback()
    assert table_counts(session) == before
