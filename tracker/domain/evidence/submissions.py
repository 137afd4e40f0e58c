"""Evidence for an action: adding a file, a link or a note, reviewing it, withdrawing it.

Files are checked and written by tracker.domain.evidence.storage; if the transaction later
fails, the caller discards the stored file (see `stored_name` on the returned row).
"""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.domain import audit
from tracker.domain.errors import DomainError, NotFound, check_version
from tracker.domain.evidence import storage as evidence_storage
from tracker.domain.notices import Notifier, queue_rejection_notices
from tracker.models import (
    Action,
    Evidence,
    EvidenceKind,
    Milestone,
    Question,
    ReviewStatus,
    User,
)


def load_evidence(session: Session, evidence_id: int) -> Evidence:
    """Live evidence with its action and question loaded, for permission checks."""
    evidence = session.scalar(
        select(Evidence)
        .join(Evidence.action)
        .options(
            joinedload(Evidence.action).joinedload(Action.question).joinedload(Question.component)
        )
        .where(
            Evidence.id == evidence_id, Evidence.deleted_at.is_(None), Action.deleted_at.is_(None)
        )
    )
    if evidence is None:
        raise NotFound("Evidence not found")
    return evidence


def _milestone_of(action: Action, milestone_id: int | None) -> Milestone | None:
    if not milestone_id:
        return None
    for milestone in action.milestones:
        if milestone.id == milestone_id:
            return milestone
    raise DomainError("Choose one of this action's milestones", "milestone_id")


def _title(title: str | None) -> str:
    title = (title or "").strip()
    if len(title) > 300:
        raise DomainError("Title must be 300 characters or fewer", "title")
    return title


def _added(session: Session, actor: User, evidence: Evidence, now: datetime) -> Evidence:
    session.add(evidence)
    session.flush()
    audit.record(
        session, actor, "evidence", evidence.id, "evidence_added", at=now,
        after={
            "action_id": evidence.action_id, "milestone_id": evidence.milestone_id,
            "kind": evidence.kind, "title": evidence.title, "filename": evidence.original_filename,
            "url": evidence.url, "sha256": evidence.sha256, "size_bytes": evidence.size_bytes,
        },
    )  # fmt: skip
    return evidence


def add_file(
    session: Session,
    actor: User,
    action: Action,
    *,
    filename: str,
    data: bytes,
    title: str = "",
    milestone_id: int | None = None,
    upload_dir: str | os.PathLike[str],
    max_bytes: int,
    now: datetime,
) -> Evidence:
    """Check and store an uploaded file as evidence, recording its SHA-256 and size."""
    milestone = _milestone_of(action, milestone_id)
    title = _title(title)
    stored = evidence_storage.store(upload_dir, filename, data, max_bytes)
    evidence = Evidence(
        action=action, milestone=milestone, kind=EvidenceKind.FILE,
        title=title or stored.display_name, original_filename=stored.display_name,
        stored_name=stored.stored_name, content_type=stored.content_type,
        size_bytes=stored.size_bytes, sha256=stored.sha256, uploaded_by=actor, uploaded_at=now,
    )  # fmt: skip
    try:
        return _added(session, actor, evidence, now)
    except Exception:
        evidence_storage.discard(upload_dir, stored.stored_name)
        raise


def add_link(
    session: Session,
    actor: User,
    action: Action,
    *,
    url: str,
    title: str = "",
    milestone_id: int | None = None,
    now: datetime,
) -> Evidence:
    """Add a web link as evidence; only http and https addresses are accepted."""
    milestone = _milestone_of(action, milestone_id)
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise DomainError("Enter a web address starting with https:// or http://", "url")
    return _add_written(
        session, actor, action, EvidenceKind.LINK, title=_title(title) or url,
        milestone=milestone, now=now, url=url,
    )  # fmt: skip


def add_note(
    session: Session,
    actor: User,
    action: Action,
    *,
    note: str,
    title: str = "",
    milestone_id: int | None = None,
    now: datetime,
) -> Evidence:
    """Add a written note as evidence (for work with nothing to upload)."""
    milestone = _milestone_of(action, milestone_id)
    note = (note or "").strip()
    if not note:
        raise DomainError("Enter the note", "note")
    return _add_written(
        session, actor, action, EvidenceKind.NOTE, title=_title(title) or "Note",
        milestone=milestone, now=now, note=note,
    )  # fmt: skip


def _add_written(
    session: Session,
    actor: User,
    action: Action,
    kind: EvidenceKind,
    *,
    title: str,
    milestone: Milestone | None,
    now: datetime,
    url: str | None = None,
    note: str | None = None,
) -> Evidence:
    """A link or a note (evidence with no file), for a milestone of the action or none."""
    evidence = Evidence(
        action=action, milestone=milestone, kind=kind, title=title,
        url=url, note=note, uploaded_by=actor, uploaded_at=now,
    )  # fmt: skip
    return _added(session, actor, evidence, now)


def review(
    session: Session,
    actor: User,
    evidence: Evidence,
    *,
    decision: str,
    note: str,
    now: datetime,
    expected_version: int | None = None,
    notify: Notifier | None = None,
) -> None:
    """Accept or reject evidence. A rejection needs a note so the owner knows what to do next;
    a decision can be changed later, and every decision is kept in the audit trail. A decision
    made from a page showing an older version of the evidence is refused. With `notify`, a
    rejection emails the person who added the evidence and the action's owner, with the note."""
    check_version(evidence.version, expected_version)
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise DomainError("Choose whether to accept or reject the evidence", "decision")
    note = (note or "").strip()
    if decision == ReviewStatus.REJECTED and not note:
        raise DomainError("Enter a note telling the owner why the evidence is rejected", "note")
    before = {"review_status": evidence.review_status, "review_note": evidence.review_note}
    evidence.review_status = decision
    evidence.review_note = note
    evidence.reviewed_by = actor
    evidence.reviewed_at = now
    event = audit.record(
        session, actor, "evidence", evidence.id, "evidence_reviewed", at=now,
        before=before, after={"review_status": decision, "review_note": note},
    )  # fmt: skip
    session.flush()
    if notify is not None and decision == ReviewStatus.REJECTED:
        queue_rejection_notices(session, actor, evidence, event=event, notify=notify)


def withdraw(session: Session, actor: User, evidence: Evidence, *, now: datetime) -> None:
    """Soft-delete evidence: only its uploader, and only while it awaits review."""
    if evidence.uploaded_by_id != actor.id:
        raise DomainError("Only the person who added this evidence can withdraw it")
    if evidence.review_status != ReviewStatus.PENDING:
        raise DomainError("Evidence that has been reviewed cannot be withdrawn")
    evidence.deleted_at = now
    audit.record(
        session, actor, "evidence", evidence.id, "evidence_withdrawn", at=now,
        before={"deleted_at": None}, after={"deleted_at": now},
    )  # fmt: skip
    session.flush()
