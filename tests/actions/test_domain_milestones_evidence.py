"""Milestones (add, tick, re-plan) and evidence (file, link, note, review, withdraw)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.support.helpers import NOW, table_counts
from tracker.domain.actions import milestones
from tracker.domain.errors import DomainError
from tracker.domain.evidence import submissions as evidence
from tracker.models import AuditEvent, MilestoneReplan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_add_milestone_sets_original_and_current_date(session, world):
    milestone = milestones.add_milestone(
        session, world.director, world.action, title="Board paper", weight=3,
        due_on=date(2027, 2, 1), now=NOW,
    )  # fmt: skip
    session.commit()
    assert milestone.original_due_on == milestone.due_on == date(2027, 2, 1)
    event = session.scalars(select(AuditEvent).where(AuditEvent.verb == "milestone_added")).one()
    assert event.after["weight"] == 3


@pytest.mark.parametrize(
    ("title", "weight", "due_on", "message"),
    [("", 1, date(2027, 1, 1), "Enter what"), ("x", 0, date(2027, 1, 1), "Weight"),
     ("x", 101, date(2027, 1, 1), "Weight"), ("x", 1, None, "Enter the date")],
)  # fmt: skip
def test_bad_milestone_writes_nothing(session, world, title, weight, due_on, message):
    before = table_counts(session)
    with pytest.raises(DomainError, match=message):
        milestones.add_milestone(
            session,
            world.director,
            world.action,
            title=title,
            weight=weight,
            due_on=due_on,
            now=NOW,
        )
    session.rollback()
    assert table_counts(session) == before


def test_tick_and_untick_record_who_and_when(session, world):
    assert milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW)
    assert (world.milestone.done_at, world.milestone.done_by_id) == (NOW, world.owner.id)
    assert not milestones.set_done(session, world.owner, world.milestone, done=True, now=NOW)
    assert milestones.set_done(session, world.owner, world.milestone, done=False, now=NOW)
    session.commit()
    assert world.milestone.done_at is None and world.milestone.done_by_id is None
    query = select(AuditEvent.verb).where(AuditEvent.entity == "milestone")
    verbs = session.scalars(query.order_by(AuditEvent.id)).all()
    assert verbs == ["milestone_done", "milestone_reopened"]


def test_replan_keeps_the_original_date_and_the_reason(session, world):
    milestones.replan(
        session, world.owner, world.milestone, new_due_on=date(2027, 3, 1),
        reason="Board moved", now=NOW,
    )  # fmt: skip
    milestones.replan(
        session, world.owner, world.milestone, new_due_on=date(2027, 4, 1),
        reason="Again", now=NOW,
    )  # fmt: skip
    session.commit()
    assert world.milestone.original_due_on == date(2027, 1, 15)
    assert world.milestone.due_on == date(2027, 4, 1)
    replans = session.scalars(select(MilestoneReplan).order_by(MilestoneReplan.id)).all()
    assert [(r.old_due_on, r.new_due_on, r.reason) for r in replans] == [
        (date(2027, 1, 15), date(2027, 3, 1), "Board moved"),
        (date(2027, 3, 1), date(2027, 4, 1), "Again"),
    ]


@pytest.mark.parametrize(
    ("new_due_on", "reason", "message"),
    [(date(2027, 3, 1), "  ", "reason"), (None, "x", "new due date"),
     (date(2027, 1, 15), "x", "same as the current")],
)  # fmt: skip
def test_bad_replan_writes_nothing(session, world, new_due_on, reason, message):
    before = table_counts(session)
    with pytest.raises(DomainError, match=message):
        milestones.replan(
            session, world.owner, world.milestone, new_due_on=new_due_on, reason=reason, now=NOW
        )
    session.rollback()
    assert table_counts(session) == before
    assert world.milestone.due_on == date(2027, 1, 15)


def test_file_evidence_is_stored_under_a_random_name_with_its_hash(session, world, tmp_path):
    added = evidence.add_file(
        session, world.owner, world.action, filename="../../etc/Report 1.pdf", data=PDF,
        milestone_id=world.milestone.id, upload_dir=tmp_path, max_bytes=1000, now=NOW,
    )  # fmt: skip
    session.commit()
    assert added.original_filename == "Report 1.pdf"
    assert added.stored_name and "Report" not in added.stored_name
    assert (tmp_path / added.stored_name).read_bytes() == PDF
    assert added.sha256 == hashlib.sha256(PDF).hexdigest() and added.size_bytes == len(PDF)
    assert added.content_type == "application/pdf" and added.milestone_id == world.milestone.id
    assert list(Path(tmp_path).iterdir()) == [tmp_path / added.stored_name]


def test_refused_file_writes_nothing_anywhere(session, world, tmp_path):
    before = table_counts(session)
    with pytest.raises(DomainError, match=r"not a real \.pdf"):
        evidence.add_file(
            session, world.owner, world.action, filename="report.pdf", data=b"MZ\x90\x00program",
            upload_dir=tmp_path, max_bytes=1000, now=NOW,
        )  # fmt: skip
    session.rollback()
    assert table_counts(session) == before
    assert list(Path(tmp_path).iterdir()) == []


def test_milestone_of_another_action_is_refused(session, world, tmp_path):
    from tests.support.factories import make_milestone

    foreign = make_milestone(session, world.other_action, date(2027, 1, 1))
    session.commit()
    with pytest.raises(DomainError, match="this action's milestones"):
        evidence.add_note(
            session, world.owner, world.action, note="x", milestone_id=foreign.id, now=NOW
        )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.nhs.uk/a", "https://", "nhs.uk"])
def test_links_must_be_http_or_https(session, world, url):
    before = table_counts(session)
    with pytest.raises(DomainError, match="starting with https://"):
        evidence.add_link(session, world.owner, world.action, url=url, now=NOW)
    session.rollback()
    assert table_counts(session) == before


def test_link_and_note_evidence(session, world):
    link = evidence.add_link(
        session, world.owner, world.action, url="https://intranet.nhs.uk/plan", now=NOW
    )
    note = evidence.add_note(session, world.owner, world.action, note="Agreed at board", now=NOW)
    session.commit()
    assert (link.kind, link.title, note.kind, note.note) == (
        "link", "https://intranet.nhs.uk/plan", "note", "Agreed at board",
    )  # fmt: skip


def test_review_accept_and_reject_needs_a_note(session, world):
    piece = evidence.add_note(session, world.owner, world.action, note="Minutes", now=NOW)
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError, match="why the evidence is rejected"):
        evidence.review(session, world.director, piece, decision="rejected", note=" ", now=NOW)
    with pytest.raises(DomainError, match="accept or reject"):
        evidence.review(session, world.director, piece, decision="maybe", note="", now=NOW)
    session.rollback()
    assert table_counts(session) == before
    evidence.review(session, world.director, piece, decision="accepted", note="Good", now=NOW)
    session.commit()
    assert (piece.review_status, piece.reviewed_by_id, piece.review_note) == (
        "accepted", world.director.id, "Good",
    )  # fmt: skip


def test_withdraw_only_by_uploader_while_pending(session, world):
    piece = evidence.add_note(session, world.owner, world.action, note="Minutes", now=NOW)
    with pytest.raises(DomainError, match="Only the person"):
        evidence.withdraw(session, world.director, piece, now=NOW)
    evidence.withdraw(session, world.owner, piece, now=NOW)
    session.commit()
    assert piece.deleted_at is not None
    with pytest.raises(evidence.NotFound):
        evidence.load_evidence(session, piece.id)
