"""Round comparison data and the action plan export (constant number of queries)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.support import factories
from tests.support.helpers import NOW
from tests.support.queries import count_queries
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.actions.plan_export import HEADER, action_plan_rows
from tracker.domain.errors import NotFound
from tracker.domain.rounds.comparison import compare_rounds, list_rounds, round_by_name
from tracker.domain.spreadsheet import write_csv, write_xlsx
from tracker.models import Action

ROW_13 = b"13. 'Go and see' visits.\tStarting\t"


def two_rounds(session, do_import, sample_bytes):
    do_import(sample_bytes)
    better = sample_bytes.replace(ROW_13, b"13. 'Go and see' visits.\tMaturing\t")
    do_import(better, round_name="Re-measure 2026", held_on=date(2026, 1, 10))
    session.commit()
    organisation = default_organisation(session)
    return round_by_name(session, organisation.id, "baseline  2025"), round_by_name(
        session, organisation.id, "Re-measure 2026"
    )


def test_rounds_are_found_by_name_ignoring_case_accents_and_spaces(
    session, do_import, sample_bytes
) -> None:
    first, second = two_rounds(session, do_import, sample_bytes)
    organisation = default_organisation(session)
    assert round_by_name(session, organisation.id, "  RÉ-MEASURE   2026 ").id == second.id
    assert round_by_name(session, organisation.id, "Baseline 2025").id == first.id
    with pytest.raises(NotFound, match="There is no round called 'Re-measure 2027'"):
        round_by_name(session, organisation.id, "Re-measure 2027")


def test_compare_rounds_per_question_and_component(session, do_import, sample_bytes) -> None:
    first, second = two_rounds(session, do_import, sample_bytes)
    with count_queries() as queries:
        comparison = compare_rounds(session, first.id, second.id)
    assert len(queries) <= 3
    q13 = next(q for q in comparison.questions if q.number == 13)
    assert (q13.a.name, q13.b.name, q13.change) == ("Starting", "Maturing", 2)
    assert next(q for q in comparison.questions if q.number == 10).change == 0
    leadership = comparison.components[2]
    assert leadership.name == "Developing leadership behaviours"
    assert (leadership.mean_a, leadership.mean_b, leadership.change) == (1.4, 1.8, 0.4)
    data = comparison.as_dict()
    assert data["round_b"] == "Re-measure 2026"
    assert data["questions"][12]["change"] == 2
    assert data["components"][2]["change"] == 0.4


def test_list_rounds(session, do_import, sample_bytes) -> None:
    two_rounds(session, do_import, sample_bytes)
    rounds = list_rounds(session, default_organisation(session).id)
    assert [(r.name, r.status, r.scores) for r in rounds] == [
        ("Baseline 2025", "closed", 22),
        ("Re-measure 2026", "open", 22),
    ]
    assert rounds[1].levels == {"Starting": 15, "Developing": 6, "Maturing": 1}


def test_action_plan_rows_and_query_count(session, do_import, sample_bytes, make_user) -> None:
    do_import(sample_bytes)
    owner = make_user("owner", name="Olive Owner")
    organisation_id = default_organisation(session).id
    with count_queries() as few:
        action_plan_rows(session, organisation_id)
    actions = session.scalars(select(Action).order_by(Action.id)).all()
    for action in actions:
        action.owner_id = owner.id
        action.due_on = date(2026, 3, 31)
        factories.make_milestone(
            session, action, date(2026, 1, 1), done_at=datetime(2025, 12, 1, tzinfo=UTC)
        )
        factories.make_milestone(session, action, date(2026, 2, 1))
        factories.make_note_evidence(session, action, owner)
    actions[-1].deleted_at = NOW
    session.commit()
    with count_queries() as many:
        rows = action_plan_rows(session, organisation_id)
    assert len(many) == len(few) <= 5
    assert len(rows) == 15
    first = rows[0]
    assert first.cells() == [
        "Building a shared purpose and vision", 1,
        "Board and executives setting the shared purpose and vision.", "Starting", "Developing",
        first.title, "Olive Owner", "not started", date(2026, 3, 31), 1, 2, 1,
    ]  # fmt: skip


def test_exports_neutralise_formulas(session, do_import, sample_bytes) -> None:
    do_import(sample_bytes)
    action = session.scalars(select(Action)).first()
    action.title = '=HYPERLINK("http://evil")'
    session.commit()
    rows = [row.cells() for row in action_plan_rows(session, default_organisation(session).id)]
    table = list(csv.reader(io.StringIO(write_csv(rows, HEADER).decode("utf-8-sig"))))
    assert table[0] == HEADER
    assert table[1][5] == '\'=HYPERLINK("http://evil")'
    sheet = load_workbook(io.BytesIO(write_xlsx(rows, HEADER, "Action plan"))).active
    assert sheet["F2"].value == '\'=HYPERLINK("http://evil")'
