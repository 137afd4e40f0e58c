"""The nightly evidence integrity check: every stored file present and unchanged since upload,
and one report to the organisation's admins when something is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.hashing import file_sha256
from tracker.domain.outbox.queue import Renderer, SweepResult, email_row, queue_emails
from tracker.models import Evidence, EvidenceKind, Role, User


@dataclass(frozen=True)
class IntegrityProblem:
    evidence_id: int
    action_id: int
    name: str
    problem: str


def check_evidence_files(session: Session, upload_dir: str | Path) -> list[IntegrityProblem]:
    """Every stored evidence file that is missing or whose bytes no longer match the SHA-256
    taken at upload (one query; files are hashed in chunks)."""
    problems = []
    folder = Path(upload_dir)
    for evidence in session.scalars(
        select(Evidence)
        .where(Evidence.kind == EvidenceKind.FILE, Evidence.deleted_at.is_(None))
        .order_by(Evidence.id)
    ):
        name = evidence.original_filename or evidence.title or f"evidence {evidence.id}"
        path = folder / (evidence.stored_name or "")
        if not evidence.stored_name or not path.is_file():
            problem = "the file is missing"
        elif file_sha256(path) != evidence.sha256:
            problem = "the file's contents no longer match what was uploaded"
        else:
            continue
        problems.append(IntegrityProblem(evidence.id, evidence.action_id, name, problem))
    return problems


def queue_integrity_report(
    session: Session,
    *,
    today: date,
    now: datetime,
    base_url: str,
    render: Renderer,
    upload_dir: str | Path,
) -> tuple[list[IntegrityProblem], SweepResult]:
    """Check the evidence files and, only when something is wrong, queue one report per admin
    for the day."""
    problems = check_evidence_files(session, upload_dir)
    if not problems:
        return problems, SweepResult()
    items = [
        {
            "name": p.name,
            "problem": p.problem,
            "evidence_id": p.evidence_id,
            "link": f"{base_url.rstrip('/')}/actions/{p.action_id}",
        }
        for p in problems
    ]
    subject = (
        f"Evidence check: {len(problems)} file{'s' if len(problems) != 1 else ''} need attention"
    )
    rows = []
    for admin in session.scalars(
        select(User).where(User.is_active, User.role == Role.ADMIN).order_by(User.id)
    ):
        text, html = render("integrity", {"name": admin.name, "today": today, "items": items})
        rows.append(email_row(admin, "integrity", today.isoformat(), subject, text, html))
    return problems, queue_emails(session, rows, now)
